"""Use cases of the mentors' and mentees' portal.

A person in a pair (or a proposed pair) asks for a login link with the e-mail on file; the
first request creates or links their account (``portal_account``). Links are django-sesame
tokens: scoped to the portal, single-use (``SESAME_ONE_TIME``), expiring (``SESAME_MAX_AGE``).
A person sees only their own pairs (``pairs_of``), answers a proposal themselves
(``answer_pair``) and sees the other person's contact details once both said yes.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from sesame.utils import get_query_string
from sesame.utils import get_user as sesame_user

from binome.core.services import log_activity
from binome.core.statemachine import InvalidTransition
from binome.matching.enums import ExclusionSource
from binome.matching.models import MatchExclusion, MentorOffer
from binome.matching.services import mentor_reply
from binome.notifications.models import OutboxEmail
from binome.notifications.services import queue_email
from binome.organisations.enums import EDITOR_ROLES, Role
from binome.organisations.models import Membership
from binome.pairs import services as pair_services
from binome.pairs.enums import PairState
from binome.pairs.models import Pair, PairTransition
from binome.people.models import Mentee, Mentor
from binome.portal.models import MAX_PROBLEM_TEXT, ProblemCategory, ProblemReport
from binome.users.models import User

SCOPE = "portal"
LINK_CATEGORY = "portal_link"
# Per address: enough for "I did not get it, send it again", not enough to flood a mailbox.
LINKS_PER_HOUR = 3

# Both said yes and the pair is not over: each sees the other's contact details.
CONTACT_STATES = frozenset(
    {
        PairState.MENTEE_ACCEPTED,
        PairState.FIRST_MEETING,
        PairState.CONTRACT_SIGNED,
        PairState.ACTIVE,
    }
)


def link_minutes():
    return int(settings.SESAME_MAX_AGE // 60)


def _mentee_sees():
    """A mentee hears of a proposal once the mentor has said yes (as ``withdraw_person`` tells
    her): never a proposal still with the mentor, declined by them, or cancelled before."""
    heard = PairTransition.objects.filter(
        subject=OuterRef("pk"), to_state=PairState.MENTOR_ACCEPTED
    )
    unheard = {PairState.PROPOSED, PairState.MENTOR_DECLINED, PairState.CANCELLED}
    return ~Q(state__in=unheard) | (Q(state=PairState.CANCELLED) & Exists(heard))


def pairs_of(user):
    """The pairs ``user`` takes part in, as mentor or mentee, and nothing else: the start of
    every query the portal runs (staff and partners have none)."""
    if not user or not user.is_authenticated:
        return Pair.objects.none()
    return Pair.objects.filter(
        Q(mentor__user=user) | (Q(mentee__user=user) & _mentee_sees())
    ).select_related("programme__organisation", "mentor", "mentee")


def is_portal_person(user):
    """The account is a mentor's or a mentee's (their portal is their home page)."""
    if not user or not user.is_authenticated:
        return False
    return Mentor.objects.filter(user=user).exists() or Mentee.objects.filter(user=user).exists()


def side_of(pair, user):
    """ "mentor" or "mentee": the side ``user`` takes in ``pair``; PermissionDenied otherwise."""
    if user and user.is_authenticated:
        if pair.mentor.user_id == user.pk:
            return "mentor"
        if pair.mentee.user_id == user.pk:
            return "mentee"
    raise PermissionDenied


def shows_contacts(pair):
    return pair.state in CONTACT_STATES


def is_portal_only(user):
    """A magic link never opens a back-office account: no staff, no member of an association
    (coordinators, partners), no inactive account."""
    return (
        user.is_active
        and not user.is_staff
        and not user.is_superuser
        and not user.memberships.exists()
    )


def portal_account(person, *, acting_user=None):
    """The person's portal account: the one already linked, else the account with their
    e-mail, else a new one without a password (they log in by link until they choose one).
    None when the person has no e-mail or the account is a staff or partner one."""
    if not person.email:
        return None
    with transaction.atomic():
        person = type(person).objects.select_for_update(of=("self",)).get(pk=person.pk)
        user = person.user
        created = False
        if user is None:
            user = User.objects.filter(email__iexact=person.email).first()
            if user is None:
                try:
                    with transaction.atomic():
                        user = User.objects.create_user(
                            email=person.email,
                            first_name=person.first_name,
                            last_name=person.last_name,
                        )
                        created = True
                except IntegrityError:  # the same address asked twice at once
                    user = User.objects.get(email__iexact=person.email)
            if not is_portal_only(user):
                return None
            person.user = user
            person.save(update_fields=["user", "updated_at"])
            log_activity(
                person,
                "portal_account",
                acting_user=acting_user,
                organisation=person.programme.organisation,
                created=created,
            )
        elif not is_portal_only(user):
            return None
    return user


def people_with_email(email):
    """Mentors and mentees with this e-mail on file who are in a pair they know of."""
    email = (email or "").strip()
    if not email:
        return []
    mentors = Mentor.objects.filter(email__iexact=email).filter(
        Exists(Pair.objects.filter(mentor=OuterRef("pk")))
    )
    mentees = Mentee.objects.filter(email__iexact=email).filter(
        Exists(Pair.objects.filter(_mentee_sees(), mentee=OuterRef("pk")))
    )
    people = [*mentors.select_related("programme__organisation")]
    people += mentees.select_related("programme__organisation")
    return people


def request_login_link(email, *, site_url, language=None):
    """E-mail a login link to ``email`` when a person in a pair has it on file. The caller
    answers the same whatever happens (no one learns whose address is on file); at most
    ``LINKS_PER_HOUR`` links per address. Returns whether a link was queued."""
    people = people_with_email(email)
    if not people:
        return False
    with transaction.atomic():
        # Lock the people first: two requests at once count the same e-mails sent.
        for person in people:
            type(person).objects.select_for_update(of=("self",)).get(pk=person.pk)
        since = timezone.now() - datetime.timedelta(hours=1)
        sent = OutboxEmail.objects.filter(
            category=LINK_CATEGORY, to__iexact=people[0].email, created_at__gte=since
        ).count()
        if sent >= LINKS_PER_HOUR:
            return False
        accounts = [(p, u) for p in people if (u := portal_account(p))]
        if not accounts:
            return False
        person, user = accounts[0]
        organisation = person.programme.organisation
        url = site_url.rstrip("/") + reverse("portal:link") + get_query_string(user, scope=SCOPE)
        queue_email(
            to=person.email,
            template="emails/portal_link",
            context={"person": person, "url": url, "minutes": link_minutes()},
            category=LINK_CATEGORY,
            organisation=organisation,
            language=language,
        )
        log_activity(person, "portal_link_sent", acting_user=None, organisation=organisation)
    return True


def user_from_link(token, *, use=False):
    """The portal account a link opens, or None when it is tampered with, expired, already
    used, for another scope, or for a staff or partner account. ``use=True`` spends the link
    (under a row lock: two clicks at once open one session)."""
    if not token:
        return None
    user = sesame_user(token, scope=SCOPE, update_last_login=False)
    if user is None or not is_portal_only(user):
        return None
    if not use:
        return user
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        # Read again once locked: a link spent meanwhile no longer matches the last login.
        user = sesame_user(token, scope=SCOPE, update_last_login=True)
        if user is not None:
            log_activity(user, "portal_login", acting_user=user)
    return user


def _site(site_url):
    return (site_url or settings.BINOME_SITE_URL or "").rstrip("/")


def _invite_mentee(pair, *, site_url):
    """The mentor said yes: the mentee hears of the proposal and where to answer it."""
    mentee, organisation = pair.mentee, pair.programme.organisation
    if not mentee.email:
        return
    queue_email(
        to=mentee.email,
        template="emails/pair_mentor_accepted",
        context={
            "pair": pair,
            "person": mentee,
            "other": pair.mentor,
            "organisation": organisation,
            "url": _site(site_url) + reverse("portal:login"),
        },
        category="pair_mentor_accepted",
        organisation=organisation,
    )


def answer_offer(offer, *, accept, reason="", note="", site_url=""):
    """The mentor's answer through the offer's signed link (no login,
    ``matching.services.mentor_reply``); a yes tells the mentee she can answer in her space."""
    with transaction.atomic():
        pair = mentor_reply(offer, accept=accept, reason=reason, note=note)
        if pair.state == PairState.MENTOR_ACCEPTED:
            _invite_mentee(pair, site_url=site_url)
    return pair


def answer_pair(pair, *, acting_user, accept, reason="", note="", site_url=""):
    """The mentor's or the mentee's own yes or no, from the portal.

    The mentor answers a proposal (through its matching offer when there is one, so the offer
    is closed too), the mentee once the mentor has said yes. A no, with a reason from the list,
    gives both people back as the mentor's no does (``pairs.services`` moves them) and the two
    are never proposed together again. The mentor's yes tells the mentee by e-mail where to
    answer (``site_url``: the address the request came to). A yes from both e-mails each the
    other's name, contact details and the first meeting's guide (``emails/pair_accepted``)."""
    with transaction.atomic():
        pair = (
            Pair.objects.select_for_update(of=("self",))
            .select_related("mentor", "mentee")
            .get(pk=pair.pk)
        )
        side = side_of(pair, acting_user)
        expected = PairState.PROPOSED if side == "mentor" else PairState.MENTOR_ACCEPTED
        if pair.state != expected:
            raise InvalidTransition(_("This proposal has already been answered."))
        if side == "mentor":
            offer = MentorOffer.objects.filter(pair=pair, answered_at__isnull=True).first()
            if offer is not None:
                return answer_offer(
                    offer, accept=accept, reason=reason, note=note, site_url=site_url
                )
            if accept:
                pair = pair_services.accept_by_mentor(pair, acting_user=acting_user)
                _invite_mentee(pair, site_url=site_url)
                return pair
            pair = pair_services.decline_by_mentor(
                pair, acting_user=acting_user, reason=reason, note=note
            )
        elif accept:
            return pair_services.accept_by_mentee(pair, acting_user=acting_user)
        else:
            pair = pair_services.decline_by_mentee(
                pair, acting_user=acting_user, reason=reason, note=note
            )
        MatchExclusion.objects.get_or_create(
            mentor_id=pair.mentor_id,
            mentee_id=pair.mentee_id,
            defaults={"source": ExclusionSource.DECLINED, "reason": reason},
        )
    return pair


PROBLEM_CATEGORY = "portal_problem"
# Per person and pair: a second message when the first was incomplete, never a flood.
PROBLEMS_PER_DAY = 5


def coordinator_addresses(organisation):
    """Who hears of a pair's problem: the association's active coordinators, else its
    administrators, else its own address."""
    rows = Membership.objects.filter(
        organisation=organisation, is_active=True, role__in=EDITOR_ROLES, user__is_active=True
    ).values_list("role", "user__email")
    by_role = {}
    for role, email in rows:
        if email:
            by_role.setdefault(role, []).append(email)
    found = by_role.get(Role.COORDINATOR) or by_role.get(Role.ADMIN)
    if found:
        return sorted(set(found))
    return [organisation.email] if organisation.email else []


def _check_problem(category, text):
    errors = {}
    if category not in ProblemCategory.values:
        errors["category"] = _("Choose what is wrong from the list.")
    if not text:
        errors["text"] = _("Tell us in a few words what is wrong.")
    elif len(text) > MAX_PROBLEM_TEXT:
        errors["text"] = _("Keep this under 2,000 characters.")
    if errors:
        raise ValidationError(errors)


def report_problem(pair, *, acting_user, category, text, site_url=""):
    """A mentor or a mentee tells the association something is wrong with their pair: a
    ``ProblemReport`` the dashboard shows and an e-mail to the coordinators (``site_url``: the
    address the request came to, for the link to the pair's page). The journal gets the ids
    and the category, never the text."""
    text = (text or "").strip()
    with transaction.atomic():
        pair = (
            Pair.objects.select_for_update(of=("self",))
            .select_related("programme__organisation", "mentor", "mentee")
            .get(pk=pair.pk)
        )
        side = side_of(pair, acting_user)
        _check_problem(category, text)
        since = timezone.now() - datetime.timedelta(days=1)
        recent = ProblemReport.objects.filter(
            pair=pair, reported_by=acting_user, created_at__gte=since
        ).count()
        if recent >= PROBLEMS_PER_DAY:
            raise ValidationError(
                _("You have already sent several messages today: the association will answer.")
            )
        report = ProblemReport.objects.create(
            pair=pair, reported_by=acting_user, side=side, category=category, text=text
        )
        organisation = pair.programme.organisation
        url = _site(site_url) + reverse("staff:pairs:detail", args=[pair.pk])
        for to in coordinator_addresses(organisation):
            queue_email(
                to=to,
                template="emails/portal_problem",
                context={
                    "report": report,
                    "pair": pair,
                    "person": getattr(pair, side),
                    "organisation": organisation,
                    "url": url,
                },
                category=PROBLEM_CATEGORY,
                organisation=organisation,
            )
        log_activity(
            report,
            "problem_reported",
            acting_user=acting_user,
            organisation=organisation,
            pair=pair.pk,
            side=side,
            category=category,
        )
    return report


def record_first_meeting(pair, *, acting_user, held_on, checklist, notes=""):
    """The mentor or the mentee records the first meeting from the portal: its date and the
    points of the guide they went over (``pairs.services.record_first_meeting`` checks them)."""
    with transaction.atomic():
        pair = (
            Pair.objects.select_for_update(of=("self",))
            .select_related("mentor", "mentee")
            .get(pk=pair.pk)
        )
        side_of(pair, acting_user)  # PermissionDenied for anyone else
        return pair_services.record_first_meeting(
            pair, acting_user=acting_user, held_on=held_on, checklist=checklist, notes=notes
        )


def mark_problem_handled(report, *, acting_user, organisation):
    """A coordinator marks a reported problem as handled (it leaves the dashboard; the pair's
    page keeps it). Only the pair's association, once."""
    with transaction.atomic():
        report = (
            ProblemReport.objects.select_for_update(of=("self",))
            .select_related("pair__programme")
            .get(pk=report.pk)
        )
        if report.pair.programme.organisation_id != organisation.pk:
            raise PermissionDenied
        if report.handled_at is not None:
            raise ValidationError(_("This problem is already marked as handled."))
        report.handled_at = timezone.now()
        report.handled_by = acting_user
        report.save(update_fields=["handled_at", "handled_by"])
        log_activity(
            report,
            "problem_handled",
            acting_user=acting_user,
            organisation=organisation,
            pair=report.pair_id,
        )
    return report
