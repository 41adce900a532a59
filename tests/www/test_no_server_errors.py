"""Bad input never gives a 500: every URL of the site, with existing, missing and junk ids,
GET, empty POST and junk POSTs (including values that fool naive parsing: "²", NUL bytes),
as a coordinator, a partner and an anonymous visitor, on SQLite and PostgreSQL."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from binome.users.models import User

pytestmark = pytest.mark.django_db

JUNK = {
    "q": "x" * 300,
    "state": "nope",
    "programme": "abc",
    "page": "-1",
    "to_state": "'; drop",
    "reason": "\x00",
    "email": "not-an-email",
    "place": "zzz",
    "birth_year": "99999",
    "held_on": "2026-02-30",
    "decision": "maybe",
    "mentor": "-5",
    "mentee": "abc",
    "signatory": "nobody",
    "started_on": "yesterday",
    "people": ["a", "999999"],
    "criteria-TOTAL_FORMS": "x",
    "step": "99",
    "state_token": "junk",
    "kinds": ["?"],
}
# Values that pass naive checks: "²".isdigit() is True but int("²") fails; PostgreSQL refuses
# NUL bytes in text; ids beyond a 64-bit integer.
BAD = {
    "q": "a\x00b",
    "programme": "²",
    "mentor": "²",
    "mentee": "¹²",
    "organisation": "²",
    "step": "²",
    "state": "\x00",
    "show": "\x00",
    "kind": "\x00",
    "to": "²",
    "other": "99999999999999999999999",
}
BAD_PAGE = {"page": "²"}  # apart: a bad page answers 404 before the list's query runs
SKIP = re.compile(r"^(admin/|i18n/|deconnexion/)")


def _routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _fill(route, ids):
    """Concrete paths for a route: each <int:…> with an existing and a missing id."""
    out = []
    for value in ids:
        path = re.sub(r"<int:[^>]+>", str(value), route)
        path = re.sub(r"<slug:action>", "accept-mentor", path)
        path = re.sub(r"<(?:str|slug):[^>]+>", "junk-token", path)
        out.append("/" + path)
    return sorted(set(out))


@pytest.fixture
def demo():
    call_command("seed_demo", "--small", stdout=io.StringIO())


@pytest.mark.parametrize(
    "who",
    [
        None,
        "coordination@passerelles.demo",
        "partenaire@passerelles.demo",
        "federation@mentorat-hdf.demo",
    ],
)
def test_no_url_answers_500(demo, who):
    client = Client(raise_request_exception=True)
    if who:
        client.force_login(User.objects.get(email=who))
    routes = [r for r in _routes(get_resolver().url_patterns) if not SKIP.match(r)]
    assert len(routes) > 40
    checked = 0
    for route in routes:
        for path in _fill(route, ids=[1, 2, 999999]):
            for method, data in (
                ("get", {}),
                ("get", JUNK),
                ("get", BAD),
                ("get", BAD_PAGE),
                ("post", {}),
                ("post", JUNK),
                ("post", BAD),
            ):
                response = getattr(client, method)(path, data)
                assert response.status_code < 500, (who, method, path, response.status_code)
                checked += 1
    assert checked > 400
