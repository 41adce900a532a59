"""The portal's meetings pages: the mentor or the mentee plans, changes, cancels, logs,
confirms or corrects; downloads a meeting's .ics; gets, renews and revokes their calendar
address. Another person's pair or meeting answers 404, staff and partners get nothing, bad
input shows a translated error on its field with what was typed kept, and the list's query
count does not grow with the meetings."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from binome.meetings import services
from binome.meetings.enums import MeetingState, Side
from binome.meetings.models import CalendarFeed, Meeting
from binome.pairs.enums import PairState
from tests.factories import MembershipFactory, UserFactory
from tests.meetings.conftest import ago, make_meetings
from tests.portal.conftest import make_pair

pytestmark = pytest.mark.django_db


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def pair():
    """An active pair started 60 days ago; both people have portal accounts."""
    pair = make_pair(
        state=PairState.ACTIVE,
        started_on=timezone.localdate() - datetime.timedelta(days=60),
        first_meeting_on=timezone.localdate() - datetime.timedelta(days=65),
        mentor__first_name="Camille",
        mentee__first_name="Yanis",
    )
    for person in (pair.mentor, pair.mentee):
        person.user = UserFactory(email=person.email)
        person.save(update_fields=["user"])
    return pair


@pytest.fixture
def mentor_client(client, pair):
    client.force_login(pair.mentor.user)
    return client


def url(name, pair, meeting=None):
    args = [pair.pk] if meeting is None else [pair.pk, meeting.pk]
    return reverse(f"portal:{name}", args=args)


def planned(pair, *, days=3, by=None):
    return services.plan_meeting(
        pair,
        acting_user=by or pair.mentor.user,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        planned_minutes=90,
        place="Café de la gare",
    )


def past(pair, *, by=None):
    meeting = planned(pair, by=by)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=ago(days=2))
    meeting.refresh_from_db()
    return meeting


def logged(pair, *, by):
    meeting = past(pair)
    return services.log_meeting(meeting, acting_user=by, held=True, held_minutes=80, topics="CV")


class TestPermissions:
    def test_visitors_are_sent_to_log_in(self, client, pair):
        page = client.get(url("meetings", pair))
        assert page.status_code == 302
        assert page["Location"].startswith(reverse("portal:login"))

    def test_another_pair_and_its_meetings_are_404(self, mentor_client, pair):
        other = make_pair(state=PairState.ACTIVE, programme=pair.programme)
        theirs = past(other, by=MembershipFactory(organisation=pair.programme.organisation).user)
        mine = past(pair)
        assert mentor_client.get(url("meetings", other)).status_code == 404
        assert mentor_client.get(url("meeting_plan", other)).status_code == 404
        for name in ("meeting_log", "meeting_change", "meeting_cancel", "meeting_ics"):
            assert mentor_client.get(url(name, other, theirs)).status_code == 404
            # Their meeting under my pair's address: 404 too.
            assert mentor_client.get(url(name, pair, theirs)).status_code == 404
            assert mentor_client.get(url(name, pair, mine)).status_code == 200
        post = mentor_client.post(url("meeting_cancel", other, theirs), {"reason": "no"})
        assert post.status_code == 404
        assert mentor_client.post(url("meeting_feed", other)).status_code == 404
        theirs.refresh_from_db()
        assert theirs.state == MeetingState.PLANNED
        assert not CalendarFeed.objects.exists()

    @pytest.mark.parametrize("partner", [False, True])
    def test_staff_and_partners_get_nothing(self, client, pair, partner):
        member = MembershipFactory(partner=partner, organisation=pair.programme.organisation)
        meeting = past(pair)
        client.force_login(member.user)
        assert client.get(url("meetings", pair)).status_code == 404
        assert client.get(url("meeting_ics", pair, meeting)).status_code == 404
        assert client.get(url("meeting_problem", pair)).status_code == 404
        assert client.post(url("meeting_log", pair, meeting), {"held": "no"}).status_code == 404

    def test_a_pair_not_under_way_has_no_meetings_page(self, client):
        pair = make_pair(state=PairState.PROPOSED)
        pair.mentor.user = UserFactory(email=pair.mentor.email)
        pair.mentor.save(update_fields=["user"])
        client.force_login(pair.mentor.user)
        assert client.get(url("meetings", pair)).status_code == 404
        assert client.get(url("meeting_plan", pair)).status_code == 404

    def test_the_one_who_logged_cannot_confirm(self, mentor_client, pair):
        meeting = logged(pair, by=pair.mentor.user)
        assert mentor_client.get(url("meeting_confirm", pair, meeting)).status_code == 404
        page = mentor_client.get(url("meetings", pair))
        assert url("meeting_confirm", pair, meeting) not in page.content.decode()


class TestPages:
    def test_the_pair_page_links_the_meetings_and_report_a_problem(self, mentor_client, pair):
        html = mentor_client.get(reverse("portal:pair", args=[pair.pk])).content.decode()
        assert url("meetings", pair) in html
        assert url("meeting_problem", pair) in html

    def test_plan_then_change_then_cancel(self, mentor_client, pair):
        page = mentor_client.get(url("meeting_plan", pair))
        assert page.context["form"].initial["planned_minutes"] == 90
        assert "on_behalf_of" not in page.context["form"].fields
        when = timezone.now() + datetime.timedelta(days=4)
        response = mentor_client.post(
            url("meeting_plan", pair),
            {"starts_at": local(when), "planned_minutes": "75", "place": "Médiathèque"},
        )
        assert response.status_code == 302
        meeting = Meeting.objects.get()
        assert (meeting.planned_side, meeting.planned_on_behalf, meeting.planned_by) == (
            Side.MENTOR,
            False,
            pair.mentor.user,
        )
        assert meeting.place == "Médiathèque"
        change = url("meeting_change", pair, meeting)
        assert mentor_client.get(change).context["form"].initial["place"] == "Médiathèque"
        mentor_client.post(
            change, {"starts_at": local(when), "planned_minutes": "90", "place": "Café"}
        )
        meeting.refresh_from_db()
        assert (meeting.place, meeting.planned_minutes, meeting.sequence) == ("Café", 90, 1)
        empty = mentor_client.post(url("meeting_cancel", pair, meeting), {"reason": ""})
        assert empty.status_code == 200
        mentor_client.post(url("meeting_cancel", pair, meeting), {"reason": "Ill"})
        meeting.refresh_from_db()
        assert meeting.state == MeetingState.CANCELLED
        # Once cancelled, it cannot be changed any more.
        assert mentor_client.get(change).status_code == 404

    def test_bad_input_keeps_what_was_typed_with_a_french_error(self, client, pair):
        client.force_login(pair.mentor.user)
        client.cookies["django_language"] = "fr"
        far = timezone.now() + datetime.timedelta(days=800)
        page = client.post(
            url("meeting_plan", pair),
            {"starts_at": local(far), "planned_minutes": "75", "place": "Café typo"},
        )
        assert page.status_code == 200
        errors = page.context["form"].errors
        assert "starts_at" in errors
        assert "Choisissez une date" in str(errors["starts_at"])
        assert 'value="Café typo"' in page.content.decode()
        garbage = client.post(
            url("meeting_plan", pair), {"starts_at": "demain", "planned_minutes": "x"}
        )
        assert garbage.status_code == 200
        assert {"starts_at", "planned_minutes"} <= set(garbage.context["form"].errors)
        assert not Meeting.objects.exists()

    def test_the_mentor_logs_and_the_mentee_corrects(self, client, pair):
        meeting = past(pair)
        client.force_login(pair.mentor.user)
        page = client.get(url("meetings", pair))
        assert [m for m, _ in page.context["groups"]["to_log"]] == [meeting]
        response = client.post(
            url("meeting_log", pair, meeting),
            {"held": "yes", "held_minutes": "", "topics": "Le CV"},
        )
        assert response.status_code == 200
        assert "held_minutes" in response.context["form"].errors
        response = client.post(
            url("meeting_log", pair, meeting),
            {"held": "yes", "held_minutes": "80", "topics": "Le CV", "during_working_time": "no"},
        )
        assert response.status_code == 302
        meeting.refresh_from_db()
        assert (meeting.state, meeting.logged_side, meeting.held_minutes) == ("held", "mentor", 80)
        client.force_login(pair.mentee.user)
        page = client.get(url("meetings", pair))
        assert [m for m, _ in page.context["groups"]["to_confirm"]] == [meeting]
        confirm = url("meeting_confirm", pair, meeting)
        assert client.get(confirm).context["form"].initial["held_minutes"] == 80
        response = client.post(
            confirm,
            {"held": "yes", "held_minutes": "60", "topics": "Le CV", "during_working_time": "no"},
        )
        assert response.status_code == 302
        meeting.refresh_from_db()
        assert (meeting.confirmed_side, meeting.corrected, meeting.held_minutes) == (
            "mentee",
            True,
            60,
        )
        assert client.get(confirm).status_code == 404  # nothing left to confirm

    def test_a_future_meeting_cannot_be_logged(self, mentor_client, pair):
        meeting = planned(pair)
        assert mentor_client.get(url("meeting_log", pair, meeting)).status_code == 404

    def test_the_rhythm_against_the_norm(self, mentor_client, pair):
        make_meetings(pair, 3)
        page = mentor_client.get(url("meetings", pair))
        rhythm = page.context["rhythm"]
        assert (rhythm.held, rhythm.norm_per_month) == (3, pair.programme.meetings_per_month)
        assert "Rhythm" in page.content.decode()

    def test_ics_download(self, mentor_client, pair):
        meeting = planned(pair)
        response = mentor_client.get(url("meeting_ics", pair, meeting))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        assert "attachment" in response["Content-Disposition"]
        cal = icalendar.Calendar.from_ical(response.content)
        event = next(iter(cal.walk("VEVENT")))
        assert str(event["UID"]).startswith(str(meeting.uid))
        assert "Yanis" in str(event["SUMMARY"])
        assert event.decoded("DTSTART") == meeting.starts_at.replace(microsecond=0)

    def test_feed_get_renew_revoke(self, mentor_client, pair):
        page = mentor_client.get(url("meetings", pair))
        assert page.context["feed_url"] == ""
        mentor_client.post(url("meeting_feed", pair), {"do": "issue"})
        first = CalendarFeed.objects.active().get(mentor=pair.mentor)
        page = mentor_client.get(url("meetings", pair))
        assert first.token in page.context["feed_url"]
        assert "Google" in page.content.decode()
        assert mentor_client.get(reverse("calendar:feed", args=[first.token])).status_code == 200
        mentor_client.post(url("meeting_feed", pair), {"do": "issue"})
        second = CalendarFeed.objects.active().get(mentor=pair.mentor)
        assert second.token != first.token
        assert mentor_client.get(reverse("calendar:feed", args=[first.token])).status_code == 404
        mentor_client.post(url("meeting_feed", pair), {"do": "revoke"})
        assert not CalendarFeed.objects.active().exists()
        assert mentor_client.get(reverse("calendar:feed", args=[second.token])).status_code == 404
        assert mentor_client.get(url("meeting_feed", pair)).status_code == 405


class TestQueryCounts:
    @pytest.mark.parametrize("n", [1, 100])
    def test_the_meetings_page(self, mentor_client, pair, n, django_assert_num_queries):
        make_meetings(pair, n)
        make_meetings(pair, n, state=MeetingState.PLANNED, start_days_ago=-3)
        mentor_client.post(url("meeting_feed", pair), {"do": "issue"})
        # session, user, memberships (the header), pair, meetings, rhythm, feed
        with django_assert_num_queries(7):
            page = mentor_client.get(url("meetings", pair))
        assert page.status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"starts_at": "9999-12-31T23:59", "planned_minutes": "90", "place": "Lille"},
        {"starts_at": "0001-01-01T00:00", "planned_minutes": "90", "place": "Lille"},
        {"starts_at": "2026-02-30T10:00", "planned_minutes": "-5", "place": ""},
        {"starts_at": "", "planned_minutes": "1" * 40, "video_url": "javascript:alert(1)"},
        {"starts_at": "\x00", "place": "x" * 300},
    ],
)
def test_nasty_plan_input_is_a_form_error_never_a_500(mentor_client, pair, data):
    page = mentor_client.post(url("meeting_plan", pair), data)
    assert page.status_code == 200
    assert page.context["form"].errors
    assert not Meeting.objects.exists()


def test_nasty_log_and_confirm_input(mentor_client, pair):
    meeting = past(pair)
    page = mentor_client.post(url("meeting_log", pair, meeting), {"held": "maybe"})
    assert page.status_code == 200
    assert "held" in page.context["form"].errors
    page = mentor_client.post(
        url("meeting_log", pair, meeting),
        {"held": "yes", "held_minutes": "601", "during_working_time": "perhaps"},
    )
    assert {"held_minutes", "during_working_time"} <= set(page.context["form"].errors)
    meeting = logged(pair, by=pair.mentee.user)
    page = mentor_client.post(url("meeting_confirm", pair, meeting), {"held": "", "topics": "x"})
    assert page.status_code == 200
    assert "held" in page.context["form"].errors
    assert mentor_client.post(url("meeting_feed", pair), {"do": "\x00"}).status_code == 302
