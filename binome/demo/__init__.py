"""The demo data, one builder per domain, called by ``manage.py seed_demo``.

People, programmes and pairs are still built by the command itself
(``binome/people/management/commands/seed_demo.py``); the builders here add the federation
and its routing (``federation``) and the matching runs (``matching``), on top of it and
through the real services, like the rest of the demo.
"""

from binome.demo import federation, matching

# Printed with the demo logins: (e-mail, what the login shows).
LOGINS = [(email, what) for email, _first, _last, _org, _role, what in federation.STAFF]
ORG_SLUGS = federation.ORG_SLUGS


def build(base):
    """Add every domain's demo on top of the people and pairs ``base`` (the DemoBuilder) made."""
    federation.build(base)
    matching.build(base)


def delete():
    federation.delete()


def summary(write, slugs):
    federation.summary(write)
    matching.summary(write, [*slugs, *ORG_SLUGS])
