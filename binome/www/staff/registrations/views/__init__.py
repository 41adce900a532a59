"""Staff side of registrations, one module per audience:

- ``inbox``: the association's inbox (semi-anonymised cards), its answer (accept, decline)
  and the first contact;
- ``routing``: the queue's owner (a federation, or an association on an instance without
  one): the routing list and detail, routing by hand, closing, support access to an identity,
  the SLA dashboard;
- ``offers``: the declarations (offers) of member associations;
- ``common``: the mixins they share.

Forms are in ``..forms``, what the pages show of a request or an offer in ``..presenters``.
"""
