import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from binome.meetings import services as meeting_services
from binome.notifications.models import OutboxEmail
from binome.pairs.enums import PairState
from binome.portal import services as portal
from tests.factories import MembershipFactory, MentorFactory, PairFactory, UserFactory
from tests.portal.conftest import ask_link, make_pair

pytestmark = pytest.mark.django_db


def log_in(client, person):
    url = ask_link(person)
    client.post(reverse("portal:link"), {"sesame": url.split("sesame=")[1]})
    person.refresh_from_db()
    assert client.session[SESSION_KEY] == str(person.user.pk)
    return person.user


def text(page):
    return " ".join(BeautifulSoup(page.content, "html.parser").get_text().split())


class TestAccess:
    def test_visitors_are_sent_to_send_me_a_link(self, client):
        pair = make_pair()
        for name, args in (("portal:home", []), ("portal:pair", [pair.pk])):
            page = client.get(reverse(name, args=args))
            assert page.status_code == 302
            assert page["Location"].startswith(reverse("portal:login"))

    def test_another_persons_pair_is_404(self, client):
        mine, theirs = make_pair(state=PairState.MENTOR_ACCEPTED), make_pair()
        log_in(client, mine.mentee)
        assert client.get(reverse("portal:pair", args=[mine.pk])).status_code == 200
        assert client.get(reverse("portal:pair", args=[theirs.pk])).status_code == 404
        answer = client.post(reverse("portal:pair", args=[theirs.pk]), {"action": "accept"})
        assert answer.status_code == 404
        theirs.refresh_from_db()
        assert theirs.state == PairState.PROPOSED

    def test_the_mentee_does_not_see_a_proposal_still_with_the_mentor(self, client):
        heard = make_pair(state=PairState.CLOSED, exit_reason="term_reached", outcome="unknown")
        log_in(client, heard.mentee)
        early = make_pair(mentee=heard.mentee, programme=heard.programme)
        assert client.get(reverse("portal:pair", args=[early.pk])).status_code == 404
        assert heard.mentor.first_name in text(client.get(reverse("portal:home")))

    def test_a_person_landing_on_the_staff_side_goes_to_the_portal(self, client):
        pair = make_pair(state=PairState.ACTIVE)
        log_in(client, pair.mentor)
        # The brand link and the staff login's default landing page.
        page = client.get(reverse("staff:home"), follow=True)
        assert page.redirect_chain[-1][0] == reverse("portal:home")
        logout = client.post(reverse("logout"), {"next": reverse("portal:login")})
        assert logout["Location"] == reverse("portal:login")

    def test_an_account_without_team_nor_pair_stays_on_the_staff_notice(self, client):
        client.force_login(UserFactory())
        page = client.get(reverse("staff:no_organisation"))
        assert page.status_code == 200
        assert 'name="next"' in page.content.decode()

    @pytest.mark.parametrize("partner", [False, True])
    def test_staff_and_partners_get_nothing(self, client, partner):
        member = MembershipFactory(partner=partner)
        pair = make_pair(state=PairState.ACTIVE, programme__organisation=member.organisation)
        client.force_login(member.user)
        home = client.get(reverse("portal:home"))
        assert home.status_code == 200
        assert pair.mentee.first_name not in text(home)
        assert "You have no pair here yet" in text(home)
        assert client.get(reverse("portal:pair", args=[pair.pk])).status_code == 404


class TestSendMeALink:
    def test_same_answer_whether_known_or_not(self, client):
        pair = make_pair(state=PairState.ACTIVE)
        pages = []
        for email in (pair.mentor.email, "nobody@example.net"):
            answer = client.post(reverse("portal:login"), {"email": email})
            assert answer.status_code == 302
            pages.append((answer["Location"], text(client.get(answer["Location"]))))
        assert pages[0] == pages[1]
        assert OutboxEmail.objects.filter(category=portal.LINK_CATEGORY).count() == 1

    def test_the_form_says_what_is_wrong(self, client):
        page = client.post(reverse("portal:login"), {"email": "not an address"})
        assert page.status_code == 200
        assert not OutboxEmail.objects.exists()

    def test_in_french_by_default(self):
        client = Client()
        pair = make_pair(state=PairState.ACTIVE)
        page = client.get(reverse("portal:login"))
        assert "Envoyez-moi un lien" in text(page)
        client.post(reverse("portal:login"), {"email": pair.mentee.email})
        email = OutboxEmail.objects.get(category=portal.LINK_CATEGORY)
        assert "Voici votre lien" in email.body


class TestAnswers:
    def test_the_mentee_says_yes_and_sees_the_contact_details(self, client):
        pair = make_pair(state=PairState.MENTOR_ACCEPTED, mentor__phone="06 12 34 56 78")
        log_in(client, pair.mentee)
        url = reverse("portal:pair", args=[pair.pk])
        page = text(client.get(url))
        assert pair.mentor.first_name in page
        assert pair.mentor.last_name not in page
        assert pair.mentor.email not in page
        assert client.post(url, {"action": "accept"}).status_code == 302
        pair.refresh_from_db()
        assert pair.state == PairState.MENTEE_ACCEPTED
        page = text(client.get(url))
        assert pair.mentor.email in page
        assert "06 12 34 56 78" in page
        assert pair.mentor.last_name not in page

    def test_the_mentee_says_no_with_a_reason(self, client):
        pair = make_pair(state=PairState.MENTOR_ACCEPTED)
        log_in(client, pair.mentee)
        url = reverse("portal:pair", args=[pair.pk])
        page = client.post(url, {"action": "decline", "reason": ""})
        assert page.status_code == 200
        page = client.post(url, {"action": "decline", "reason": "other", "note": ""})
        assert page.status_code == 200
        pair.refresh_from_db()
        assert pair.state == PairState.MENTOR_ACCEPTED
        client.post(url, {"action": "decline", "reason": "availability"})
        pair.refresh_from_db()
        assert pair.state == PairState.MENTEE_DECLINED
        assert pair.mentor.email not in text(client.get(url))

    def test_the_mentor_answers_a_proposal(self, client):
        pair = make_pair()
        log_in(client, pair.mentor)
        url = reverse("portal:pair", args=[pair.pk])
        assert "The mentee's profile" in text(client.get(url))
        client.post(url, {"action": "accept"})
        pair.refresh_from_db()
        assert pair.state == PairState.MENTOR_ACCEPTED
        again = client.post(url, {"action": "accept"})
        assert again.status_code == 200
        assert "already been answered" in text(again)


