"""Logging in to the portal: a link by e-mail (django-sesame), or a password."""

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from binome.portal import services as portal
from binome.www.portal.forms import LinkRequestForm
from binome.www.staff.forms import LoginForm

# Set when the session was opened by a link: the person proved they read the mailbox, so they
# may choose a password without typing an old one (the link is also how a password is reset).
VIA_LINK = "portal_via_link"


def _private(response):
    response["Referrer-Policy"] = "same-origin"  # no-referrer would send Origin: null (CSRF)
    response["Cache-Control"] = "no-store"
    return response


@method_decorator(login_not_required, name="dispatch")
class LinkRequestView(FormView):
    """ "Send me a link": the same answer whether the address is on file or not."""

    template_name = "portal/login_request.html"
    form_class = LinkRequestForm

    def form_valid(self, form):
        portal.request_login_link(
            form.cleaned_data["email"],
            site_url=self.request.build_absolute_uri("/"),
            language=get_language(),
        )
        return redirect("portal:link_sent")


@method_decorator(login_not_required, name="dispatch")
class LinkSentView(TemplateView):
    template_name = "portal/login_sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(minutes=portal.link_minutes(), **kwargs)


@method_decorator(login_not_required, name="dispatch")
class LinkLoginView(TemplateView):
    """The link from the e-mail. Opening it (GET) only asks to confirm, so a mail scanner that
    follows links does not spend it; the button (POST) spends it and opens the session."""

    template_name = "portal/login_link.html"

    def get(self, request, *args, **kwargs):
        token = request.GET.get("sesame", "")
        valid = portal.user_from_link(token) is not None
        response = self.render_to_response(
            self.get_context_data(token=token, valid=valid), status=200 if valid else 410
        )
        return _private(response)

    def post(self, request, *args, **kwargs):
        user = portal.user_from_link(request.POST.get("sesame", ""), use=True)
        if user is None:
            response = self.render_to_response(
                self.get_context_data(token="", valid=False), status=410
            )
            return _private(response)
        login(request, user)  # user.backend: sesame's, set when the token was checked
        request.session[VIA_LINK] = True
        return _private(redirect("portal:home"))


@method_decorator(login_not_required, name="dispatch")
class PasswordLoginView(LoginView):
    template_name = "auth/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("portal:home")


class PasswordView(FormView):
    """Choose a password (after a link: no old one asked) or change it."""

    template_name = "portal/password.html"

    def get_form_class(self):
        user = self.request.user
        if self.request.session.get(VIA_LINK) or not user.has_usable_password():
            return SetPasswordForm
        return PasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        user = form.save()
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password is saved."))
        return redirect(reverse("portal:home"))
