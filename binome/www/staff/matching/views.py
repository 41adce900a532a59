"""Matching in the back-office: settings, runs with progress, review, explain, manual
choices with their cost, publication, and the suggestions after a mentor declines."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from binome.matching import services as matching
from binome.matching.adapter import mentee_key, parse_key, settings_for
from binome.matching.enums import (
    UNMATCHED_LABELS,
    ExclusionSource,
    RunFailure,
    RunState,
)
from binome.matching.models import MatchingRun, MentorOffer
from binome.pairs.enums import LIVE_STATES, PairState
from binome.people.models import Mentee, Mentor
from binome.programmes.models import Programme
from binome.www.staff.base import ServiceFormView, error_messages
from binome.www.staff.matching.forms import MatchingSettingsForm, PickForm
from binome.www.staff.matching.presenters import (
    cost_message,
    criteria_labels,
    criteria_names,
    entry_mentor_pks,
    mentor_entries,
    score_parts,
    signed,
)
from binome.www.staff.permissions import StaffMixin

REVIEW_PAGE_SIZE = 100
LIST_LIMIT = 200


def _site_url(request):
    return request.build_absolute_uri("/")


class PartnerRefusedMixin(StaffMixin):
    """Matching pages show every mentor and mentee of the programme: never to a partner, who
    sees only the mentees it referred (on the people and pair pages)."""

    partner_allowed = False


class RunScopeMixin(PartnerRefusedMixin):
    def runs(self):
        return MatchingRun.objects.for_organisation(self.organisation).select_related("programme")

    def get_run(self):
        return get_object_or_404(self.runs(), pk=self.kwargs["pk"])

    def get_reviewable_run(self):
        run = self.get_run()
        if not run.is_reviewable:
            raise Http404
        return run

    def run_mentee(self, run, mentee_pk):
        mentee = get_object_or_404(
            Mentee.objects.for_organisation(self.organisation).filter(programme=run.programme),
            pk=mentee_pk,
        )
        if mentee_key(mentee.pk) not in {e["id"] for e in run.problem.get("mentees", [])}:
            raise Http404
        return mentee


# --- home, settings, start -----------------------------------------------------------------


class MatchingHomeView(PartnerRefusedMixin, TemplateView):
    template_name = "staff/matching/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        org = self.organisation
        programmes = Programme.objects.for_organisation(org).select_related("matching_settings")
        runs = list(MatchingRun.objects.for_organisation(org).select_related("programme")[:20])
        stuck = matching.stale_runs(runs)
        for run in runs:
            run.stuck = run.pk in stuck
        declined = list(
            MentorOffer.objects.for_organisation(org)
            .filter(pair__state=PairState.MENTOR_DECLINED, pair__mentee__state="ready")
            .exclude(pair__mentee__pairs__state__in=LIVE_STATES)
            .select_related("pair__mentor", "pair__mentee", "pair__programme")
            .order_by("-answered_at")[:50]
        )
        escalated = (
            MentorOffer.objects.for_organisation(org)
            .waiting()
            .filter(escalated_at__isnull=False)
            .select_related("pair__mentor", "pair__mentee")
            .order_by("escalated_at")[:50]
        )
        ctx.update(
            programmes=programmes,
            runs=runs,
            troubled=self.troubled(runs),
            declined=matching.declined_with_next_best(declined),
            escalated=escalated,
        )
        return ctx

    def troubled(self, runs):
        """The latest run of each programme when it failed or is stuck."""
        latest = {}
        for run in runs:  # newest first
            latest.setdefault(run.programme_id, run)
        return [r for r in latest.values() if r.stuck or r.state == RunState.FAILED]


class SettingsView(ServiceFormView):
    template_name = "staff/matching/settings.html"
    form_class = MatchingSettingsForm

    def get_form_kwargs(self):
        self.programme = get_object_or_404(
            Programme.objects.for_organisation(self.organisation), pk=self.kwargs["pk"]
        )
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = settings_for(self.programme)
        return kwargs

    def perform(self, form):
        matching.save_settings(form, acting_user=self.request.user)
        self.success_message = _("The matching settings are saved.")

    def get_success_url(self):
        return reverse("staff:matching:home")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["programme"] = self.programme
        return ctx


class StartRunView(PartnerRefusedMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        programme = get_object_or_404(Programme.objects.for_organisation(self.organisation), pk=pk)
        run = matching.start_run(programme, acting_user=request.user)
        return redirect("staff:matching:run", run.pk)


# --- a run: progress and review ------------------------------------------------------------


class RunView(RunScopeMixin, TemplateView):
    template_name = "staff/matching/run.html"

    def get(self, request, *args, **kwargs):
        self.run = self.get_run()
        self.stuck = matching.stale_runs([self.run]).get(self.run.pk)
        if request.htmx:
            if self.run.is_finished or self.stuck:
                return HttpResponse(headers={"HX-Refresh": "true"})
            return self.render_to_response(
                {"run": self.run, "stuck": None}, template_name="staff/matching/_progress.html"
            )
        return super().get(request, *args, **kwargs)

    def render_to_response(self, context, template_name=None, **kwargs):
        if template_name:
            return self.response_class(
                request=self.request, template=[template_name], context=context, using=None
            )
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        run = self.run
        ctx.update(
            run=run,
            totals=None,
            page_obj=None,
            proposals=[],
            unmatched=[],
            unmatched_more=0,
            unused=[],
            unused_more=0,
            criteria=[],
            skipped=[],
            can_change=run.state == RunState.DONE and ctx["can_edit"],
            stuck=RunFailure(self.stuck).label if self.stuck else None,
            failure=RunFailure(run.failure).label if run.failure else None,
            can_retry=ctx["can_edit"] and (run.state == RunState.FAILED or bool(self.stuck)),
        )
        if run.is_reviewable:
            ctx.update(self.review(run))
        return ctx

    def review(self, run):
        names = criteria_names(run.problem)
        qs = (
            run.proposals.chosen()
            .select_related("mentor", "mentee", "pair")
            .order_by("-score", "mentee_id")
        )
        page = Paginator(qs, REVIEW_PAGE_SIZE).get_page(self.request.GET.get("page"))
        rows = [{"p": p, "parts": score_parts(p.breakdown, names)} for p in page.object_list]
        reasons = matching.unmatched_reasons(run)
        unmatched_keys = list(reasons)[:LIST_LIMIT]
        mentees = Mentee.objects.in_bulk([parse_key(k)[1] for k in unmatched_keys])
        unmatched = [
            {"mentee": mentees[parse_key(k)[1]], "reason": UNMATCHED_LABELS.get(reasons[k])}
            for k in unmatched_keys
            if parse_key(k)[1] in mentees
        ]
        free = matching.unused_mentors(run)
        unused_keys = list(free)[:LIST_LIMIT]
        mentors = Mentor.objects.in_bulk([parse_key(k)[1] for k in unused_keys])
        unused = [
            {"mentor": mentors[parse_key(k)[1]], "places": free[k]}
            for k in unused_keys
            if parse_key(k)[1] in mentors
        ]
        skipped = run.stats.get("skipped", {}) if run.state == RunState.PUBLISHED else {}
        return {
            "totals": matching.run_totals(run),
            "page_obj": page,
            "proposals": rows,
            "criteria": criteria_labels(names),
            "unmatched": unmatched,
            "unmatched_more": len(reasons) - len(unmatched_keys),
            "unused": unused,
            "unused_more": len(free) - len(unused_keys),
            "skipped": list(skipped.values()),
        }


class RetryRunView(RunScopeMixin, View):
    """Start a failed or stuck run again."""

    http_method_names = ["post"]

    def post(self, request, pk):
        run = self.get_run()
        try:
            matching.retry_run(run, acting_user=request.user)
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("The run is started again."))
        return redirect("staff:matching:run", run.pk)


class ExplainView(RunScopeMixin, TemplateView):
    """Every mentor of the run for one mentee, feasible or not and why; the top suggestions;
    buttons to choose a mentor or swap with another pair."""

    template_name = "staff/matching/explain.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        run = self.get_reviewable_run()
        mentee = self.run_mentee(run, self.kwargs["mentee"])
        names = criteria_names(run.problem)
        stored = matching.stored_explanation(run, mentee.pk)
        entries = stored or []
        chosen = list(run.proposals.chosen().select_related("mentee"))
        current = next((p for p in chosen if p.mentee_id == mentee.pk), None)
        by_mentor = {}
        for p in chosen:
            by_mentor.setdefault(p.mentor_id, []).append(p)
        capacity = matching.run_capacity(run)
        mentors = Mentor.objects.in_bulk(entry_mentor_pks(entries))
        rows = mentor_entries(entries, mentors, names)
        for row in rows:
            pk = row["mentor_obj"].pk
            holders = [p for p in by_mentor.get(pk, []) if p.mentee_id != mentee.pk]
            row["is_current"] = current is not None and current.mentor_id == pk
            row["has_place"] = len(holders) < capacity.get(row["mentor"], 0)
            row["holders"] = holders
        suggestions = mentor_entries(
            matching.suggestions_from(run, mentee.pk, entries), mentors, names
        )
        ctx.update(
            run=run,
            mentee=mentee,
            current=current,
            current_parts=score_parts(current.breakdown, names) if current else [],
            rows=rows,
            suggestions=suggestions,
            criteria=criteria_labels(names),
            can_change=run.state == RunState.DONE and ctx["can_edit"],
            stale=stored is None,
        )
        return ctx


class RunActionView(RunScopeMixin, View):
    """A POST that changes a run's selection; errors and costs go to the messages."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.run = self.get_reviewable_run()
        try:
            url = self.act(request)
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
            url = self.failure_url()
        return redirect(url)

    def failure_url(self):
        return reverse("staff:matching:run", args=[self.run.pk])

    def proposal(self, pk):
        return get_object_or_404(self.run.proposals.chosen(), pk=pk)


