"""Demo of the mentors' and mentees' portal (``binome.portal.services``): everyone in a live
pair they know of gets their portal account, as at their first "send me a link"; one mentee
whose mentor has said yes and one mentor of an active pair also get the demo password, to try
the portal without an e-mail. Prints nothing (``summary`` gives the two logins)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Q

from binome.demo.data import DEMO_SLUGS, PASSWORD
from binome.demo.federation import ORG_SLUGS
from binome.pairs.enums import LIVE_STATES, PairState
from binome.pairs.models import Pair
from binome.portal import services as portal

SLUGS = [*DEMO_SLUGS, *ORG_SLUGS]


def _pairs():
    return (
        Pair.objects.filter(programme__organisation__slug__in=SLUGS, state__in=LIVE_STATES)
        .select_related("mentor", "mentee", "programme")
        .order_by("pk")
    )


def build(base):
    for pair in _pairs():
        portal.portal_account(pair.mentor)
        if pair.state != PairState.PROPOSED:  # a mentee hears of it once the mentor said yes
            portal.portal_account(pair.mentee)
    if base.password_hash is None:  # hashed once for the whole demo (~0.5 s)
        base.password_hash = make_password(PASSWORD)
    for user in _showcase():
        user.password = base.password_hash
        user.save(update_fields=["password"])


def _showcase():
    """The mentee to answer and the mentor of an active pair who log in with the password."""
    pairs = _pairs().filter(programme__organisation__slug__in=DEMO_SLUGS)
    users = []
    for state, side in ((PairState.MENTOR_ACCEPTED, "mentee"), (PairState.ACTIVE, "mentor")):
        pair = pairs.filter(state=state, **{f"{side}__user__isnull": False}).first()
        if pair is not None:
            users.append(getattr(pair, side).user)
    return users


def delete():
    """The portal accounts of the demo's people (call before the people are deleted)."""
    get_user_model().objects.filter(
        Q(mentor_profiles__programme__organisation__slug__in=SLUGS)
        | Q(mentee_profiles__programme__organisation__slug__in=SLUGS),
        memberships__isnull=True,
        is_staff=False,
    ).delete()


def summary(write):
    users = _showcase()
    if users:
        write("Portal (/m/, same password, or ask for a link):")
        for user in users:
            write(f"  {user.email}")
