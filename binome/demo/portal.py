"""Demo of the mentors' and mentees' portal (``binome.portal.services``): everyone in a live
pair they know of gets their portal account, as at their first "send me a link"; one mentee
whose mentor has said yes and one mentor of an active pair also get the demo password, to try
the portal without an e-mail. Prints nothing (``summary`` gives the two logins)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Q

from binome.demo.data import DEMO_SLUGS, PASSWORD
from binome.demo.federation import ORG_SLUGS
from binome.notifications.models import OutboxEmail, OutboxState
from binome.organisations.enums import Role
from binome.pairs.enums import LIVE_STATES, PairState
from binome.pairs.models import Pair
from binome.portal import services as portal
from binome.portal.models import ProblemCategory

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
    _problems(base)


def _problems(base):
    """Two problems reported from the portal (the coordinators' dashboard and the pair's page
    show them; the second one already handled)."""
    pairs = _pairs().filter(
        programme__organisation__slug__in=DEMO_SLUGS,
        state=PairState.ACTIVE,
        mentee__user__isnull=False,
    )[:2]
    texts = [
        (
            ProblemCategory.MEETINGS,
            "Pas de créneau commun depuis trois semaines.",
        ),
        (ProblemCategory.WEBSITE, "Je ne reçois pas le lien de connexion sur mon adresse Gmail."),
    ]
    for i, (pair, (category, text)) in enumerate(zip(pairs, texts, strict=False)):
        report = portal.report_problem(
            pair, acting_user=pair.mentee.user, category=category, text=text
        )
        if i == 1:
            staff = pair.programme.organisation.memberships.filter(
                role__in=[Role.ADMIN, Role.COORDINATOR]
            ).first()
            if staff is not None:
                portal.mark_problem_handled(
                    report, acting_user=staff.user, organisation=pair.programme.organisation
                )
    # Their e-mails to the coordinators count as sent, like the rest of the demo's.
    OutboxEmail.objects.filter(category=portal.PROBLEM_CATEGORY, state=OutboxState.QUEUED).update(
        state=OutboxState.SENT, sent_at=base.now
    )


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
