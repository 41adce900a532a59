# Staff pages: one package per feature, each with its urls (same namespaces and names).
from django.urls import include, path

from binome.www.staff.people.urls import person_urls

app_name = "staff"
urlpatterns = [
    path("", include("binome.www.staff.dashboard.urls")),
    path("mentors/", include(person_urls("mentor"))),
    path("mentores/", include(person_urls("mentee"))),
    path("binomes/", include("binome.www.staff.pairs.urls")),
    path("sessions/", include("binome.www.staff.sessions.urls")),
    path("programmes/", include("binome.www.staff.programmes.urls")),
    path("appariement/", include("binome.www.staff.matching.urls")),
    path("demandes/", include("binome.www.staff.registrations.urls")),
]
