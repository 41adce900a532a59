"""A failed login reads as a failed login, in French and in English."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRONG = {
    "fr": "L’adresse e-mail ou le mot de passe est incorrect. Vérifiez-les et réessayez.",
    "en": "The e-mail address or the password is wrong. Check both and try again.",
}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("password", ["wrong-password", "pass-1234"])
def test_wrong_email_or_password_says_so_plainly(client, language, password):
    user = UserFactory(email="claire@example.org")
    client.cookies["django_language"] = language
    email = user.email if password == "wrong-password" else "nobody@example.org"
    response = client.post(reverse("login"), {"username": email, "password": password})
    assert response.status_code == 200
    html = response.content.decode()
    assert WRONG[language] in html
    assert 'role="alert"' in html
    assert "sensible à la casse" not in html
    assert "case-sensitive" not in html
    assert "un adresse" not in html  # Django's own message, with its gender slip
    assert 'value="' + email + '"' in html  # the e-mail typed is kept


def test_right_password_logs_in(client):
    user = UserFactory(email="claire@example.org")
    response = client.post(reverse("login"), {"username": user.email, "password": "pass-1234"})
    assert response.status_code == 302


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_empty_form_points_at_the_fields(client, language):
    client.cookies["django_language"] = language
    html = client.post(reverse("login"), {}).content.decode()
    assert WRONG[language] not in html
    assert "field-error" in html