class TestPassword:
    def test_choose_a_password_after_a_link_then_log_in_with_it(self, client):
        pair = make_pair(state=PairState.ACTIVE)
        user = log_in(client, pair.mentor)
        page = client.get(reverse("portal:password"))
        assert "old_password" not in page.content.decode()
        data = {"new_password1": "Binome-2026-ok", "new_password2": "Binome-2026-ok"}
        assert client.post(reverse("portal:password"), data).status_code == 302
        client.logout()
        answer = client.post(
            reverse("portal:password_login"),
            {"username": user.email, "password": "Binome-2026-ok"},
        )
        assert answer["Location"] == reverse("portal:home")
        # Logged in with the password: changing it asks for the old one.
        assert "old_password" in client.get(reverse("portal:password")).content.decode()


class TestQueryCounts:
    @pytest.mark.parametrize("count", [1, 30])
    def test_the_pair_list(self, client, django_assert_num_queries, count):
        mentor = MentorFactory(ready=True, capacity=10, email="many@example.net")
        for i in range(count):
            PairFactory(
                mentor=mentor,
                programme=mentor.programme,
                mentee__email=f"m{i}@example.net",
                **(
                    {"state": PairState.CLOSED, "exit_reason": "term_reached", "outcome": "unknown"}
                    if i % 3
                    else {"state": PairState.ACTIVE}
                ),
            )
        client.force_login(portal.portal_account(mentor))
        # The session, the user, the pairs with their people and programme, and the header's
        # membership (none: the portal shows no organisation).
        with django_assert_num_queries(4):
            page = client.get(reverse("portal:home"))
        assert page.status_code == 200
        assert text(page).count("Your mentee:") == count

    def test_the_pair_list_shows_the_next_meeting(self, client):
        pair = make_pair(state=PairState.ACTIVE)
        when = timezone.localtime() + datetime.timedelta(days=4)
        when = when.replace(hour=14, minute=30, second=0, microsecond=0)
        log_in(client, pair.mentee)
        assert "Next meeting:" not in text(client.get(reverse("portal:home")))
        meeting_services.plan_meeting(
            pair, acting_user=pair.mentee.user, starts_at=when, place="Médiathèque"
        )
        page = text(client.get(reverse("portal:home")))
        assert f"Next meeting: {when:%A} {when.day} {when:%B}, 14:30" in page


def test_the_offer_page_keeps_working_and_tells_the_mentee(client):
    from django.utils import timezone

    from binome.matching.models import MentorOffer
    from binome.matching.services import offer_link

    pair = make_pair()
    offer = MentorOffer.objects.create(pair=pair, sent_at=timezone.now())
    url = offer_link(offer)
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "accept"}).status_code == 302
    pair.refresh_from_db()
    assert pair.state == PairState.MENTOR_ACCEPTED
    email = OutboxEmail.objects.get(category="pair_mentor_accepted")
    assert email.to == pair.mentee.email
    assert "http://testserver/m/connexion/" in email.body


class TestFirstMeeting:
    def test_the_pair_records_its_first_meeting_with_the_guide(self, client):
        pair = make_pair(state=PairState.MENTEE_ACCEPTED)
        log_in(client, pair.mentor)
        url = reverse("portal:pair", args=[pair.pk])
        assert "Record our first meeting" in text(client.get(url))
        # A date in the future: the error on the field, what was ticked kept.
        future = timezone.localdate() + datetime.timedelta(days=3)
        page = client.post(
            url,
            {"action": "first_meeting", "held_on": future.isoformat(), "checklist": ["rhythm"]},
        )
        assert page.status_code == 200
        assert "cannot be in the future" in text(page)
        assert page.context["first_meeting_form"]["checklist"].value() == ["rhythm"]
        pair.refresh_from_db()
        assert pair.state == PairState.MENTEE_ACCEPTED
        today = timezone.localdate()
        answer = client.post(
            url,
            {
                "action": "first_meeting",
                "held_on": today.isoformat(),
                "checklist": ["rhythm", "contacts"],
            },
        )
        assert answer.status_code == 302
        pair.refresh_from_db()
        assert pair.state == PairState.FIRST_MEETING
        assert (pair.first_meeting_on, pair.first_meeting_checklist) == (
            today,
            ["contacts", "rhythm"],
        )
        assert pair.transitions.latest("pk").by == pair.mentor.user
        assert "Record our first meeting" not in text(client.get(url))

    def test_nobody_else_records_it(self, client):
        pair, other = (
            make_pair(state=PairState.MENTEE_ACCEPTED),
            make_pair(state=PairState.MENTEE_ACCEPTED),
        )
        log_in(client, other.mentee)
        answer = client.post(
            reverse("portal:pair", args=[pair.pk]),
            {"action": "first_meeting", "held_on": "2026-11-30"},
        )
        assert answer.status_code == 404
        pair.refresh_from_db()
        assert pair.state == PairState.MENTEE_ACCEPTED
