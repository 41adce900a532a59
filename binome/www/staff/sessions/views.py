"""Collective sessions of the pipeline (information, presentation, training) and attendance."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from binome.people import services
from binome.people.enums import MenteeState, MentorState, SessionKind
from binome.people.models import Mentee, Mentor, Session
from binome.www.staff.base import FilteredListView, ServiceFormView
from binome.www.staff.sessions.forms import AttendanceForm, SessionForm

# Who may be invited to each kind of session.
INVITED_STATES = {
    SessionKind.INFORMATION: [MentorState.APPLIED, MentorState.INFORMED],
    SessionKind.PRESENTATION: [MenteeState.APPLIED, MenteeState.PRESENTED],
    SessionKind.TRAINING: [MentorState.INTERVIEWED, MentorState.TRAINED, MentorState.READY],
}


class SessionListView(FilteredListView):
    template_name = "staff/sessions/list.html"
    partner_allowed = False  # attendance sheets name every candidate
    state_choices = ()

    def base_queryset(self):
        return Session.objects.for_organisation(self.organisation).select_related("programme")

    def get_queryset(self):
        qs = super().get_queryset()
        kind = self.request.GET.get("kind", "")
        if kind in SessionKind.values:
            qs = qs.filter(kind=kind)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["kinds"] = SessionKind.choices
        ctx["current_kind"] = self.request.GET.get("kind", "")
        return ctx


class SessionCreateView(ServiceFormView):
    template_name = "staff/sessions/form.html"
    form_class = SessionForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisation"] = self.organisation
        return kwargs

    def perform(self, form):
        self.session = form.save()
        self.success_message = _("The session is saved.")

    def get_success_url(self):
        return reverse("staff:sessions:detail", args=[self.session.pk])


class SessionDetailView(ServiceFormView):
    """The session and its attendance sheet: ticking people moves them one step on."""

    template_name = "staff/sessions/detail.html"
    partner_allowed = False
    form_class = AttendanceForm
    edit_required = False

    def get_session(self):
        return get_object_or_404(
            Session.objects.for_organisation(self.organisation).select_related("programme"),
            pk=self.kwargs["pk"],
        )

    def invited(self):
        model = Mentor if self.session.is_for_mentors else Mentee
        return model.objects.filter(
            programme=self.session.programme, state__in=INVITED_STATES[self.session.kind]
        ).select_related("programme")

    def get_form_kwargs(self):
        self.session = self.get_session()
        kwargs = super().get_form_kwargs()
        kwargs["queryset"] = self.invited()
        return kwargs

    def perform(self, form):
        people = list(form.cleaned_data["people"])
        key = "mentors" if self.session.is_for_mentors else "mentees"
        services.record_attendance(self.session, acting_user=self.request.user, **{key: people})
        self.success_message = _("Attendance saved for %(count)s people.") % {"count": len(people)}

    def get_success_url(self):
        return reverse("staff:sessions:detail", args=[self.session.pk])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["session"] = self.session
        ctx["attendances"] = self.session.attendances.select_related("mentor", "mentee")
        return ctx
