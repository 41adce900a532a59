import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from binome.core.statemachine import InvalidTransition
from binome.matching.models import MatchExclusion, MentorOffer
from binome.notifications.models import OutboxEmail
from binome.pairs import services as pair_services
from binome.pairs.enums import PairState
from binome.pairs.models import PairTransition
from binome.people.enums import MenteeState, MentorState
from binome.portal import services as portal
from tests.factories import MembershipFactory, MenteeFactory, UserFactory
from tests.portal.conftest import last_link, make_pair

pytestmark = pytest.mark.django_db


def accounts(pair):
    return portal.portal_account(pair.mentor), portal.portal_account(pair.mentee)


class TestPortalAccount:
    def test_created_once_without_password(self):
        pair = make_pair()
        user = portal.portal_account(pair.mentee)
        assert user.email == pair.mentee.email
        assert not user.has_usable_password()
        pair.mentee.refresh_from_db()
        assert pair.mentee.user == user
        assert portal.portal_account(pair.mentee) == user

    def test_links_the_existing_account_of_the_address(self):
        pair = make_pair()
        user = UserFactory(email=pair.mentor.email.upper())
        assert portal.portal_account(pair.mentor) == user

    @pytest.mark.parametrize("kind", ["coordinator", "partner", "staff"])
    def test_never_a_back_office_account(self, kind):
        pair = make_pair()
        if kind == "staff":
            UserFactory(email=pair.mentor.email, is_staff=True)
        else:
            MembershipFactory(user__email=pair.mentor.email, partner=kind == "partner")
        assert portal.portal_account(pair.mentor) is None
        pair.mentor.refresh_from_db()
        assert pair.mentor.user is None

    def test_no_email_no_account(self):
        pair = make_pair(mentee__email="")
        assert portal.portal_account(pair.mentee) is None


class TestPairsOf:
    def test_each_sees_only_their_pairs(self):
        pair, other = make_pair(state=PairState.MENTOR_ACCEPTED), make_pair()
        mentor, mentee = accounts(pair)
        accounts(other)
        other.refresh_from_db()
        assert list(portal.pairs_of(mentor)) == [pair]
        assert list(portal.pairs_of(mentee)) == [pair]
        pair.refresh_from_db()
        assert portal.side_of(pair, mentor) == "mentor"
        assert portal.side_of(pair, mentee) == "mentee"
        with pytest.raises(PermissionDenied):
            portal.side_of(other, mentee)

    def test_the_mentee_hears_once_the_mentor_said_yes(self):
        mentee = MenteeFactory(ready=True)
        proposed = make_pair(mentee=mentee, state=PairState.PROPOSED)
        user = portal.portal_account(mentee)
        assert list(portal.pairs_of(user)) == []
        assert portal.pairs_of(portal.portal_account(proposed.mentor)).count() == 1
        proposed.state = PairState.MENTOR_DECLINED
        proposed.save()
        cancelled = make_pair(mentee=mentee, programme=mentee.programme, state="cancelled")
        assert list(portal.pairs_of(user)) == []
        PairTransition.objects.create(
            subject=cancelled, from_state="proposed", to_state="mentor_accepted"
        )
        assert list(portal.pairs_of(user)) == [cancelled]

    def test_staff_partners_and_visitors_see_nothing(self):
        make_pair(state=PairState.ACTIVE)
        for member in (MembershipFactory(), MembershipFactory(partner=True)):
            assert portal.pairs_of(member.user).count() == 0
        assert portal.pairs_of(None).count() == 0


class TestRequestLink:
    def test_a_person_in_a_pair_gets_a_link(self):
        pair = make_pair(state=PairState.MENTOR_ACCEPTED)
        assert portal.request_login_link(
            f"  {pair.mentee.email.upper()} ", site_url="http://testserver/"
        )
        email = OutboxEmail.objects.get(category=portal.LINK_CATEGORY)
        assert email.to == pair.mentee.email
        assert "http://testserver/m/connexion/lien/?sesame=" in email.body
        assert "60 minutes" in email.body
        pair.mentee.refresh_from_db()
        assert pair.mentee.user is not None

    def test_nobody_else_gets_one(self):
        MenteeFactory(ready=True, email="alone@example.net")  # no pair
        make_pair(mentee__email="early@example.net")  # proposed: the mentee has not heard
        staff = MembershipFactory(user__email="staff@example.org")
        make_pair(mentor__email=staff.user.email)  # a coordinator who mentors: no link
        for email in ("nobody@example.net", "alone@example.net", "early@example.net", ""):
            assert not portal.request_login_link(email, site_url="http://testserver/")
        assert not portal.request_login_link(staff.user.email, site_url="http://testserver/")
        assert not OutboxEmail.objects.exists()

    def test_rate_limited_per_address(self):
        pair = make_pair()
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            sent = [
                portal.request_login_link(pair.mentor.email, site_url="http://t/")
                for _ in range(portal.LINKS_PER_HOUR + 2)
            ]
        assert sent == [True] * portal.LINKS_PER_HOUR + [False, False]
        with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
            assert portal.request_login_link(pair.mentor.email, site_url="http://t/")
        assert OutboxEmail.objects.count() == portal.LINKS_PER_HOUR + 1


