"""A favicon served locally: linked from both base templates; /favicon.ico answers."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon_ico_answers_without_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an icon resource
    assert "max-age" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/", "/connexion/"])  # public base, staff base
def test_both_base_templates_link_the_icons(client, path):
    html = client.get(path).content.decode()
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in html
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    svg = finders.find("favicon.svg")
    assert svg
    with open(svg, encoding="utf-8") as f:
        assert f.read().startswith("<svg")
    served = client.get("/static/favicon.svg")
    assert served.status_code == 200
    served.close()
