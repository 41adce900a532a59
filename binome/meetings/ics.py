"""Meetings as iCalendar (RFC 5545), read by Google, Outlook and Apple calendars.

Times carry ``TZID=Europe/Paris`` (the site's zone) with its VTIMEZONE written once per file,
in the compact yearly-rule form those apps write themselves. Each event keeps the meeting's
UID across edits; SEQUENCE grows with every change the calendar shows; a cancelled (or not
held) meeting stays in the feed with STATUS:CANCELLED, so calendars remove it. Nothing
personal beyond what the person already knows: the other person's first name, the place.
"""

import datetime
import hashlib
import zoneinfo

from django.conf import settings
from django.core.cache import cache
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
EVENT_CACHE_SECONDS = 7 * 24 * 3600
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


def _values(meeting, viewer, zone):
    """Everything an event shows, computed without icalendar (cheap): the cache key too."""
    pair = meeting.pair
    lines = [f"{pair.programme.name} — {pair.programme.organisation.name}"]
    if meeting.video_url:
        lines.append(_("Video link: %(url)s") % {"url": meeting.video_url})
    start = meeting.starts_at.astimezone(zone)
    return (
        f"{meeting.uid}@{UID_DOMAIN}",
        meeting.sequence,
        meeting.updated_at.astimezone(datetime.UTC).replace(microsecond=0),
        start,
        start + datetime.timedelta(minutes=meeting.planned_minutes),
        summary(meeting, viewer),
        "CANCELLED" if is_cancelled(meeting) else "CONFIRMED",
        meeting.place or meeting.video_url,
        meeting.video_url,
        "\n".join(lines),
    )


def _event(values):
    uid, sequence, stamp, start, end, title, status, location, url, description = values
    ev = Event()
    ev.add("uid", uid)
    ev.add("sequence", sequence)
    ev.add("dtstamp", stamp)
    ev.add("dtstart", start)
    ev.add("dtend", end)
    ev.add("summary", title)
    ev.add("status", status)
    if location:
        ev.add("location", location)
    if url:
        ev.add("url", url)
    ev.add("description", description)
    return ev


def event(meeting, viewer, *, zone=None):
    return _event(_values(meeting, viewer, zone or _zone()))


def _cache_key(values):
    digest = hashlib.sha256(repr(values).encode()).hexdigest()
    return f"meetings:vevent:{digest}"


def meeting_ics(meeting, viewer):
    """One meeting as a file (``.ics``) to open in a calendar."""
    cal = _calendar()
    cal.add_component(event(meeting, viewer))
    return cal.to_ical()


def feed_ics(meetings, viewer, *, name):
    """Every meeting of a person's pairs, as one subscribed calendar.

    Calendar apps poll a feed every hour or so and most events never change: each event's
    text is cached under a digest of everything it shows (so a change is a new key, never a
    stale event) and only new or changed events are serialised again."""
    zone = _zone()
    values = [_values(m, viewer, zone) for m in meetings]
    keys = [_cache_key(v) for v in values]
    cached = cache.get_many(keys)
    fresh = {}
    parts = []
    for key, value in zip(keys, values, strict=True):
        text = cached.get(key)
        if text is None:
            text = fresh[key] = _event(value).to_ical()
        parts.append(text)
    if fresh:
        cache.set_many(fresh, EVENT_CACHE_SECONDS)
    head = _calendar(name).to_ical()
    end = b"END:VCALENDAR\r\n"
    return head[: -len(end)] + b"".join(parts) + end


def filename(meeting):
    return f"rencontre-{timezone.localtime(meeting.starts_at):%Y-%m-%d-%H%M}.ics"
