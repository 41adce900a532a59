"""Matching through the views: settings, run → review → explain → manual choices → publish,
the mentor's signed link, isolation and query counts."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from binome.matching import services
from binome.matching.adapter import settings_for
from binome.matching.enums import RunState
from binome.matching.models import MatchExclusion, MatchingRun, MentorOffer
from binome.pairs.enums import PairState
from binome.pairs.models import Pair
from tests.factories import (
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    ProgrammeFactory,
)
from tests.matching.app_helpers import done_run, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    client.cookies["django_language"] = "en"
    programme = ProgrammeFactory(organisation=membership.organisation, name="Cap Emploi")
    return {"client": client, "membership": membership, "programme": programme}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_home_and_settings(staff):
    c = staff["client"]
    programme = staff["programme"]
    assert c.get(reverse("staff:matching:home")).status_code == 200
    url = reverse("staff:matching:settings", args=[programme.pk])
    response = c.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "mentee_fields"}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    data.update(max_km=25, min_age_gap=30, max_age_gap=10, mentee_fields=["first_name"])
    response = c.post(url, data)
    assert response.status_code == 200
    assert "max_age_gap" in response.context["form"].errors
    data["max_age_gap"] = 45
    response = c.post(url, data)
    assert response.status_code == 302
    ms = settings_for(programme)
    assert (ms.max_km, ms.max_age_gap, ms.mentee_fields) == (25, 45, ["first_name"])
    assert ms.geography_mandatory


def test_run_review_explain_choose_publish_accept_decline(
    staff, django_capture_on_commit_callbacks, mailoutbox
):
    c = staff["client"]
    programme = staff["programme"]
    ms, es = people(programme, 2, 3)
    far = MenteeFactory(programme=programme, ready=True, place="fr-commune:13055")
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("staff:matching:start", args=[programme.pk]))
    run = MatchingRun.objects.get()
    assert response.url == reverse("staff:matching:run", args=[run.pk])
    run.refresh_from_db()
    assert run.state == RunState.DONE

    # Review: pairs with score and breakdown, unmatched with reason, unused, totals.
    response = c.get(response.url)
    assert response.status_code == 200
    ctx = response.context
    assert len(ctx["proposals"]) == 2
    assert ctx["totals"]["optimum"]["matched"] == 2
    assert ctx["totals"]["greedy"]["matched"] == 2
    assert {str(u["reason"]) for u in ctx["unmatched"]} == {
        "No possible mentor",
        "Possible mentors are taken by better pairs",
    }
    html = response.content.decode()
    assert "Geographic accessibility: 100 %" in html
    assert "One by one, best pair first (for comparison)" in html

    # Explain for the mentee out of reach: every mentor, none possible, and why.
    response = c.get(reverse("staff:matching:explain", args=[run.pk, far.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 2
    assert not any(r["feasible"] for r in rows)
    assert all(r["failed"] == ["too_far"] for r in rows)
    assert response.context["suggestions"] == []

    # Remove a pair, then give its mentor to the mentee left out for capacity.
    chosen = list(run.proposals.chosen())
    left_out = next(e for e in es if e.pk not in {p.mentee_id for p in chosen})
    victim = chosen[0]
    response = c.post(reverse("staff:matching:remove", args=[run.pk, victim.pk]))
    assert response.status_code == 302
    response = c.get(reverse("staff:matching:explain", args=[run.pk, left_out.pk]))
    assert [s["mentor_obj"] for s in response.context["suggestions"]] == [victim.mentor]
    response = c.post(
        reverse("staff:matching:choose", args=[run.pk, left_out.pk]),
        {"mentor": victim.mentor_id},
        follow=True,
    )
    assert "Pair added" in response.content.decode()
    # Swap the two pairs' mentors.
    a, b = run.proposals.chosen().order_by("pk")
    response = c.post(
        reverse("staff:matching:swap", args=[run.pk, a.pk]), {"other": b.pk}, follow=True
    )
    assert "The mentors are swapped" in response.content.decode()
    # A full mentor cannot be chosen: the message says why, nothing changes.
    response = c.post(
        reverse("staff:matching:choose", args=[run.pk, victim.mentee_id]),
        {"mentor": a.mentor_id},
        follow=True,
    )
    assert "no place left" in response.content.decode()
    assert run.proposals.chosen().count() == 2

    # Publish: proposed pairs, one e-mail with a link per mentor; twice publishes once.
    url = reverse("staff:matching:publish", args=[run.pk])
    assert c.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(url)
    assert response.status_code == 302
    assert Pair.objects.filter(state=PairState.PROPOSED).count() == 2
    response = c.post(url, follow=True)
    assert "already published" in response.content.decode()
    assert Pair.objects.count() == 2
    assert c.get(url).status_code == 404
    links = [re.search(r"http://testserver(/m/proposition/\S+/)", m.body) for m in mailoutbox]
    links = [m.group(1) for m in links if m]
    assert len(links) == 2

    # The mentor opens the link without logging in: first name yes, contact details no.
    c.logout()
    c.cookies["django_language"] = "en"
    first = MentorOffer.objects.get(pair__mentor=Pair.objects.order_by("pk")[0].mentor)
    link = next(u for u in links if services.offer_from_link(u.split("/")[-2]).pk == first.pk)
    response = c.get(link)
    assert response.status_code == 200
    html = response.content.decode()
    mentee = first.pair.mentee
    assert mentee.first_name in html
    assert mentee.last_name not in html
    assert mentee.email not in html
    assert response["Referrer-Policy"] == "same-origin"
    response = c.post(link, {"action": "accept"})
    assert response.status_code == 302
    first.pair.refresh_from_db()
    assert first.pair.state == PairState.MENTOR_ACCEPTED
    assert "You accepted" in c.get(link).content.decode()

    # The other mentor declines: a reason is required; the pair becomes an exclusion.
    second = MentorOffer.objects.exclude(pk=first.pk).get()
    link2 = next(u for u in links if u != link)
    response = c.post(link2, {"action": "decline"})
    assert response.status_code == 200
    assert response.context["form"].errors
    response = c.post(link2, {"action": "decline", "reason": "availability"})
    assert response.status_code == 302
    second.pair.refresh_from_db()
    assert second.pair.state == PairState.MENTOR_DECLINED
    assert MatchExclusion.objects.filter(
        mentor=second.pair.mentor, mentee=second.pair.mentee
    ).exists()
    response = c.post(link2, {"action": "accept"})
    assert "already been answered" in response.content.decode()

    # The staff see the decline with the next best mentor (none here: all places taken
    # but the declining mentor's, which is excluded).
    c.force_login(staff["membership"].user)
    response = c.get(reverse("staff:matching:home"))
    declined = response.context["declined"]
    assert [d["offer"].pk for d in declined] == [second.pk]
    assert declined[0]["best"] is None
    spare = MentorFactory(programme=programme, ready=True)
    response = c.get(reverse("staff:matching:home"))
    assert response.context["declined"][0]["best_mentor"] == spare
    # From the mentee's page: propose the suggestion.
    mentee_url = reverse("staff:matching:mentee", args=[second.pair.mentee_id])
    response = c.get(mentee_url)
    assert response.status_code == 200
    assert [s["mentor_obj"] for s in response.context["suggestions"]] == [spare]
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            reverse("staff:matching:propose", args=[second.pair.mentee_id]),
            {"mentor": spare.pk},
        )
    new_pair = Pair.objects.get(mentor=spare)
    assert response.url == reverse("staff:pairs:detail", args=[new_pair.pk])
    assert new_pair.offer


def test_progress_polling_and_refresh(staff):
    c = staff["client"]
    run = services.start_run(staff["programme"], acting_user=None)  # no commit: stays queued
    url = reverse("staff:matching:run", args=[run.pk])
    response = c.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "Refresh" in html
    response = c.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="run-progress"' in response.content.decode()
    assert "<html" not in response.content.decode()
    services.run_matching(run.pk)
    response = c.get(url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"


def test_failed_run_shows_the_error(staff, monkeypatch):
    run = services.start_run(staff["programme"], acting_user=None)
    monkeypatch.setattr("binome.matching.services.runs.build_problem", lambda p: 1 / 0)
    services.run_matching(run.pk)
    response = staff["client"].get(reverse("staff:matching:run", args=[run.pk]))
    assert "ZeroDivisionError" in response.content.decode()


def test_exclude_a_conflict_from_the_mentee_page(staff):
    (mentor,), (mentee,) = people(staff["programme"], 1, 1)
    response = staff["client"].post(
        reverse("staff:matching:exclude", args=[mentee.pk]), {"mentor": mentor.pk}
    )
    assert response.status_code == 302
    assert MatchExclusion.objects.get().source == "conflict"
    response = staff["client"].get(reverse("staff:matching:mentee", args=[mentee.pk]))
    assert response.context["rows"][0]["failed"] == ["excluded"]
    assert response.context["suggestions"] == []


def test_mentee_page_for_a_mentee_not_ready(staff):
    people(staff["programme"], 1, 0)
    mentee = MenteeFactory(programme=staff["programme"])  # applied
    response = staff["client"].get(reverse("staff:matching:mentee", args=[mentee.pk]))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 1
    assert not response.context["can_propose"]


@pytest.fixture
def published(staff, django_capture_on_commit_callbacks):
    people(staff["programme"], 1, 1)
    run = done_run(staff["programme"], django_capture_on_commit_callbacks)
    services.publish_run(run, acting_user=None, site_url="http://testserver")
    offer = MentorOffer.objects.get()
    return offer, services.offer_link(offer).replace("http://testserver", "")


def test_link_tampered_expired_unknown(client, published):
    offer, link = published
    client.cookies["django_language"] = "en"
    assert client.get(link).status_code == 200
    response = client.get(link[:-3] + "zz/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert client.get(reverse("portal:offer", args=["abc"])).status_code == 404
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        response = client.get(link)
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
        assert client.post(link, {"action": "accept"}).status_code == 410
    offer.pair.refresh_from_db()
    assert offer.pair.state == PairState.PROPOSED


def test_link_shows_only_the_chosen_fields(client, published):
    offer, link = published
    ms = settings_for(offer.pair.programme)
    ms.mentee_fields = ["age"]
    ms.save()
    html = client.get(link).content.decode()
    assert offer.pair.mentee.first_name not in html
    assert str(timezone.localdate().year - offer.pair.mentee.birth_year) in html


def test_sources_page_is_public(client):
    response = client.get(reverse("portal:sources"))
    assert response.status_code == 200
    assert "Licence Ouverte" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 50])
def test_review_query_count(
    staff, django_capture_on_commit_callbacks, rows, django_assert_num_queries
):
    people(staff["programme"], rows, rows)
    MenteeFactory(programme=staff["programme"], ready=True, place="fr-commune:13055")
    MentorFactory(programme=staff["programme"], ready=True, place="fr-commune:29019")  # Brest
    run = done_run(staff["programme"], django_capture_on_commit_callbacks)
    assert run.proposals.count() == rows
    # session, user, membership, run, count + page of pairs, totals, chosen mentees,
    # unmatched mentees, taken places, unused mentors
    with django_assert_num_queries(11):
        response = staff["client"].get(reverse("staff:matching:run", args=[run.pk]))
    assert response.status_code == 200


@pytest.fixture
def other_org(django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(name="Programme B")
    ms, es = people(programme, 2, 3)
    run = done_run(programme, django_capture_on_commit_callbacks)
    return {"programme": programme, "run": run, "mentee": es[0], "mentor": ms[0]}


@pytest.mark.parametrize("role", ["admin", "coordinator", "partner"])
def test_other_organisation_answers_404(client, other_org, role):
    membership = MembershipFactory(role=role)
    ProgrammeFactory(organisation=membership.organisation)
    client.force_login(membership.user)
    run, mentee, mentor, programme = (
        other_org["run"],
        other_org["mentee"],
        other_org["mentor"],
        other_org["programme"],
    )
    proposal = run.proposals.first()
    urls = [
        ("get", reverse("staff:matching:settings", args=[programme.pk])),
        ("post", reverse("staff:matching:settings", args=[programme.pk])),
        ("post", reverse("staff:matching:start", args=[programme.pk])),
        ("get", reverse("staff:matching:run", args=[run.pk])),
        ("get", reverse("staff:matching:explain", args=[run.pk, mentee.pk])),
        ("post", reverse("staff:matching:choose", args=[run.pk, mentee.pk])),
        ("post", reverse("staff:matching:remove", args=[run.pk, proposal.pk])),
        ("post", reverse("staff:matching:swap", args=[run.pk, proposal.pk])),
        ("get", reverse("staff:matching:publish", args=[run.pk])),
        ("post", reverse("staff:matching:publish", args=[run.pk])),
        ("post", reverse("staff:matching:retry", args=[run.pk])),
        ("get", reverse("staff:matching:mentee", args=[mentee.pk])),
        ("post", reverse("staff:matching:propose", args=[mentee.pk])),
        ("post", reverse("staff:matching:exclude", args=[mentee.pk])),
    ]
    for method, url in urls:
        response = getattr(client, method)(url, {"mentor": mentor.pk, "other": proposal.pk})
        # Partners are refused every matching page before any lookup (it names everyone).
        expected = {403} if role == "partner" else {404}
        assert response.status_code in expected, (method, url, response.status_code)
    assert MatchingRun.objects.count() == 1
    assert run.proposals.chosen().count() == 2
    assert not MatchExclusion.objects.exists()
    response = client.get(reverse("staff:matching:home"))
    assert "Programme B" not in response.content.decode()


def test_partner_never_sees_matching(client, staff, django_capture_on_commit_callbacks):
    """A partner sees only the mentees it referred: the matching pages, which name every
    mentor and mentee of the programme, are refused, and the menu does not offer them."""
    _, es = people(staff["programme"], 1, 1)
    run = done_run(staff["programme"], django_capture_on_commit_callbacks)
    partner = MembershipFactory(organisation=staff["membership"].organisation, role="partner")
    client.force_login(partner.user)
    for url in (
        reverse("staff:matching:home"),
        reverse("staff:matching:run", args=[run.pk]),
        reverse("staff:matching:explain", args=[run.pk, es[0].pk]),
        reverse("staff:matching:mentee", args=[es[0].pk]),
    ):
        assert client.get(url).status_code == 403, url
    home = client.get(reverse("staff:home")).content.decode()
    assert reverse("staff:matching:home") not in home
    assert reverse("staff:sessions:list") not in home
    assert reverse("staff:registrations:inbox") not in home
    assert client.post(reverse("staff:matching:publish", args=[run.pk])).status_code == 403
    assert client.get(reverse("staff:matching:publish", args=[run.pk])).status_code == 403
    assert not Pair.objects.exists()
