"""The language switch works for anonymous visitors, mentors on their signed links and staff,
and brings each back to the page they were on (never to another site)."""

import pytest
from django.urls import reverse

from binome.matching import services
from binome.matching.models import MentorOffer
from tests.factories import MembershipFactory, ProgrammeFactory
from tests.matching.app_helpers import done_run, people

pytestmark = pytest.mark.django_db

SET_LANGUAGE = "/i18n/setlang/"


def switch(client, language, next_url, **headers):
    return client.post(SET_LANGUAGE, {"language": language, "next": next_url}, **headers)


def test_the_header_button_posts_to_the_language_view_with_the_current_page(client):
    html = client.get("/inscription/jeune/").content.decode()
    assert f'action="{SET_LANGUAGE}"' in html
    assert 'name="next" value="/inscription/jeune/"' in html
    assert 'name="language" value="en"' in html


@pytest.mark.parametrize("path", ["/", "/inscription/jeune/", "/m/sources/", "/connexion/"])
def test_an_anonymous_visitor_switches_to_english_and_stays_on_the_page(client, path):
    response = switch(client, "en", path)
    assert response.status_code == 302
    assert response["Location"] == path
    assert response.cookies["django_language"].value == "en"
    page = client.get(path)
    assert page.status_code == 200
    assert '<html lang="en">' in page.content.decode()
    back = switch(client, "fr", path)
    assert back["Location"] == path
    assert '<html lang="fr">' in client.get(path).content.decode()


def test_a_mentor_on_the_signed_link_stays_on_it(client, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory()
    people(programme, 1, 1)
    run = done_run(programme, django_capture_on_commit_callbacks)
    services.publish_run(run, acting_user=None, site_url="http://testserver")
    link = services.offer_link(MentorOffer.objects.get()).replace("http://testserver", "")
    assert link.startswith("/m/proposition/")
    html = client.get(link).content.decode()
    assert f'name="next" value="{link}"' in html
    response = switch(client, "en", link)
    assert response["Location"] == link
    page = client.get(link)
    assert page.status_code == 200
    assert "A mentee is proposed to you" in page.content.decode()


def test_staff_switch_and_stay_on_their_page(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    path = reverse("staff:mentees:list")
    response = switch(client, "en", path)
    assert response["Location"] == path
    assert '<html lang="en">' in client.get(path).content.decode()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""]
)
def test_next_never_leads_to_another_site(client, next_url):
    response = switch(client, "en", next_url)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "en"


def test_without_next_the_referring_page_of_this_site_is_kept(client):
    response = client.post(
        SET_LANGUAGE, {"language": "en"}, HTTP_REFERER="http://testserver/inscription/mentor/"
    )
    assert response["Location"] == "http://testserver/inscription/mentor/"


def test_an_unknown_language_leaves_the_site_in_french(client):
    response = switch(client, "de", "/")
    assert response["Location"] == "/"
    assert '<html lang="fr">' in client.get("/").content.decode()


def test_switching_in_the_middle_of_a_registration_keeps_the_answers(client):
    """The header button, pressed on step 2, sends the step with the language asked for
    (binome.js): the same step comes back in English, what was typed kept, no error shown."""
    url = reverse("public:register", args=["jeune"])
    html = client.get(url).content.decode()
    assert "data-keeps-answers" in html
    assert "data-language-switch" in html
    first = client.post(
        url, {"step": "0", "situation": "job_seeker", "place": "59000", "birth_year": "1975"}
    )
    assert first.context["step"] == 1, first.context["form"].errors
    typed = {"first_name": "Awa", "last_name": "", "email": "awa@exa"}
    response = client.post(
        url, {"step": "1", "state": first.context["state"], "switch_language": "en", **typed}
    )
    assert response.status_code == 200
    assert response.cookies["django_language"].value == "en"
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert response.context["step"] == 1
    assert 'value="Awa"' in page
    assert 'value="awa@exa"' in page
    assert "error-summary" not in page  # nothing judged yet: the person has not gone on
    # Going on checks the step, in English now, with the earlier step kept.
    client.cookies["django_language"] = "en"
    on = client.post(url, {"step": "1", "state": response.context["state"], **typed})
    assert on.context["step"] == 1
    assert "email" in on.context["form"].errors
    assert '<html lang="en">' in on.content.decode()
