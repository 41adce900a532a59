# Mentor and mentee space: their pairs (login by e-mailed link or password), the mentor's signed
# offer links (no login) and the public data-sources page.
from django.contrib.auth.decorators import login_required
from django.urls import include, path, reverse_lazy

from binome.www.portal import account, pairs, views

app_name = "portal"


def portal_only(view):
    """Logged-in pages of the portal: a visitor is sent to "send me a link"."""
    return login_required(view, login_url=reverse_lazy("portal:login"))


urlpatterns = [
    path("", portal_only(pairs.HomeView.as_view()), name="home"),
    path("binome/<int:pk>/", portal_only(pairs.PairView.as_view()), name="pair"),
    path("binome/<int:pk>/rencontres/", include("binome.www.portal.meetings.urls")),
    path("binome/<int:pk>/plan/", include("binome.www.portal.plan.urls")),
    path("connexion/", account.LinkRequestView.as_view(), name="login"),
    path("connexion/envoye/", account.LinkSentView.as_view(), name="link_sent"),
    path("connexion/lien/", account.LinkLoginView.as_view(), name="link"),
    path("connexion/mot-de-passe/", account.PasswordLoginView.as_view(), name="password_login"),
    path("mot-de-passe/", portal_only(account.PasswordView.as_view()), name="password"),
    path("proposition/<str:token>/", views.OfferView.as_view(), name="offer"),
    path("sources/", views.SourcesView.as_view(), name="sources"),
]
