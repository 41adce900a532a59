""" "Report a problem" from the portal: the coordinators get an e-mail, the dashboard shows
the report (in a constant number of queries; never to a partner), the journal keeps the ids
and the category but never the text; bad input is kept with an error on its field; another
person's pair answers 404."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from binome.core.models import ActivityLog
from binome.notifications.models import OutboxEmail
from binome.organisations.enums import Role
from binome.pairs.enums import PairState
from binome.portal import services as portal
from binome.portal.models import ProblemCategory, ProblemReport
from tests.factories import MembershipFactory, UserFactory
from tests.portal.conftest import make_pair

pytestmark = pytest.mark.django_db

SECRET = "He never comes and shouts at me"


@pytest.fixture
def coordinator():
    return MembershipFactory(role=Role.COORDINATOR)


@pytest.fixture
def pair(coordinator):
    pair = make_pair(state=PairState.ACTIVE, programme__organisation=coordinator.organisation)
    for person in (pair.mentor, pair.mentee):
        person.user = UserFactory(email=person.email)
        person.save(update_fields=["user"])
    return pair


def problem_url(pair):
    return reverse("portal:meeting_problem", args=[pair.pk])


class TestService:
    def test_the_coordinator_gets_an_email_and_the_journal_no_text(self, pair, coordinator):
        MembershipFactory(organisation=coordinator.organisation, role=Role.PARTNER)
        report = portal.report_problem(
            pair,
            acting_user=pair.mentee.user,
            category=ProblemCategory.RELATIONSHIP,
            text=f"  {SECRET}  ",
            site_url="http://testserver/",
        )
        assert (report.side, report.text, report.reported_by) == (
            "mentee",
            SECRET,
            pair.mentee.user,
        )
        email = OutboxEmail.objects.get(category=portal.PROBLEM_CATEGORY)
        assert email.to == coordinator.user.email  # not the partner
        assert SECRET in email.body
        assert reverse("staff:pairs:detail", args=[pair.pk]) in email.body
        assert "&#x27;" not in email.body
        assert "&quot;" not in email.body
        row = ActivityLog.objects.get(verb="problem_reported")
        assert row.data == {"pair": pair.pk, "side": "mentee", "category": "relationship"}
        assert SECRET not in str(ActivityLog.objects.values_list("data", flat=True))

    def test_without_coordinator_the_admins_then_the_association(self, pair, coordinator):
        coordinator.is_active = False
        coordinator.save(update_fields=["is_active"])
        organisation = coordinator.organisation
        organisation.email = "contact@asso.example"
        organisation.save(update_fields=["email"])
        assert portal.coordinator_addresses(organisation) == ["contact@asso.example"]
        admin = MembershipFactory(organisation=organisation, role=Role.ADMIN)
        assert portal.coordinator_addresses(organisation) == [admin.user.email]

    def test_bad_input_and_strangers_are_refused(self, pair):
        with pytest.raises(ValidationError) as exc:
            portal.report_problem(pair, acting_user=pair.mentor.user, category="x", text=" ")
        assert set(exc.value.error_dict) == {"category", "text"}
        with pytest.raises(PermissionDenied):
            portal.report_problem(pair, acting_user=UserFactory(), category="other", text="Hello")
        assert not ProblemReport.objects.exists()
        assert not OutboxEmail.objects.filter(category=portal.PROBLEM_CATEGORY).exists()

    def test_at_most_a_few_a_day(self, pair):
        for _ in range(portal.PROBLEMS_PER_DAY):
            portal.report_problem(pair, acting_user=pair.mentor.user, category="other", text="a")
        with pytest.raises(ValidationError):
            portal.report_problem(pair, acting_user=pair.mentor.user, category="other", text="a")


class TestPage:
    def test_report_through_the_page(self, client, pair, coordinator):
        client.force_login(pair.mentor.user)
        page = client.get(problem_url(pair))
        assert page.status_code == 200
        response = client.post(problem_url(pair), {"category": "meetings", "text": SECRET})
        assert response.status_code == 302
        assert response["Location"] == reverse("portal:pair", args=[pair.pk])
        assert ProblemReport.objects.get().category == "meetings"
        assert OutboxEmail.objects.filter(to=coordinator.user.email).exists()

    def test_bad_input_keeps_the_text_with_a_french_error(self, client, pair):
        client.force_login(pair.mentor.user)
        client.cookies["django_language"] = "fr"
        page = client.post(problem_url(pair), {"category": "nope", "text": SECRET})
        assert page.status_code == 200
        assert "category" in page.context["form"].errors
        html = page.content.decode()
        assert SECRET in html
        assert "Sélectionnez un choix valide" in html
        page = client.post(problem_url(pair), {"category": "other", "text": "x" * 2001})
        assert "text" in page.context["form"].errors
        assert not ProblemReport.objects.exists()

    def test_another_pair_is_404(self, client, pair):
        other = make_pair(state=PairState.ACTIVE, programme=pair.programme)
        client.force_login(pair.mentor.user)
        assert client.get(problem_url(other)).status_code == 404
        post = client.post(problem_url(other), {"category": "other", "text": "x"})
        assert post.status_code == 404
        assert not ProblemReport.objects.exists()


class TestDashboard:
    def _report(self, pair, n=1):
        for i in range(n):
            ProblemReport.objects.create(
                pair=pair, side="mentor", category="other", text=f"{SECRET} {i}"
            )

    def test_the_dashboard_shows_the_reports(self, client, pair, coordinator):
        self._report(pair)
        client.force_login(coordinator.user)
        page = client.get(reverse("staff:home"))
        html = page.content.decode()
        assert "Problems reported" in html or "Problèmes signalés" in html
        assert SECRET in html
        assert reverse("staff:pairs:detail", args=[pair.pk]) in html

    def test_another_organisation_and_partners_see_none(self, client, pair, coordinator):
        self._report(pair)
        partner = MembershipFactory(organisation=coordinator.organisation, role=Role.PARTNER)
        client.force_login(partner.user)
        assert SECRET not in client.get(reverse("staff:home")).content.decode()
        stranger = MembershipFactory()
        client.force_login(stranger.user)
        assert SECRET not in client.get(reverse("staff:home")).content.decode()

    def test_constant_queries(self, client, pair, coordinator, django_assert_max_num_queries):
        client.force_login(coordinator.user)
        self._report(pair)
        with django_assert_max_num_queries(60) as one:
            client.get(reverse("staff:home"))
        self._report(pair, 30)
        others = [make_pair(state=PairState.ACTIVE, programme=pair.programme) for _ in range(3)]
        for other in others:
            self._report(other, 3)
        with django_assert_max_num_queries(len(one)):
            page = client.get(reverse("staff:home"))
        assert len(page.context["problems"]) == 10


def test_the_dashboard_programme_filter(client, pair, coordinator):
    ProblemReport.objects.create(pair=pair, side="mentee", category="other", text=SECRET)
    client.force_login(coordinator.user)
    other = make_pair(state=PairState.ACTIVE, programme__organisation=coordinator.organisation)
    shown = client.get(reverse("staff:home"), {"programme": pair.programme_id})
    assert SECRET in shown.content.decode()
    hidden = client.get(reverse("staff:home"), {"programme": other.programme_id})
    assert SECRET not in hidden.content.decode()
    assert "No problem reported." in hidden.content.decode()


class TestHandled:
    def report(self, pair):
        return ProblemReport.objects.create(pair=pair, side="mentee", category="other", text=SECRET)

    def test_the_pair_page_lists_it_and_handling_takes_it_off_the_dashboard(
        self, client, pair, coordinator
    ):
        report = self.report(pair)
        client.force_login(coordinator.user)
        detail = reverse("staff:pairs:detail", args=[pair.pk])
        assert SECRET in client.get(detail).content.decode()
        url = reverse("staff:pairs:problem_handled", args=[pair.pk, report.pk])
        assert client.post(url).status_code == 302
        report.refresh_from_db()
        assert report.handled_by == coordinator.user
        assert report.handled_at is not None
        assert SECRET not in client.get(reverse("staff:home")).content.decode()
        page = client.get(detail).content.decode()
        assert SECRET in page  # the pair's page keeps it
        assert url not in page  # no second button
        row = ActivityLog.objects.get(verb="problem_handled")
        assert row.data == {"pair": pair.pk}
        # Twice: a clear message, nothing changed.
        when = report.handled_at
        client.post(url)
        report.refresh_from_db()
        assert report.handled_at == when

    def test_partners_and_other_organisations_cannot(self, client, pair, coordinator):
        report = self.report(pair)
        url = reverse("staff:pairs:problem_handled", args=[pair.pk, report.pk])
        partner = MembershipFactory(organisation=coordinator.organisation, role=Role.PARTNER)
        client.force_login(partner.user)
        assert client.post(url).status_code == 403
        assert (
            SECRET not in client.get(reverse("staff:pairs:detail", args=[pair.pk])).content.decode()
        )
        client.force_login(MembershipFactory().user)
        assert client.post(url).status_code == 404
        with pytest.raises(PermissionDenied):
            portal.mark_problem_handled(
                report, acting_user=partner.user, organisation=MembershipFactory().organisation
            )
        report.refresh_from_db()
        assert report.handled_at is None
