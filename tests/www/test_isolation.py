"""Isolation matrix: a member of association A can neither list, see nor change anything of B.

Role × object × action; every access to B's objects answers 404.
"""

import re

import pytest
from django.urls import reverse

from binome.pairs.enums import PairState
from binome.people.enums import MenteeState, MentorState, SessionKind
from tests.factories import (
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    PairFactory,
    ProgrammeFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["admin", "coordinator", "partner"]


@pytest.fixture
def org_b():
    programme = ProgrammeFactory(name="Programme B")
    mentor = MentorFactory(
        programme=programme, state=MentorState.INFORMED, last_name="Bsecretmentor"
    )
    mentee = MenteeFactory(
        programme=programme, state=MenteeState.PRESENTED, last_name="Bsecretmentee"
    )
    pair = PairFactory(programme=programme, state=PairState.PROPOSED)
    session = SessionFactory(programme=programme, kind=SessionKind.INFORMATION)
    return {
        "programme": programme,
        "mentor": mentor,
        "mentee": mentee,
        "pair": pair,
        "session": session,
    }


def _urls(b):
    m, e, p = b["mentor"].pk, b["mentee"].pk, b["pair"].pk
    urls = [
        ("get", reverse("staff:mentors:detail", args=[m])),
        ("get", reverse("staff:mentors:edit", args=[m])),
        ("post", reverse("staff:mentors:edit", args=[m])),
        ("get", reverse("staff:mentors:transition", args=[m])),
        ("post", reverse("staff:mentors:transition", args=[m])),
        ("get", reverse("staff:mentors:interview", args=[m])),
        ("get", reverse("staff:mentees:detail", args=[e])),
        ("post", reverse("staff:mentees:edit", args=[e])),
        ("post", reverse("staff:mentees:transition", args=[e])),
        ("post", reverse("staff:mentees:interview", args=[e])),
        ("get", reverse("staff:pairs:detail", args=[p])),
        ("get", reverse("staff:pairs:action", args=[p, "accept-mentor"])),
        ("post", reverse("staff:pairs:action", args=[p, "accept-mentor"])),
        ("post", reverse("staff:pairs:action", args=[p, "cancel"])),
        ("get", reverse("staff:sessions:detail", args=[b["session"].pk])),
        ("post", reverse("staff:sessions:detail", args=[b["session"].pk])),
        ("get", reverse("staff:programmes:edit", args=[b["programme"].pk])),
        ("post", reverse("staff:programmes:edit", args=[b["programme"].pk])),
    ]
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_other_organisation_objects_answer_404(client, org_b, role):
    membership = MembershipFactory(role=role)
    ProgrammeFactory(organisation=membership.organisation)
    client.force_login(membership.user)
    for method, url in _urls(org_b):
        response = getattr(client, method)(url, {"reason": "x", "to_state": "withdrawn"})
        if role == "partner" and response.status_code == 403:
            # Partners are refused every change before any lookup, so a 403 reveals nothing:
            # the same URL with an id that exists nowhere answers the same.
            missing = re.sub(r"/\d+/", "/999999/", url, count=1)
            assert getattr(client, method)(missing).status_code == 403, url
            continue
        assert response.status_code == 404, (role, method, url, response.status_code)
    # Nothing changed in B.
    org_b["pair"].refresh_from_db()
    assert org_b["pair"].state == PairState.PROPOSED


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url_name",
    [
        "staff:mentors:list",
        "staff:mentees:list",
        "staff:pairs:list",
        "staff:sessions:list",
        "staff:programmes:list",
        "staff:home",
    ],
)
def test_lists_never_show_other_organisation(client, org_b, role, url_name):
    membership = MembershipFactory(role=role)
    client.force_login(membership.user)
    # Even when filtering by B's programme id.
    response = client.get(reverse(url_name), {"programme": org_b["programme"].pk})
    assert response.status_code == 200
    html = response.content.decode()
    for secret in ("Bsecretmentor", "Bsecretmentee", "Programme B"):
        assert secret not in html


def test_pair_creation_cannot_use_other_organisation_people(client, org_b):
    membership = MembershipFactory()
    mentor = MentorFactory(programme__organisation=membership.organisation, ready=True)
    client.force_login(membership.user)
    b_mentee = MenteeFactory(programme=org_b["programme"], ready=True)
    response = client.post(
        reverse("staff:pairs:create"), {"mentor": mentor.pk, "mentee": b_mentee.pk}
    )
    assert response.status_code == 200
    assert "mentee" in response.context["form"].errors
    assert not b_mentee.pairs.exists()


def test_partner_reads_but_cannot_change(client):
    membership = MembershipFactory(partner=True)
    mentor = MentorFactory(
        programme__organisation=membership.organisation, state=MentorState.APPLIED
    )
    client.force_login(membership.user)
    assert client.get(reverse("staff:mentors:detail", args=[mentor.pk])).status_code == 200
    response = client.post(
        reverse("staff:mentors:transition", args=[mentor.pk]),
        {"to_state": "withdrawn", "reason": "x"},
    )
    assert response.status_code == 403
    assert client.get(reverse("staff:mentors:create")).status_code == 403
    mentor.refresh_from_db()
    assert mentor.state == MentorState.APPLIED


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("staff:mentors:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_without_membership(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