class TestUserFromLink:
    def test_valid_once(self):
        pair = make_pair()
        portal.request_login_link(pair.mentor.email, site_url="http://testserver/")
        token = last_link(pair.mentor.email).split("sesame=")[1]
        user = portal.user_from_link(token)
        pair.mentor.refresh_from_db()
        assert user == pair.mentor.user
        assert portal.user_from_link(token) == user  # looking does not spend it
        assert portal.user_from_link(token, use=True) == user
        assert portal.user_from_link(token) is None
        assert portal.user_from_link(token, use=True) is None

    def test_a_link_never_opens_an_account_that_became_staff(self):
        pair = make_pair()
        portal.request_login_link(pair.mentor.email, site_url="http://testserver/")
        token = last_link(pair.mentor.email).split("sesame=")[1]
        pair.mentor.refresh_from_db()
        MembershipFactory(user=pair.mentor.user)
        assert portal.user_from_link(token, use=True) is None


class TestAnswerPair:
    def test_the_mentee_says_yes(self):
        pair = make_pair(
            state=PairState.MENTOR_ACCEPTED, mentor__phone="06 11 22 33 44", mentee__phone=""
        )
        _mentor, mentee = accounts(pair)
        pair = portal.answer_pair(pair, acting_user=mentee, accept=True)
        assert pair.state == PairState.MENTEE_ACCEPTED
        assert pair.transitions.latest("pk").by == mentee
        mails = {e.to: e for e in OutboxEmail.objects.filter(category="pair_accepted")}
        assert set(mails) == {pair.mentor.email, pair.mentee.email}
        to_mentee = mails[pair.mentee.email].body
        assert pair.mentor.first_name in to_mentee
        assert "06 11 22 33 44" in to_mentee
        assert "Coordonnées échangées" in to_mentee  # the first meeting's guide (French)
        assert portal.shows_contacts(pair)

    def test_the_mentee_says_no_as_the_mentor_does(self):
        pair = make_pair(state=PairState.MENTOR_ACCEPTED)
        _mentor, mentee = accounts(pair)
        with pytest.raises(ValidationError):
            portal.answer_pair(pair, acting_user=mentee, accept=False, reason="")
        with pytest.raises(ValidationError):
            portal.answer_pair(pair, acting_user=mentee, accept=False, reason="other")
        pair.refresh_from_db()
        assert pair.state == PairState.MENTOR_ACCEPTED
        pair = portal.answer_pair(pair, acting_user=mentee, accept=False, reason="distance")
        assert pair.state == PairState.MENTEE_DECLINED
        assert pair.decline_reason == "distance"
        pair.mentee.refresh_from_db()
        pair.mentor.refresh_from_db()
        assert pair.mentee.state == MenteeState.READY
        assert pair.mentor.state == MentorState.READY
        assert MatchExclusion.objects.filter(mentor=pair.mentor, mentee=pair.mentee).exists()
        assert not portal.shows_contacts(pair)

    def test_the_mentor_answers_through_the_offer_when_there_is_one(self):
        pair = make_pair()
        offer = MentorOffer.objects.create(pair=pair, sent_at=timezone.now())
        mentor, _mentee = accounts(pair)
        pair = portal.answer_pair(pair, acting_user=mentor, accept=True)
        assert pair.state == PairState.MENTOR_ACCEPTED
        offer.refresh_from_db()
        assert offer.answered_at is not None

    def test_the_mentor_declines_without_offer(self):
        pair = make_pair()
        mentor, _mentee = accounts(pair)
        pair = portal.answer_pair(pair, acting_user=mentor, accept=False, reason="profile")
        assert pair.state == PairState.MENTOR_DECLINED
        assert MatchExclusion.objects.filter(mentor=pair.mentor, mentee=pair.mentee).exists()

    def test_each_answers_their_own_turn_only(self):
        pair = make_pair()
        mentor, mentee = accounts(pair)
        with pytest.raises(InvalidTransition):
            portal.answer_pair(pair, acting_user=mentee, accept=True)
        pair_services.accept_by_mentor(pair, acting_user=mentor)
        with pytest.raises(InvalidTransition):
            portal.answer_pair(pair, acting_user=mentor, accept=True)
        with pytest.raises(PermissionDenied):
            portal.answer_pair(pair, acting_user=UserFactory(), accept=True)
        pair.refresh_from_db()
        assert pair.state == PairState.MENTOR_ACCEPTED


class TestTheMenteeHears:
    def test_when_the_mentor_says_yes_in_the_portal(self):
        pair = make_pair()
        mentor, _mentee = accounts(pair)
        portal.answer_pair(pair, acting_user=mentor, accept=True, site_url="https://b.example/")
        email = OutboxEmail.objects.get(category="pair_mentor_accepted")
        assert email.to == pair.mentee.email
        assert "https://b.example/m/connexion/" in email.body
        assert pair.mentor.first_name in email.body
        assert pair.mentor.last_name not in email.body
        assert pair.mentor.email not in email.body

    def test_when_the_mentor_says_yes_through_the_offer(self):
        pair = make_pair()
        offer = MentorOffer.objects.create(pair=pair, sent_at=timezone.now())
        portal.answer_offer(offer, accept=True)
        email = OutboxEmail.objects.get(category="pair_mentor_accepted")
        assert "http://testserver/m/connexion/" in email.body  # BINOME_SITE_URL

    def test_not_when_the_mentor_says_no(self):
        pair = make_pair()
        offer = MentorOffer.objects.create(pair=pair, sent_at=timezone.now())
        portal.answer_offer(offer, accept=False, reason="distance")
        assert not OutboxEmail.objects.filter(category="pair_mentor_accepted").exists()
