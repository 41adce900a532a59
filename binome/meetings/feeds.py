"""Private calendar addresses (ICS feeds) of mentors and mentees: one active token per
person, issued again (the old one revoked: 404) or revoked by the person or the staff. The
token is the only key a calendar app has; it is never written to the journal."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from binome.core.services import log_activity
from binome.meetings.models import CalendarFeed
from binome.meetings.rules import may_manage_feed


def _person_filter(person):
    return {"mentor": person} if person._meta.model_name == "mentor" else {"mentee": person}


def active_feed(person):
    """The person's current feed, or None (a read: issuing one is ``issue_feed``)."""
    return CalendarFeed.objects.active().filter(**_person_filter(person)).first()


def active_feeds(pair):
    """``{"mentor": feed or None, "mentee": feed or None}`` for a pair's two people (one
    query)."""
    found = {"mentor": None, "mentee": None}
    rows = CalendarFeed.objects.active().filter(
        Q(mentor_id=pair.mentor_id) | Q(mentee_id=pair.mentee_id)
    )
    for feed in rows:
        found["mentor" if feed.mentor_id else "mentee"] = feed
    return found


def feed_by_token(token):
    """The active feed with this token, or None (a revoked token finds nothing)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        return None
    return (
        CalendarFeed.objects.active().select_related("mentor", "mentee").filter(token=token).first()
    )


def _lock_person(person, acting_user):
    person = (
        type(person)
        .objects.select_for_update(of=("self",))
        .select_related("programme__organisation")
        .get(pk=person.pk)
    )
    if not may_manage_feed(person, acting_user):
        raise PermissionDenied
    return person


def issue_feed(person, *, acting_user):
    """A new private calendar address for a mentor or a mentee; the previous one (if any) is
    revoked and answers 404 from now on."""
    with transaction.atomic():
        person = _lock_person(person, acting_user)
        revoked = _revoke(person)
        feed = CalendarFeed.objects.create(**_person_filter(person))
        log_activity(
            person,
            "calendar_feed_issued",
            acting_user=acting_user,
            organisation=person.programme.organisation,
            feed=feed.pk,
            revoked=revoked,
        )
    return feed


def _revoke(person):
    return (
        CalendarFeed.objects.active()
        .filter(**_person_filter(person))
        .update(revoked_at=timezone.now())
    )


def revoke_feed(person, *, acting_user):
    """The person's calendar address stops working (404); no new one is issued."""
    with transaction.atomic():
        person = _lock_person(person, acting_user)
        revoked = _revoke(person)
        if revoked:
            log_activity(
                person,
                "calendar_feed_revoked",
                acting_user=acting_user,
                organisation=person.programme.organisation,
            )
    return revoked
