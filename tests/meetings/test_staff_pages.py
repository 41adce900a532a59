"""The Meetings section of the staff pair page and its forms: on behalf of a person, bad
input kept with a translated error on its field, another organisation's ids answer 404, a
read-only partner sees no meeting, and the page's query count does not grow with meetings."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from binome.meetings import services
from binome.meetings.enums import MeetingState, Side
from binome.meetings.models import CalendarFeed, Meeting
from tests.factories import MembershipFactory, PairFactory
from tests.meetings.conftest import ago, make_meetings

pytestmark = pytest.mark.django_db


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff.user)
    return client


def test_pair_page_shows_the_meetings_and_the_rhythm(staff_client, pair):
    make_meetings(pair, 3)
    response = staff_client.get(reverse("staff:pairs:detail", args=[pair.pk]))
    assert response.status_code == 200
    assert len(response.context["meetings"]) == 3
    rhythm = response.context["rhythm"]
    assert rhythm.held == 3
    html = response.content.decode()
    assert "Rencontres" in html
    assert reverse("staff:pairs:meetings", args=[pair.pk]) in html


def test_plan_on_behalf_of_the_mentor(staff_client, pair, staff):
    url = reverse("staff:pairs:meetings", args=[pair.pk])
    assert staff_client.get(url).context["form"].initial["planned_minutes"] == 90
    when = timezone.now() + datetime.timedelta(days=4)
    response = staff_client.post(
        url,
        {
            "starts_at": local(when),
            "planned_minutes": "75",
            "place": "Café de la gare",
            "on_behalf_of": "mentor",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.planned_side, meeting.planned_on_behalf, meeting.planned_by) == (
        Side.MENTOR,
        True,
        staff.user,
    )
    assert meeting.planned_minutes == 75
    assert local(meeting.starts_at) == local(when)


def test_bad_input_keeps_what_was_typed_with_a_french_error_on_its_field(staff_client, pair):
    url = reverse("staff:pairs:meetings", args=[pair.pk])
    far = timezone.now() + datetime.timedelta(days=500)
    response = staff_client.post(
        url,
        {"starts_at": local(far), "planned_minutes": "90", "place": "Chez Paul"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "starts_at" in form.errors
    assert "Choisissez une date" in form.errors["starts_at"][0]
    assert 'value="Chez Paul"' in response.content.decode()
    response = staff_client.post(url, {"starts_at": local(far), "planned_minutes": "90"})
    assert "place" in response.context["form"].errors  # no place nor video link
    response = staff_client.post(url, {"starts_at": "2026-02-30T10:00", "planned_minutes": "x"})
    assert {"starts_at", "planned_minutes"} <= set(response.context["form"].errors)
    assert not Meeting.objects.exists()


def test_log_then_confirm_on_behalf(staff_client, pair, staff):
    meeting = services.plan_meeting(
        pair, acting_user=staff.user, starts_at=ago(days=1), place="Lille"
    )
    log_url = reverse("staff:pairs:meeting_log", args=[pair.pk, meeting.pk])
    response = staff_client.post(log_url, {"held": "yes", "held_minutes": "", "topics": "CV"})
    assert "held_minutes" in response.context["form"].errors
    assert "CV" in response.content.decode()
    response = staff_client.post(
        log_url,
        {
            "held": "yes",
            "held_minutes": "85",
            "topics": "CV",
            "during_working_time": "yes",
            "on_behalf_of": "mentee",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.state, meeting.logged_side, meeting.during_working_time) == (
        MeetingState.HELD,
        Side.MENTEE,
        True,
    )
    # Logged: no second log; the mentor (the other side) confirms.
    assert staff_client.get(log_url).status_code == 404
    confirm_url = reverse("staff:pairs:meeting_confirm", args=[pair.pk, meeting.pk])
    form = staff_client.get(confirm_url).context["form"]
    assert [v for v, _label in form.fields["on_behalf_of"].choices] == ["mentor"]
    response = staff_client.post(
        confirm_url,
        {"held": "yes", "held_minutes": "60", "topics": "CV", "on_behalf_of": "mentor"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.confirmed_side, meeting.corrected, meeting.held_minutes) == (
        Side.MENTOR,
        True,
        60,
    )


def test_cancel_and_ics_download(staff_client, pair, staff):
    meeting = services.plan_meeting(
        pair, acting_user=staff.user, starts_at=ago(days=-2), place="Lille"
    )
    ics = staff_client.get(reverse("staff:pairs:meeting_ics", args=[pair.pk, meeting.pk]))
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content
    url = reverse("staff:pairs:meeting_cancel", args=[pair.pk, meeting.pk])
    response = staff_client.post(url, {"reason": ""})
    assert "reason" in response.context["form"].errors
    assert staff_client.post(url, {"reason": "Grève"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED
    assert staff_client.get(url).status_code == 404


def test_feed_issue_and_revoke_from_the_page(staff_client, pair, client):
    url = reverse("staff:pairs:feed", args=[pair.pk, "mentee"])
    assert staff_client.post(url, {"do": "issue"}).status_code == 302
    feed = CalendarFeed.objects.get()
    page = staff_client.get(reverse("staff:pairs:detail", args=[pair.pk])).content.decode()
    assert reverse("calendar:feed", args=[feed.token]) in page
    staff_client.post(url, {"do": "revoke"})
    assert staff_client.get(reverse("calendar:feed", args=[feed.token])).status_code == 404


def meeting_urls(pair, meeting):
    p, m = pair.pk, meeting.pk
    return [
        reverse("staff:pairs:meetings", args=[p]),
        reverse("staff:pairs:meeting_change", args=[p, m]),
        reverse("staff:pairs:meeting_log", args=[p, m]),
        reverse("staff:pairs:meeting_confirm", args=[p, m]),
        reverse("staff:pairs:meeting_cancel", args=[p, m]),
        reverse("staff:pairs:meeting_ics", args=[p, m]),
        reverse("staff:pairs:feed", args=[p, "mentor"]),
    ]


@pytest.mark.parametrize("role", ["admin", "coordinator", "partner"])
def test_another_organisation_answers_404(client, pair, role):
    (meeting,) = make_meetings(pair, 1, state=MeetingState.PLANNED, start_days_ago=1)
    other = MembershipFactory(role=role)
    client.force_login(other.user)
    for url in meeting_urls(pair, meeting):
        get, post = client.get(url).status_code, client.post(url, {"reason": "x"}).status_code
        if role == "partner":
            assert {get, post} <= {403, 404}, url
        else:
            # The .ics answers GET only, the calendar address POST only: 405 before any lookup.
            assert {get, post} <= {404, 405}, url
            assert 404 in {get, post}, url
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED


def test_a_meeting_of_another_pair_answers_404(staff_client, pair):
    other = PairFactory(programme=pair.programme, state="active")
    (meeting,) = make_meetings(other, 1, state=MeetingState.PLANNED, start_days_ago=1)
    for url in meeting_urls(pair, meeting)[1:-1]:
        assert staff_client.get(url).status_code == 404, url


def test_a_partner_sees_no_meeting(client, pair):
    referrer = MembershipFactory().organisation
    partner = MembershipFactory(
        partner=True, organisation=pair.programme.organisation, partner_organisation=referrer
    )
    type(pair.mentee).objects.filter(pk=pair.mentee.pk).update(referred_by=referrer)
    (meeting,) = make_meetings(pair, 1)
    client.force_login(partner.user)
    response = client.get(reverse("staff:pairs:detail", args=[pair.pk]))
    assert response.status_code == 200
    assert response.context["meetings"] is None
    assert "Lille" not in response.content.decode()
    for url in meeting_urls(pair, meeting):
        assert client.get(url).status_code in {403, 405}, url


@pytest.mark.parametrize("n", [1, 200])
def test_pair_page_query_count_is_constant(staff_client, pair, django_assert_num_queries, n):
    make_meetings(pair, n // 2 or 1)
    make_meetings(pair, n - (n // 2 or 1), state=MeetingState.PLANNED, start_days_ago=-1)
    CalendarFeed.objects.create(mentor=pair.mentor)
    # session, user, membership + organisation, pair, transitions, signatures, meetings,
    # rhythm, feeds; the plan (intake, goals, history: tests/plans); the problems reported
    with django_assert_num_queries(13):
        response = staff_client.get(reverse("staff:pairs:detail", args=[pair.pk]))
    assert len(response.context["meetings"]) == n


JUNK_VALUES = {
    "starts_at": "2026-02-30T25:61",
    "planned_minutes": "²",
    "held": "maybe",
    "held_minutes": "-5",
    "during_working_time": "\x00",
    "on_behalf_of": "nobody",
    "reason": "\x00",
    "video_url": "javascript:alert(1)",
    "place": "x" * 300,
    "do": "\x00",
}


@pytest.mark.parametrize("state", [MeetingState.PLANNED, MeetingState.HELD, MeetingState.CANCELLED])
def test_junk_never_gives_a_500(staff, pair, state):
    from django.test import Client

    client = Client(raise_request_exception=True)
    client.force_login(staff.user)
    (meeting,) = make_meetings(pair, 1, state=state, start_days_ago=1)
    for url in meeting_urls(pair, meeting):
        for data in ({}, JUNK_VALUES, {"on_behalf_of": "mentor", "held": "no"}):
            assert client.post(url, data).status_code < 500, url
            assert client.get(url, data).status_code < 500, url


def test_a_time_that_does_not_exist_in_paris_is_refused(staff_client, pair):
    """The spring clock change skips 02:00–03:00 (last Sunday of March)."""
    year = timezone.localdate().year + 1
    day = max(
        datetime.date(year, 3, d) for d in range(25, 32) if datetime.date(year, 3, d).weekday() == 6
    )
    response = staff_client.post(
        reverse("staff:pairs:meetings", args=[pair.pk]),
        {"starts_at": f"{day:%Y-%m-%d}T02:30", "planned_minutes": "90", "place": "Lille"},
    )
    assert response.status_code == 200
    assert "starts_at" in response.context["form"].errors
    assert not Meeting.objects.exists()
