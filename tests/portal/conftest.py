import re

import pytest
from django.utils import translation

from binome.notifications.models import OutboxEmail
from binome.portal import services as portal


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in the source language.
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    """Pages in English (the language button's cookie); French is checked on its own."""
    client.cookies["django_language"] = "en"
    return client


def link_in(email):
    """The login link of an e-mail, as the person copies it."""
    return re.search(r"https?://\S+", email.body).group(0)


def last_link(to):
    email = OutboxEmail.objects.filter(to=to, category=portal.LINK_CATEGORY).latest("pk")
    return link_in(email)


def ask_link(person):
    assert portal.request_login_link(person.email, site_url="http://testserver/")
    return last_link(person.email)


_numbers = iter(range(10**6))


def make_pair(**kwargs):
    """A pair whose mentor and mentee have their own addresses (the factories' sequences
    give a mentor and a mentee the same one)."""
    from tests.factories import PairFactory

    n = next(_numbers)
    kwargs.setdefault("mentor__email", f"mentor{n}@example.net")
    kwargs.setdefault("mentee__email", f"mentee{n}@example.net")
    return PairFactory(**kwargs)