class RemoveView(RunActionView):
    def act(self, request):
        matching.remove_proposal(self.proposal(self.kwargs["proposal"]), acting_user=request.user)
        messages.success(request, _("The pair is removed from this run."))
        return reverse("staff:matching:run", args=[self.run.pk])


class ChooseView(RunActionView):
    def failure_url(self):
        return reverse("staff:matching:explain", args=[self.run.pk, self.kwargs["mentee"]])

    def act(self, request):
        mentee = self.run_mentee(self.run, self.kwargs["mentee"])
        form = PickForm(
            request.POST,
            queryset=Mentor.objects.for_organisation(self.organisation).filter(
                programme=self.run.programme
            ),
            field="mentor",
        )
        if not form.is_valid():
            raise ValidationError(_("Pick a mentor of this programme."))
        _proposal, cost = matching.choose_mentor(
            self.run, mentee=mentee, mentor=form.cleaned_data["mentor"], acting_user=request.user
        )
        messages.success(request, cost_message(cost))
        return self.failure_url()


class SwapView(RunActionView):
    def act(self, request):
        first = self.proposal(self.kwargs["proposal"])
        form = PickForm(request.POST, queryset=self.run.proposals.chosen(), field="other")
        if not form.is_valid():
            raise ValidationError(_("Pick another pair of this run."))
        _new, delta = matching.swap_mentors(
            first, form.cleaned_data["other"], acting_user=request.user
        )
        messages.success(
            request,
            _("The mentors are swapped. Change in total score: %(delta)s.")
            % {"delta": signed(delta)},
        )
        return reverse("staff:matching:explain", args=[self.run.pk, first.mentee_id])


