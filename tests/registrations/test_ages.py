"""Age limits belong to the programmes' offers: the forms refuse only impossible years, and
the semi-anonymised card shows a band that covers every adult age."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from binome.registrations.enums import age_band
from binome.registrations.models import Registration
from binome.www.public import forms
from tests.registrations.test_public_views import JOURNEY_STEPS, YOUNG_STEPS, walk

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def test_an_adult_job_seeker_registers_as_a_mentee(client):
    first = {**YOUNG_STEPS[0], "birth_year": "1975"}
    response = walk(client, "jeune", [first, YOUNG_STEPS[1]])
    assert response.context.get("form") is None, response.context["form"].errors
    assert Registration.objects.get().birth_year == 1975


def test_a_professional_registers_an_adult(client):
    steps = JOURNEY_STEPS["orienter"]
    second = {**steps[1], "birth_year": str(YEAR - 52)}
    walk(client, "orienter", [steps[0], second])
    assert Registration.objects.get().birth_year == YEAR - 52


@pytest.mark.parametrize(
    "form_class", [forms.YoungSituationForm, forms.ReferredYoungForm, forms.MentorProfileForm]
)
@pytest.mark.parametrize(("age", "valid"), [(4, False), (5, True), (100, True), (101, False)])
def test_only_impossible_years_are_refused(form_class, age, valid):
    field = form_class.base_fields["birth_year"]
    if valid:
        assert field.clean(str(YEAR - age)) == YEAR - age
        return
    with translation.override("en"), pytest.raises(forms.forms.ValidationError) as caught:
        field.clean(str(YEAR - age))
    message = caught.value.messages[0]
    assert f"{age} years" in message
    assert "5 to 100" in message


def test_a_year_in_the_future_says_so(client):
    url = reverse("public:register", args=["jeune"])
    response = client.post(url, {"step": "0", **YOUNG_STEPS[0], "birth_year": str(YEAR + 1)})
    assert "in the future" in response.context["form"].errors["birth_year"][0]


def test_the_error_is_in_french_with_plurals(client):
    client.cookies["django_language"] = "fr"
    url = reverse("public:register", args=["jeune"])
    response = client.post(url, {"step": "0", **YOUNG_STEPS[0], "birth_year": str(YEAR - 1)})
    message = response.context["form"].errors["birth_year"][0]
    assert "un âge de 1 an," in message
    assert "5 à 100 ans" in message


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (None, ""),
        (-1, "under 15"),
        (14, "under 15"),
        (15, "15–17 years"),
        (25, "21–25 years"),
        (31, "31–44 years"),
        (44, "31–44 years"),
        (45, "45–59 years"),
        (51, "45–59 years"),
        (60, "60 and over"),
        (99, "60 and over"),
    ],
)
def test_age_bands_cover_every_age_without_overlap(age, band):
    with translation.override("en"):
        assert age_band(age) == band


def test_an_adult_request_is_routed_and_accepted_as_a_mentee():
    from binome.registrations import services
    from tests.registrations.factories import FederationFactory, member_with_offer, submit

    fed = FederationFactory()
    member, _, membership = member_with_offer(fed, age_min=45)  # a programme for over-45s
    registration = services.route_registration(submit(birth_year=1975))
    assert registration.organisation == member
    registration = services.accept(registration, organisation=member, acting_user=membership.user)
    assert registration.mentee.birth_year == 1975
