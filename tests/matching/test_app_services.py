"""Matching in the app, through the services: settings, problem, run, manual edits, publish,
the mentor's answer, reminders."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from binome.core.models import ActivityLog
from binome.matching import services
from binome.matching.adapter import build_problem, mentee_key, mentor_key, settings_for
from binome.matching.enums import ExclusionSource, ProposalSource, RunState
from binome.matching.models import MatchExclusion, MatchingSettings, MentorOffer, RunProposal
from binome.notifications.models import OutboxEmail
from binome.pairs.enums import PairState
from binome.pairs.models import Pair
from binome.people.enums import MenteeState, MentorState
from tests.factories import (
    MenteeFactory,
    MentorFactory,
    PairFactory,
    ProgrammeFactory,
    UserFactory,
)
from tests.matching.app_helpers import done_run, people

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def programme():
    return ProgrammeFactory()


def test_settings_defaults_from_the_seeds(programme):
    ms = settings_for(programme)
    assert settings_for(programme).pk == ms.pk  # created once
    criteria = {c["name"]: c for c in ms.criteria()}
    assert criteria["geography"] == {
        "name": "geography",
        "weight": 3,
        "mandatory": True,
        "max_km": 15,
    }
    assert [c for c in criteria.values() if c["mandatory"]] == [criteria["geography"]]
    assert criteria["age"]["min_gap"] == 5
    assert criteria["age"]["max_gap"] == 40
    assert set(criteria) == {
        "geography",
        "sector",
        "function",
        "age",
        "language",
        "hobbies",
        "expectations",
        "support",
    }
    assert ms.reply_days == 3
    assert "first_name" in ms.mentee_fields
    assert "email" not in ms.mentee_fields


def test_settings_zero_weight_not_mandatory_is_left_out(programme):
    ms = settings_for(programme)
    ms.hobbies_weight = 0
    ms.save()
    assert "hobbies" not in {c["name"] for c in ms.criteria()}


def test_settings_age_gap_constraint(programme):
    from django.db import IntegrityError

    ms = settings_for(programme)
    ms.min_age_gap, ms.max_age_gap = 30, 10
    with pytest.raises(IntegrityError):
        ms.save()


def test_problem_only_ready_people_and_capacity(programme, django_assert_max_num_queries):
    m_ready = MentorFactory(programme=programme, ready=True, capacity=2)
    MentorFactory(programme=programme, state=MentorState.TRAINED)
    full = MentorFactory(programme=programme, ready=True, capacity=1)
    e_ready = MenteeFactory(programme=programme, ready=True)
    MenteeFactory(programme=programme, state=MenteeState.SELECTED)
    paired = MenteeFactory(programme=programme, ready=True)
    PairFactory(programme=programme, mentor=full, mentee=paired, state=PairState.ACTIVE)
    # a live pair of m_ready consumes one of its two places (programme limit raised to 3)
    programme.max_mentees_per_mentor = 3
    programme.save()
    other = MenteeFactory(programme=programme, ready=True)
    PairFactory(programme=programme, mentor=m_ready, mentee=other, state=PairState.PROPOSED)
    settings_for(programme)
    with django_assert_max_num_queries(6):
        problem = build_problem(programme)
    assert [m["id"] for m in problem["mentors"]] == [mentor_key(m_ready.pk)]
    assert problem["mentors"][0]["capacity"] == 1
    assert [e["id"] for e in problem["mentees"]] == [mentee_key(e_ready.pk)]
    lille = problem["mentees"][0]
    assert 50.5 < lille["lat"] < 50.7
    assert 2.9 < lille["lon"] < 3.2
    assert lille["waiting_since"] == e_ready.waiting_since.isoformat()


def test_problem_programme_limit_caps_capacity(programme):
    MentorFactory(programme=programme, ready=True, capacity=3)  # programme allows 1
    problem = build_problem(programme)
    assert problem["mentors"][0]["capacity"] == 1


def test_problem_exclusions_from_declined_pairs_and_conflicts(programme):
    (m1, m2), (e1, e2) = people(programme)
    PairFactory(programme=programme, mentor=m1, mentee=e1, state=PairState.MENTOR_DECLINED)
    PairFactory(programme=programme, mentor=m2, mentee=e1, state=PairState.CANCELLED)
    MatchExclusion.objects.create(mentor=m2, mentee=e2, source=ExclusionSource.CONFLICT)
    problem = build_problem(programme)
    assert problem["exclusions"] == sorted(
        [[mentor_key(m1.pk), mentee_key(e1.pk)], [mentor_key(m2.pk), mentee_key(e2.pk)]]
    )


def test_problem_never_includes_another_organisation(programme):
    people(programme, 1, 1)
    other = ProgrammeFactory()
    people(other, 3, 3)
    problem = build_problem(programme)
    assert len(problem["mentors"]) == 1
    assert len(problem["mentees"]) == 1


def test_problem_query_count_is_constant(programme, django_assert_num_queries):
    settings_for(programme)
    people(programme, 1, 1)
    with django_assert_num_queries(5) as small:
        build_problem(programme)
    people(programme, 30, 30)
    with django_assert_num_queries(len(small.captured_queries)):
        build_problem(programme)


def test_run_computes_optimum_greedy_and_rows(programme, django_capture_on_commit_callbacks):
    people(programme, 2, 3)
    far = MenteeFactory(programme=programme, ready=True, place="fr-commune:13055")  # Marseille
    run = done_run(programme, django_capture_on_commit_callbacks)
    assert run.state == RunState.DONE
    assert run.progress == 100
    assert run.result["objective"]["matched"] == 2
    assert run.greedy["objective"]["matched"] == 2
    assert run.proposals.count() == 2
    p = run.proposals.first()
    assert set(p.breakdown) >= {"geography", "sector"}
    assert p.score == p.optimal_score
    reasons = services.unmatched_reasons(run)
    assert reasons[mentee_key(far.pk)] == "no_feasible_mentor"
    assert sorted(reasons.values()) == ["capacity", "no_feasible_mentor"]
    assert "pairs" not in run.result
    journal = [
        (row.verb, row.data.get("to_state"), row.data.get("matched"))
        for row in ActivityLog.objects.filter(object_type="matching.matchingrun").order_by("id")
    ]
    assert journal == [
        ("matching_queued", None, None),
        ("transition", "running", None),
        ("transition", "done", 2),
    ]


def test_run_with_nobody_is_done_and_empty(programme, django_capture_on_commit_callbacks):
    run = done_run(programme, django_capture_on_commit_callbacks)
    assert run.state == RunState.DONE
    assert run.result["objective"]["matched"] == 0


def test_run_failure_is_recorded(programme, django_capture_on_commit_callbacks, monkeypatch):
    people(programme, 1, 1)

    def boom(problem):
        raise services.engine.InvalidProblem("mentors[0] (id 'm1'): bad")

    monkeypatch.setattr(services.engine, "solve", boom)
    run = done_run(programme, django_capture_on_commit_callbacks)
    assert run.state == RunState.FAILED
    assert "m1" in run.error


def test_run_is_taken_once(programme):
    run = services.start_run(programme, acting_user=None)
    services.run_matching(run.pk)
    assert services.run_matching(run.pk) is None


@pytest.fixture
def run2(programme, django_capture_on_commit_callbacks):
    """Two mentors, three mentees: two pairs, one mentee left for capacity."""
    ms, es = people(programme, 2, 3)
    run = done_run(programme, django_capture_on_commit_callbacks)
    return run, ms, es


def test_remove_then_choose_with_cost(run2):
    run, ms, es = run2
    user = UserFactory()
    proposal = run.proposals.chosen().first()
    services.remove_proposal(proposal, acting_user=user)
    assert services.run_totals(run)["current"]["matched"] == 1
    assert services.unmatched_reasons(run)[mentee_key(proposal.mentee_id)] == "removed"
    with pytest.raises(ValidationError):
        services.remove_proposal(proposal, acting_user=user)
    new, cost = services.choose_mentor(
        run, mentee=proposal.mentee, mentor=proposal.mentor, acting_user=user
    )
    assert new.source == ProposalSource.MANUAL
    assert cost["optimal_score"] == proposal.score
    assert cost["difference"] == 0


def test_choose_refuses_a_full_mentor(run2):
    run, ms, es = run2
    chosen = {p.mentee_id for p in run.proposals.chosen()}
    left_out = next(e for e in es if e.pk not in chosen)
    with pytest.raises(ValidationError, match="no place left"):
        services.choose_mentor(run, mentee=left_out, mentor=ms[0], acting_user=None)
    assert run.proposals.chosen().count() == 2


def test_choose_refuses_a_pair_the_engine_rules_out(programme, django_capture_on_commit_callbacks):
    mentor = MentorFactory(programme=programme, ready=True)
    MentorFactory(programme=programme, ready=True, place="fr-commune:13055")  # Marseille
    mentee = MenteeFactory(programme=programme, ready=True)
    run = done_run(programme, django_capture_on_commit_callbacks)
    marseille = run.problem["mentors"][1]["id"]
    from binome.people.models import Mentor

    far = Mentor.objects.get(pk=int(marseille[1:]))
    with pytest.raises(ValidationError, match="Too far"):
        services.choose_mentor(run, mentee=mentee, mentor=far, acting_user=None)
    assert mentor.pk != far.pk


def test_swap_mentors(run2):
    run, ms, es = run2
    a, b = run.proposals.chosen().order_by("pk")
    new, delta = services.swap_mentors(a, b, acting_user=None)
    assert {(p.mentee_id, p.mentor_id) for p in new} == {
        (a.mentee_id, b.mentor_id),
        (b.mentee_id, a.mentor_id),
    }
    assert run.proposals.chosen().count() == 2
    assert delta == pytest.approx(0, abs=0.01)


def test_publish_creates_proposed_pairs_and_offers(
    run2, mailoutbox, django_capture_on_commit_callbacks
):
    run, ms, es = run2
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_run(run, acting_user=user, site_url="http://testserver/")
    run.refresh_from_db()
    assert run.state == RunState.PUBLISHED
    assert run.stats["published"] == 2
    pairs = Pair.objects.filter(programme=run.programme)
    assert pairs.count() == 2
    assert {p.state for p in pairs} == {PairState.PROPOSED}
    assert MentorOffer.objects.count() == 2
    offer_mails = [m for m in mailoutbox if "/m/proposition/" in m.body]
    assert len(offer_mails) == 2
    for mail in offer_mails:
        assert "http://testserver/m/proposition/" in mail.body
    with pytest.raises(ValidationError, match="already published"):
        services.publish_run(run, acting_user=user)
    assert Pair.objects.count() == 2
    with pytest.raises(ValidationError):
        services.remove_proposal(run.proposals.first(), acting_user=user)


def test_publish_skips_a_pair_no_longer_possible(run2):
    run, ms, es = run2
    proposal = run.proposals.chosen().first()
    PairFactory(programme=run.programme, mentee=proposal.mentee, state=PairState.PROPOSED)
    services.publish_run(run, acting_user=None)
    run.refresh_from_db()
    assert run.stats["published"] == 1
    assert list(run.stats["skipped"]) == [str(proposal.pk)]


@pytest.fixture
def offer(run2):
    run, ms, es = run2
    services.publish_run(run, acting_user=None, site_url="http://testserver")
    return MentorOffer.objects.select_related("pair").first()


def test_link_round_trip_tamper_and_expiry(offer):
    link = services.offer_link(offer)
    signed = link.rsplit("/proposition/", 1)[1].strip("/")
    assert services.offer_from_link(signed) == offer
    assert signed.split(":")[0] == offer.token  # random and opaque: no id, no personal data
    with pytest.raises(services.OfferLinkError) as bad:
        services.offer_from_link(signed[:-2] + "xx")
    assert not bad.value.expired
    with pytest.raises(services.OfferLinkError):
        services.offer_from_link("nonsense")
    later = timezone.now() + datetime.timedelta(days=15)
    with time_machine.travel(later), pytest.raises(services.OfferLinkError) as old:
        services.offer_from_link(signed)
    assert old.value.expired


def test_accept_through_the_link(offer):
    pair = services.mentor_reply(offer, accept=True)
    assert pair.state == PairState.MENTOR_ACCEPTED
    offer.refresh_from_db()
    assert offer.answered_at is not None
    with pytest.raises(ValidationError, match="already been answered"):
        services.mentor_reply(offer, accept=False, reason="personal")


def test_decline_becomes_an_exclusion_and_next_best(offer, programme):
    spare = MentorFactory(programme=programme, ready=True)
    with pytest.raises(ValidationError):
        services.mentor_reply(offer, accept=False, reason="other")  # "other" needs a note
    pair = services.mentor_reply(offer, accept=False, reason="distance")
    assert pair.state == PairState.MENTOR_DECLINED
    exclusion = MatchExclusion.objects.get()
    assert (exclusion.mentor_id, exclusion.mentee_id, exclusion.source) == (
        pair.mentor_id,
        pair.mentee_id,
        ExclusionSource.DECLINED,
    )
    best = services.next_best(pair.mentee)
    ids = [s["mentor"] for s in best]
    assert mentor_key(pair.mentor_id) not in ids
    assert mentor_key(spare.pk) in ids
    new_pair = services.propose_suggestion(pair.mentee, mentor=spare, acting_user=None)
    assert new_pair.state == PairState.PROPOSED
    assert new_pair.offer
    with pytest.raises(ValidationError):
        services.propose_suggestion(pair.mentee, mentor=pair.mentor, acting_user=None)


def test_reminder_then_back_to_staff(offer, mailoutbox):
    organisation = offer.pair.programme.organisation
    now = offer.sent_at
    assert services.remind_unanswered(now=now + datetime.timedelta(days=2)) == {}
    assert services.remind_unanswered(now=now + datetime.timedelta(days=3)) == {"reminded": 2}
    emails = OutboxEmail.objects.filter(category="matching_reminder")
    assert emails.count() == 2
    assert services.remind_unanswered(now=now + datetime.timedelta(days=4)) == {}
    assert services.remind_unanswered(now=now + datetime.timedelta(days=6)) == {"escalated": 2}
    escalation = OutboxEmail.objects.filter(
        category="matching_unanswered", to=organisation.email
    ).first()
    assert "http://testserver/equipe/appariement/" in escalation.body  # where to act
    assert services.remind_unanswered(now=now + datetime.timedelta(days=30)) == {}


def test_answered_offers_get_no_reminder(offer):
    services.mentor_reply(offer, accept=True)
    counts = services.remind_unanswered(now=offer.sent_at + datetime.timedelta(days=3))
    assert counts == {"reminded": 1}


def test_reply_days_setting(offer):
    ms = MatchingSettings.objects.get(programme=offer.pair.programme)
    ms.reply_days = 7
    ms.save()
    assert services.remind_unanswered(now=offer.sent_at + datetime.timedelta(days=5)) == {}


def test_management_command(offer, capsys):
    from django.core.management import call_command

    call_command("matching_reminders")
    assert "reminded=0" in capsys.readouterr().out


def test_runproposal_one_chosen_per_mentee(run2):
    from django.db import IntegrityError

    run, ms, es = run2
    p = run.proposals.first()
    with pytest.raises(IntegrityError):
        RunProposal.objects.create(run=run, mentor=p.mentor, mentee=p.mentee, score=1)
