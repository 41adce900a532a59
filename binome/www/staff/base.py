from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView, ListView

from binome.programmes.models import Programme
from binome.www.staff.permissions import StaffMixin

MAX_ID = 2**63 - 1


def parse_id(value):
    """A database id from a query or form parameter, or None for anything else.

    ASCII digits only: ``"²".isdigit()`` is True in Python but ``int("²")`` fails.
    """
    if isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value)
        if 0 < number <= MAX_ID:
            return number
    return None


def search_text(value, max_length=100):
    """Search text from a query parameter: no NUL bytes (PostgreSQL refuses them), trimmed."""
    return (value or "").replace("\x00", "").strip()[:max_length]


def error_messages(exc):
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


class FilteredListView(StaffMixin, ListView):
    """A paginated list scoped to the organisation, with search, state and programme filters."""

    paginate_by = settings.BINOME_PAGE_SIZE
    state_choices = ()

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        qs = self.base_queryset()
        self.filters = {
            "q": search_text(self.request.GET.get("q", "")),
            "state": self.request.GET.get("state", ""),
            "programme": self.request.GET.get("programme", ""),
        }
        if self.filters["q"]:
            qs = qs.search(self.filters["q"])
        if self.filters["state"] in dict(self.state_choices):
            qs = qs.filter(state=self.filters["state"])
        programme_id = parse_id(self.filters["programme"])
        if programme_id is not None:
            qs = qs.filter(programme_id=programme_id)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(
            filters=self.filters,
            state_choices=self.state_choices,
            programmes=Programme.objects.for_organisation(self.organisation),
            querystring=query.urlencode(),
        )
        return ctx


class ServiceFormView(StaffMixin, FormView):
    """A form whose valid data are handed to one service function.

    A ``ValidationError`` from the service (an invalid transition, a rule) is shown on the
    form, with what the person typed kept.
    """

    edit_required = True
    success_message = ""

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as exc:
            for message in error_messages(exc):
                form.add_error(None, message)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def perform(self, form):
        raise NotImplementedError
