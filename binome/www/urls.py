from django.contrib.auth import views as auth_views
from django.urls import include, path

from binome.www.staff.forms import LoginForm
from binome.www.views import favicon, place_search

urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            template_name="auth/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("lieux/", place_search, name="place_search"),
    path("favicon.ico", favicon, name="favicon"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("equipe/", include("binome.www.staff.urls", namespace="staff")),
    path("calendrier/", include("binome.www.calendar.urls", namespace="calendar")),
    path("m/", include("binome.www.portal.urls")),
    path("", include("binome.www.public.urls")),
]
