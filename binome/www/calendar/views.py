"""Private calendar addresses: a calendar app (Google, Outlook, Apple) subscribes to a
person's feed with the token in the URL, without logging in. An unknown or revoked token
answers 404. The token is a key: these responses are never logged with their path (Django's
request logger writes the path of every 4xx)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseNotFound
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from binome.meetings import ics
from binome.meetings.feeds import feed_by_token
from binome.meetings.models import Meeting


def _unlogged(response):
    response._has_been_logged = True  # django.utils.log.log_response: keep the token out
    return response


def _not_found():
    return _unlogged(HttpResponseNotFound(b"Not found", content_type="text/plain"))


def _calendar(body, name):
    response = HttpResponse(body, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return _unlogged(response)


def _meetings(feed):
    person = feed.person
    return (
        Meeting.objects.for_person(person)
        .select_related("pair__mentor", "pair__mentee", "pair__programme__organisation")
        .only(*ics.EVENT_FIELDS)
        .order_by("starts_at", "id")
    )


@login_not_required
@require_GET
def feed(request, token):
    feed = feed_by_token(token)
    if feed is None:
        return _not_found()
    viewer = "mentor" if feed.mentor_id else "mentee"
    body = ics.feed_ics(_meetings(feed), viewer, name=_("Mentoring meetings"))
    return _calendar(body, "binome.ics")


@login_not_required
@require_GET
def meeting(request, token, uid):
    """One meeting of the feed's person, as a file (the portal links it: no login needed)."""
    feed = feed_by_token(token)
    if feed is None:
        return _not_found()
    found = _meetings(feed).filter(uid=uid).first()
    if found is None:
        return _not_found()
    viewer = "mentor" if feed.mentor_id else "mentee"
    return _calendar(ics.meeting_ics(found, viewer), ics.filename(found))
