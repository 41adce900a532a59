"""ICS files and feeds, parsed back by icalendar: the right time zone, a stable UID, SEQUENCE,
STATUS, and nothing personal beyond the other person's first name and the place."""

import datetime
import logging
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from binome.core.models import ActivityLog
from binome.meetings import feeds, ics, services
from tests.factories import PairFactory
from tests.meetings.conftest import make_meetings

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def events(body):
    cal = Calendar.from_ical(body)
    return cal, [c for c in cal.walk("VEVENT")]


def at_paris(days, hour, minute=0):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def test_one_meeting_file_in_paris_time(pair, staff):
    when = at_paris(10, 14, 30)
    meeting = services.plan_meeting(
        pair, acting_user=staff.user, starts_at=when, place="12 rue de Lille"
    )
    cal, (ev,) = events(ics.meeting_ics(meeting, "mentor"))
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    start = ev.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Paris"
    assert (start.hour, start.minute) == (14, 30)
    assert start == when
    assert ev.decoded("DTEND") - start == datetime.timedelta(minutes=90)
    assert "Yanis" in str(ev["SUMMARY"])
    assert str(ev["LOCATION"]) == "12 rue de Lille"
    assert str(ev["STATUS"]) == "CONFIRMED"
    body = ics.meeting_ics(meeting, "mentor").decode()
    assert "Menteelastname" not in body
    assert "Mentorlastname" not in body
    assert "@" not in str(ev["DESCRIPTION"])  # no e-mail addresses
    mentee_view = events(ics.meeting_ics(meeting, "mentee"))[1][0]
    assert "Camille" in str(mentee_view["SUMMARY"])


def test_uid_stays_and_sequence_grows_across_edits_and_cancel(pair, staff):
    meeting = services.plan_meeting(
        pair, acting_user=staff.user, starts_at=at_paris(5, 10), place="Café"
    )
    first = events(ics.meeting_ics(meeting, "mentor"))[1][0]
    meeting = services.update_meeting(
        meeting,
        acting_user=staff.user,
        starts_at=at_paris(6, 11),
        planned_minutes=60,
        place="Café",
        video_url="",
    )
    second = events(ics.meeting_ics(meeting, "mentor"))[1][0]
    assert str(first["UID"]) == str(second["UID"])
    assert (first["SEQUENCE"], second["SEQUENCE"]) == (0, 1)
    assert second.decoded("DTSTART").hour == 11
    meeting = services.cancel_meeting(meeting, acting_user=staff.user, reason="Empêché")
    third = events(ics.meeting_ics(meeting, "mentor"))[1][0]
    assert str(third["UID"]) == str(first["UID"])
    assert third["SEQUENCE"] == 2
    assert str(third["STATUS"]) == "CANCELLED"


def test_winter_and_summer_times(pair, staff):
    """Both sides of a clock change keep their wall-clock time in Paris."""
    for days in (10, 130, 250):
        when = at_paris(days, 9, 15)
        meeting = services.plan_meeting(pair, acting_user=staff.user, starts_at=when, place="x")
        ev = events(ics.meeting_ics(meeting, "mentor"))[1][0]
        assert ev.decoded("DTSTART").astimezone(PARIS).hour == 9
        assert ev.decoded("DTSTART").astimezone(datetime.UTC) == when.astimezone(datetime.UTC)


def test_feed_lists_every_pair_of_the_mentor_and_is_a_calendar(client, pair, staff):
    other = PairFactory(programme=pair.programme, mentor=pair.mentor, state="active")
    make_meetings(pair, 3)
    make_meetings(other, 2)
    make_meetings(PairFactory(programme=pair.programme, state="active"), 4)  # not theirs
    feed = feeds.issue_feed(pair.mentor, acting_user=staff.user)
    response = client.get(reverse("calendar:feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal, evs = events(response.content)
    assert len(evs) == 5
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Paris"
    assert len({str(e["UID"]) for e in evs}) == 5


def test_revoked_or_replaced_token_answers_404(client, pair, staff, caplog):
    caplog.set_level(logging.DEBUG)
    feed = feeds.issue_feed(pair.mentee, acting_user=pair.mentee.user)
    url = reverse("calendar:feed", args=[feed.token])
    assert client.get(url).status_code == 200
    new = feeds.issue_feed(pair.mentee, acting_user=staff.user)
    assert client.get(url).status_code == 404
    new_url = reverse("calendar:feed", args=[new.token])
    assert client.get(new_url).status_code == 200
    assert feeds.revoke_feed(pair.mentee, acting_user=staff.user) == 1
    assert client.get(new_url).status_code == 404
    assert client.get(reverse("calendar:feed", args=["x" * 43])).status_code == 404
    # The token is a key: never in a log record nor in the journal.
    for token in (feed.token, new.token):
        assert token not in caplog.text
        assert not any(token in str(r.data) for r in ActivityLog.objects.all())


def test_only_the_person_or_the_staff_issue_a_feed(pair):
    with pytest.raises(PermissionDenied):
        feeds.issue_feed(pair.mentee, acting_user=pair.mentor.user)


def test_one_meeting_by_token_and_never_another_persons(client, pair, staff):
    (mine,) = make_meetings(pair, 1)
    (theirs,) = make_meetings(PairFactory(programme=pair.programme, state="active"), 1)
    token = feeds.issue_feed(pair.mentor, acting_user=staff.user).token
    ok = client.get(reverse("calendar:meeting", args=[token, mine.uid]))
    assert ok.status_code == 200
    assert str(events(ok.content)[1][0]["UID"]).startswith(str(mine.uid))
    assert client.get(reverse("calendar:meeting", args=[token, theirs.uid])).status_code == 404


def test_planned_meetings_of_an_ended_pair_show_cancelled(pair, staff):
    meeting = services.plan_meeting(
        pair, acting_user=staff.user, starts_at=at_paris(3, 9), place="x"
    )
    type(pair).objects.filter(pk=pair.pk).update(state="cancelled")
    meeting.pair.refresh_from_db()
    assert str(events(ics.meeting_ics(meeting, "mentor"))[1][0]["STATUS"]) == "CANCELLED"
    assert services.cancel_planned_meetings(pair, acting_user=staff.user, reason="Fin") == 1
    meeting.refresh_from_db()
    assert (meeting.state, meeting.sequence) == ("cancelled", 1)


def test_feed_events_cached_never_stale(client, pair, staff):
    from django.core.cache import cache

    meeting = services.plan_meeting(
        pair, acting_user=staff.user, starts_at=at_paris(4, 9), place="A"
    )
    url = reverse(
        "calendar:feed", args=[feeds.issue_feed(pair.mentor, acting_user=staff.user).token]
    )
    cache.clear()
    cold = client.get(url).content
    assert client.get(url).content == cold  # from the cache, the same text
    services.update_meeting(
        meeting,
        acting_user=staff.user,
        starts_at=at_paris(4, 16),
        planned_minutes=90,
        place="B",
        video_url="",
    )
    (ev,) = events(client.get(url).content)[1]
    assert (str(ev["LOCATION"]), ev["SEQUENCE"], ev.decoded("DTSTART").hour) == ("B", 1, 16)
