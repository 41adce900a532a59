from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView

from binome.programmes import services
from binome.programmes.models import Programme
from binome.www.staff.base import ServiceFormView
from binome.www.staff.permissions import StaffMixin
from binome.www.staff.programmes.forms import CriterionFormSet, ProgrammeForm


class ProgrammeListView(StaffMixin, ListView):
    template_name = "staff/programmes/list.html"

    def get_queryset(self):
        return Programme.objects.for_organisation(self.organisation)


class ProgrammeFormView(ServiceFormView):
    template_name = "staff/programmes/form.html"
    form_class = ProgrammeForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.programme = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisation"] = self.organisation
        if "pk" in self.kwargs:
            self.programme = get_object_or_404(
                Programme.objects.for_organisation(self.organisation), pk=self.kwargs["pk"]
            )
            kwargs["instance"] = self.programme
        return kwargs

    def get_formset(self):
        data = self.request.POST if self.request.method == "POST" else None
        return CriterionFormSet(data, instance=self.programme or Programme(), prefix="criteria")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("formset", self.get_formset())
        ctx["programme"] = self.programme
        return ctx

    def form_valid(self, form):
        formset = CriterionFormSet(self.request.POST, instance=form.instance, prefix="criteria")
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        return super().form_valid(form)

    def form_invalid(self, form):
        formset = CriterionFormSet(self.request.POST, instance=form.instance, prefix="criteria")
        formset.is_valid()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def perform(self, form):
        formset = CriterionFormSet(self.request.POST, instance=form.instance, prefix="criteria")
        formset.is_valid()
        self.programme = services.save_programme(form, formset, acting_user=self.request.user)
        self.success_message = _("The programme is saved.")

    def get_success_url(self):
        return reverse("staff:programmes:list")
