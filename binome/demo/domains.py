"""What the other domains add on top of the associations' demo (``builder.DemoBuilder``):
the federation and its routing, the matching runs, the portal accounts, the meetings and
the action plans."""

from binome.demo import federation, matching, meetings, plans, portal

# Printed with the demo logins: (e-mail, what the login shows).
LOGINS = [(email, what) for email, _first, _last, _org, _role, what in federation.STAFF]
ORG_SLUGS = federation.ORG_SLUGS


def build(base):
    """Add every domain's demo on top of the people and pairs ``base`` (the DemoBuilder) made."""
    federation.build(base)
    matching.build(base)
    portal.build(base)
    meetings.build(base)
    plans.build(base)


def delete():
    portal.delete()
    federation.delete()


def summary(write, slugs):
    federation.summary(write)
    matching.summary(write, [*slugs, *ORG_SLUGS])
    portal.summary(write)