class PublishView(RunScopeMixin, TemplateView):
    template_name = "staff/matching/publish.html"
    edit_required = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        run = self.get_run()
        if run.state != RunState.DONE:
            raise Http404
        ctx.update(run=run, totals=matching.run_totals(run), error=None)
        return ctx

    def post(self, request, pk):
        run = self.get_run()
        try:
            run = matching.publish_run(run, acting_user=request.user, site_url=_site_url(request))
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
            return redirect("staff:matching:run", run.pk)
        messages.success(
            request,
            _("Published: %(n)s pairs proposed to their mentors.")
            % {"n": run.stats.get("published", 0)},
        )
        return redirect("staff:matching:run", run.pk)


# --- one mentee, now (outside a run) -------------------------------------------------------


class MenteeMixin(PartnerRefusedMixin):
    def get_mentee(self):
        return get_object_or_404(
            Mentee.objects.for_organisation(self.organisation).select_related(
                "programme__organisation"
            ),
            pk=self.kwargs["pk"],
        )

    def mentor_form(self, mentee):
        """The mentor picked on the page, among this organisation's mentors of the programme."""
        mentors = Mentor.objects.for_organisation(self.organisation).filter(
            programme=mentee.programme
        )
        return PickForm(self.request.POST, queryset=mentors, field="mentor")


class MenteeSuggestionsView(MenteeMixin, TemplateView):
    """Explain and top suggestions for one mentee against the mentors free now, as stored by
    a task (``services.mentee_suggestions`` queues it when missing or stale)."""

    template_name = "staff/matching/mentee.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        mentee = self.get_mentee()
        stored, current = matching.mentee_suggestions(mentee)
        names = stored.criteria if stored else []
        entries = (stored.entries or []) if stored else []
        suggestions = stored.suggestions if stored else []
        mentors = Mentor.objects.in_bulk(entry_mentor_pks(entries + suggestions))
        live = mentee.pairs.live().select_related("mentor").first()
        ctx.update(
            mentee=mentee,
            rows=mentor_entries(entries, mentors, names),
            suggestions=mentor_entries(suggestions, mentors, names),
            criteria=criteria_labels(names),
            can_propose=bool(stored and stored.in_problem) and ctx["can_edit"],
            live_pair=live,
            stale=not current,
        )
        matching.record_suggestions_viewed(mentee, acting_user=self.request.user)
        return ctx


class ProposeSuggestionView(MenteeMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        mentee = self.get_mentee()
        form = self.mentor_form(mentee)
        try:
            if not form.is_valid():
                raise ValidationError(_("Pick a mentor of this programme."))
            pair = matching.propose_suggestion(
                mentee,
                mentor=form.cleaned_data["mentor"],
                acting_user=request.user,
                site_url=_site_url(request),
            )
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
            return redirect("staff:matching:mentee", mentee.pk)
        messages.success(request, _("The pair is proposed to the mentor."))
        return redirect("staff:pairs:detail", pair.pk)


class ExcludeView(MenteeMixin, View):
    """Record a conflict: this mentor and this mentee are never proposed together."""

    http_method_names = ["post"]

    def post(self, request, pk):
        mentee = self.get_mentee()
        form = self.mentor_form(mentee)
        if form.is_valid():
            matching.add_exclusion(
                form.cleaned_data["mentor"],
                mentee,
                acting_user=request.user,
                source=ExclusionSource.CONFLICT,
            )
            messages.success(request, _("This mentor will not be proposed to this mentee."))
        else:
            messages.error(request, _("Pick a mentor of this programme."))
        return redirect("staff:matching:mentee", mentee.pk)
