# The staff home: no namespace of its own (staff:home, staff:switch_org, staff:no_organisation).
from django.urls import path

from binome.www.staff.dashboard import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    path("organisation/", views.SwitchOrganisationView.as_view(), name="switch_org"),
    path("sans-organisation/", views.NoOrganisationView.as_view(), name="no_organisation"),
]
