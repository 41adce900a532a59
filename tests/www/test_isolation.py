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
    OrganisationFactory,
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
    if role == "partner" and url_name == "staff:sessions:list":
        # Attendance sheets name every candidate: refused to partners.
        assert response.status_code == 403
        return
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
    referrer = OrganisationFactory(name="Mission Locale")
    membership = MembershipFactory(partner=True, partner_organisation=referrer)
    mentee = MenteeFactory(
        programme__organisation=membership.organisation,
        state=MenteeState.APPLIED,
        referred_by=referrer,
    )
    client.force_login(membership.user)
    assert client.get(reverse("staff:mentees:detail", args=[mentee.pk])).status_code == 200
    response = client.post(
        reverse("staff:mentees:transition", args=[mentee.pk]),
        {"to_state": "withdrawn", "reason": "x"},
    )
    assert response.status_code == 403
    assert client.get(reverse("staff:mentees:create")).status_code == 403
    mentee.refresh_from_db()
    assert mentee.state == MenteeState.APPLIED


@pytest.fixture
def partner_view(client):
    """A partner of association A working for "Mission Locale", which referred one mentee."""
    referrer = OrganisationFactory(name="Mission Locale")
    membership = MembershipFactory(partner=True, partner_organisation=referrer)
    programme = ProgrammeFactory(organisation=membership.organisation)
    referred = MenteeFactory(
        programme=programme, referred_by=referrer, last_name="Referred", notes="Staff secret"
    )
    other = MenteeFactory(programme=programme, last_name="Notreferred", phone="0600000001")
    pair = PairFactory(
        programme=programme,
        mentee=referred,
        mentor__last_name="Volunteermentor",
        mentor__phone="0699999999",
        state=PairState.ACTIVE,
    )
    other_pair = PairFactory(programme=programme, mentee=other, state=PairState.PROPOSED)
    client.force_login(membership.user)
    return {
        "client": client,
        "referred": referred,
        "other": other,
        "pair": pair,
        "other_pair": other_pair,
        "mentor": pair.mentor,
    }


def test_partner_sees_only_the_mentees_it_referred(partner_view):
    c, referred, other = partner_view["client"], partner_view["referred"], partner_view["other"]
    listing = c.get(reverse("staff:mentees:list")).content.decode()
    assert "Referred" in listing
    assert "Notreferred" not in listing
    assert c.get(reverse("staff:mentees:detail", args=[other.pk])).status_code == 404
    detail = c.get(reverse("staff:mentees:detail", args=[referred.pk])).content.decode()
    assert referred.email in detail
    assert "Staff secret" not in detail  # the milestones, not the staff's notes
    assert "Volunteermentor" not in detail


def test_partner_never_sees_mentors(partner_view):
    c, mentor = partner_view["client"], partner_view["mentor"]
    listing = c.get(reverse("staff:mentors:list")).content.decode()
    assert "Volunteermentor" not in listing
    assert c.get(reverse("staff:mentors:detail", args=[mentor.pk])).status_code == 404
    home = c.get(reverse("staff:home"))
    assert all(n == 0 for _value, _label, n in home.context["mentor_counts"])


def test_partner_sees_the_pairs_of_its_mentees_without_the_mentor(partner_view):
    c, pair = partner_view["client"], partner_view["pair"]
    listing = c.get(reverse("staff:pairs:list")).content.decode()
    assert "Volunteermentor" not in listing
    assert list(c.get(reverse("staff:pairs:list")).context["object_list"]) == [pair]
    detail = c.get(reverse("staff:pairs:detail", args=[pair.pk])).content.decode()
    assert "Referred" in detail
    assert "Volunteermentor" not in detail
    assert "0699999999" not in detail
    other = partner_view["other_pair"]
    assert c.get(reverse("staff:pairs:detail", args=[other.pk])).status_code == 404


def test_partner_without_a_referring_organisation_sees_nobody(client):
    membership = MembershipFactory(partner=True)
    programme = ProgrammeFactory(organisation=membership.organisation)
    mentee = MenteeFactory(programme=programme, referred_by=OrganisationFactory())
    client.force_login(membership.user)
    assert not client.get(reverse("staff:mentees:list")).context["object_list"]
    assert client.get(reverse("staff:mentees:detail", args=[mentee.pk])).status_code == 404


# -- form choices: every list offered in a form starts from what the user may see -------------


def _choice_objects(form):
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            yield name, list(queryset)


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_form_choices_never_offer_another_organisation(client, org_b, role):
    membership = MembershipFactory(role=role)
    org_a = membership.organisation
    programme = ProgrammeFactory(organisation=org_a, name="Programme A")
    partner_org = OrganisationFactory(name="Mission Locale A")
    MembershipFactory(organisation=org_a, partner=True, partner_organisation=partner_org)
    past_referrer = OrganisationFactory(name="CCAS A")
    mentee = MenteeFactory(programme=programme, ready=True, referred_by=past_referrer)
    MentorFactory(programme=programme, ready=True)
    # Another association's referrer, and an unrelated organisation of the instance.
    b_referrer = OrganisationFactory(name="Referrer of B")
    MenteeFactory(programme=org_b["programme"], referred_by=b_referrer, ready=True)
    OrganisationFactory(name="Unrelated organisation")
    MentorFactory(programme=org_b["programme"], ready=True, last_name="Bsecretmentor")
    session = SessionFactory(programme=programme, kind=SessionKind.PRESENTATION)
    client.force_login(membership.user)
    pages = [
        reverse("staff:mentors:create"),
        reverse("staff:mentees:create"),
        reverse("staff:mentees:edit", args=[mentee.pk]),
        reverse("staff:sessions:create"),
        reverse("staff:sessions:detail", args=[session.pk]),
        reverse("staff:pairs:create"),
    ]
    seen = set()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        for name, objects in _choice_objects(response.context["form"]):
            seen.add(name)
            for obj in objects:
                if name == "referred_by":
                    assert obj in {partner_org, past_referrer}, (url, obj)
                elif hasattr(obj, "programme"):
                    assert obj.programme.organisation == org_a, (url, name, obj)
                else:
                    assert obj.organisation == org_a, (url, name, obj)
        html = response.content.decode()
        for secret in ("Bsecretmentor", "Bsecretmentee", "Programme B", "Referrer of B"):
            assert secret not in html, (url, secret)
        assert "Unrelated organisation" not in html
    assert {"programme", "referred_by", "people", "mentor", "mentee"} <= seen
    referrers = client.get(reverse("staff:mentees:create")).context["form"]
    assert set(referrers.fields["referred_by"].queryset) == {partner_org, past_referrer}


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
