"""Magic links through the pages: expired, reused, tampered, another scope: refused, nothing
changed (no session, the last login as it was, the pair untouched)."""

import datetime

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone
from sesame.utils import get_query_string

from binome.pairs.enums import PairState
from binome.users.models import User
from tests.portal.conftest import ask_link, make_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    return make_pair(state=PairState.MENTOR_ACCEPTED)


def refused(client, url, user):
    before = User.objects.get(pk=user.pk).last_login
    page = client.get(url)
    assert page.status_code == 410
    assert b"Ask for a new link" in page.content
    token = url.split("sesame=")[1] if "sesame=" in url else ""
    answer = client.post(reverse("portal:link"), {"sesame": token})
    assert answer.status_code == 410
    assert SESSION_KEY not in client.session
    assert User.objects.get(pk=user.pk).last_login == before
    assert client.get(reverse("portal:home")).status_code == 302


def test_the_link_logs_in_once(client, pair):
    url = ask_link(pair.mentee)
    page = client.get(url)  # a mail scanner opening it spends nothing
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert SESSION_KEY not in client.session
    assert client.get(url).status_code == 200
    token = url.split("sesame=")[1]
    answer = client.post(reverse("portal:link"), {"sesame": token})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200
    client.logout()
    client.cookies["django_language"] = "en"
    pair.mentee.refresh_from_db()
    refused(client, url, pair.mentee.user)


def test_expired(client, pair):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        url = ask_link(pair.mentor)
    pair.mentor.refresh_from_db()
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        refused(client, url, pair.mentor.user)
    with time_machine.travel(start + datetime.timedelta(minutes=59), tick=False):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: t[:10],
        lambda t: "",
        lambda t: "not-a-token",
    ],
)
def test_tampered(client, pair, change):
    url = ask_link(pair.mentor)
    base, token = url.split("sesame=")
    pair.mentor.refresh_from_db()
    refused(client, base + "sesame=" + change(token), pair.mentor.user)


def test_another_scope_or_a_new_password_is_refused(client, pair):
    url = ask_link(pair.mentor)
    pair.mentor.refresh_from_db()
    user = pair.mentor.user
    refused(client, reverse("portal:link") + get_query_string(user), user)  # no scope
    user.set_password("a-new-one-1234")
    user.save()
    refused(client, url, user)  # a password change spends the links sent before


def test_a_pair_is_untouched_by_a_refused_link(client, pair):
    url = ask_link(pair.mentee)
    client.post(reverse("portal:link"), {"sesame": url.split("sesame=")[1] + "x"})
    pair.refresh_from_db()
    assert pair.state == PairState.MENTOR_ACCEPTED
