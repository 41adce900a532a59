"""A form with errors starts with a summary (role=alert, a heading, focusable) whose links
lead to the id of each field in error; each error is tied to its input."""

import re

import pytest
from django import forms
from django.urls import reverse

from tests.factories import MembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def summary_of(html):
    match = re.search(r'<div class="alert alert-danger error-summary"(.*?)</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_a_staff_form_lists_each_error_with_a_link_to_its_field(client):
    membership = MembershipFactory()
    ProgrammeFactory(organisation=membership.organisation)
    client.force_login(membership.user)
    response = client.post(
        reverse("staff:mentees:create"),
        {"first_name": "", "last_name": "Diallo", "place": "Xyzzyville", "email": "awa@"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    summary = summary_of(html)
    assert 'role="alert"' in summary
    assert 'tabindex="-1"' in summary
    assert re.search(r'<h2[^>]*id="form-errors-title"[^>]*>\d+ réponses sont à corriger', summary)
    targets = re.findall(r'<a href="#([^"]+)">', summary)
    assert {"id_programme", "id_first_name", "id_place", "id_email"} <= set(targets)
    for target in targets:  # every link leads to an input of the page
        assert re.search(rf'<(input|select|textarea)[^>]* id="{target}"', html), target
    assert "Prénom\u00a0: " in summary
    # The error paragraph is tied to the input; what was typed is kept.
    assert re.search(r'<input[^>]*aria-describedby="[^"]*id_place_error"[^>]*id="id_place"', html)
    assert 'id="id_place_error"' in html
    assert 'value="Diallo"' in html


class Choices(forms.Form):
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    note = forms.CharField(help_text="Short.")

    def clean(self):
        raise forms.ValidationError("Not now.")


def test_radio_groups_link_to_their_first_choice_and_non_field_errors_are_listed():
    form = Choices({"note": ""})
    assert not form.is_valid()
    html = str(form)
    summary = summary_of(html)
    assert '<a href="#id_kind_0">' in summary
    assert "<li>Not now.</li>" in summary
    assert 'id="id_kind_0"' in html
    assert re.search(r'<fieldset aria-describedby="id_kind_error">', html)
    assert 'aria-describedby="id_note_helptext id_note_error"' in html


def test_no_summary_without_errors_nor_in_a_formset():
    assert "error-summary" not in str(Choices())
    formset = forms.formset_factory(Choices, extra=1)(
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-kind": "a", "form-0-note": ""}
    )
    assert not formset.is_valid()
    assert "error-summary" not in str(formset.forms[0])
    assert "field-error" in str(formset.forms[0])


def test_the_matching_criteria_form_has_the_summary_too(client):
    membership = MembershipFactory()
    programme = ProgrammeFactory(organisation=membership.organisation)
    client.force_login(membership.user)
    url = reverse("staff:matching:settings", args=[programme.pk])
    page = client.get(url).content.decode()
    data = dict(re.findall(r'<input type="number" name="(\w+)" value="([^"]*)"', page))
    data["geography_weight"] = "99"
    html = client.post(url, data).content.decode()
    summary = summary_of(html)
    assert '<a href="#id_geography_weight">' in summary
    assert 'id="id_geography_weight"' in html
