"""Meetings as iCalendar (RFC 5545), read by Google, Outlook and Apple calendars.

Times carry ``TZID=Europe/Paris`` (the site's zone) with its VTIMEZONE written once per file,
in the compact yearly-rule form those apps write themselves. Each event keeps the meeting's
UID across edits; SEQUENCE grows with every change the calendar shows; a cancelled (or not
held) meeting stays in the feed with STATUS:CANCELLED, so calendars remove it. Nothing
personal beyond what the person already knows: the other person's first name, the place.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from binome.meetings.enums import MeetingState
from binome.pairs.enums import TERMINAL_STATES

PRODID = "-//Binôme//Meetings//FR"
UID_DOMAIN = "binome.meetings"
# What an event reads (``QuerySet.only`` for a feed of hundreds of meetings).
EVENT_FIELDS = (
    "uid",
    "sequence",
    "updated_at",
    "starts_at",
    "planned_minutes",
    "state",
    "place",
    "video_url",
    "pair__state",
    "pair__mentor__first_name",
    "pair__mentee__first_name",
    "pair__programme__name",
    "pair__programme__organisation__name",
)
CONTENT_TYPE = "text/calendar; charset=utf-8"
CANCELLED = {MeetingState.CANCELLED, MeetingState.NOT_HELD}


def _zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _vtimezone(name):
    if name != "Europe/Paris":
        return Timezone.from_tzid(name)
    tz = Timezone()
    tz.add("tzid", name)
    for cls, start, month, frm, to, abbr in (
        (TimezoneDaylight, datetime.datetime(1970, 3, 29, 2), 3, "+0100", "+0200", "CEST"),
        (TimezoneStandard, datetime.datetime(1970, 10, 25, 3), 10, "+0200", "+0100", "CET"),
    ):
        part = cls()
        part.add("dtstart", start)
        part.add("rrule", vRecur(freq="YEARLY", bymonth=month, byday="-1SU"))
        part["tzoffsetfrom"] = frm
        part["tzoffsetto"] = to
        part.add("tzname", abbr)
        tz.add_component(part)
    return tz


def _calendar(name=None):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", settings.TIME_ZONE)
        cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
    cal.add_component(_vtimezone(settings.TIME_ZONE))
    return cal


def is_cancelled(meeting):
    """Cancelled or not held; and a meeting still planned when its pair ended (the calendar
    drops it even before anybody cancels it)."""
    if meeting.state in CANCELLED:
        return True
    return meeting.state == MeetingState.PLANNED and meeting.pair.state in TERMINAL_STATES


def summary(meeting, viewer):
    """The title as ``viewer`` ("mentor", "mentee", anything else: the staff) sees it."""
    pair = meeting.pair
    if viewer == "mentor":
        return _("Mentoring with %(name)s") % {"name": pair.mentee.first_name}
    if viewer == "mentee":
        return _("Mentoring with %(name)s") % {"name": pair.mentor.first_name}
    return _("Mentoring: %(mentor)s and %(mentee)s") % {
        "mentor": pair.mentor.first_name,
        "mentee": pair.mentee.first_name,
    }


def event(meeting, viewer, *, zone=None):
    zone = zone or _zone()
    pair = meeting.pair
    ev = Event()
    ev.add("uid", f"{meeting.uid}@{UID_DOMAIN}")
    ev.add("sequence", meeting.sequence)
    ev.add("dtstamp", meeting.updated_at.astimezone(datetime.UTC))
    start = meeting.starts_at.astimezone(zone)
    ev.add("dtstart", start)
    ev.add("dtend", start + datetime.timedelta(minutes=meeting.planned_minutes))
    ev.add("summary", summary(meeting, viewer))
    ev.add("status", "CANCELLED" if is_cancelled(meeting) else "CONFIRMED")
    location = meeting.place or meeting.video_url
    if location:
        ev.add("location", location)
    lines = [f"{pair.programme.name} — {pair.programme.organisation.name}"]
    if meeting.video_url:
        ev.add("url", meeting.video_url)
        lines.append(_("Video link: %(url)s") % {"url": meeting.video_url})
    ev.add("description", "\n".join(lines))
    return ev


def meeting_ics(meeting, viewer):
    """One meeting as a file (``.ics``) to open in a calendar."""
    cal = _calendar()
    cal.add_component(event(meeting, viewer))
    return cal.to_ical()


def feed_ics(meetings, viewer, *, name):
    """Every meeting of a person's pairs, as one subscribed calendar."""
    cal = _calendar(name)
    zone = _zone()
    for meeting in meetings:
        cal.add_component(event(meeting, viewer, zone=zone))
    return cal.to_ical()


def filename(meeting):
    return f"rencontre-{timezone.localtime(meeting.starts_at):%Y-%m-%d-%H%M}.ics"
