# Staff pages for registrations (association inbox, federation routing and dashboard).
from django.urls import path

from binome.www.staff.registrations.views import routing as views

app_name = "registrations"
urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("<int:pk>/", views.RequestDetailView.as_view(), name="detail"),
    path("<int:pk>/accepter/", views.AcceptView.as_view(), name="accept"),
    path("<int:pk>/refuser/", views.DeclineView.as_view(), name="decline"),
    path("<int:pk>/premier-contact/", views.ContactedView.as_view(), name="contacted"),
    path("file/", views.QueueView.as_view(), name="queue"),
    path("routage/", views.RoutingListView.as_view(), name="routing"),
    path("routage/<int:pk>/", views.RoutingDetailView.as_view(), name="routing_detail"),
    path("routage/<int:pk>/orienter/", views.RouteView.as_view(), name="route"),
    path("routage/<int:pk>/clore/", views.CloseView.as_view(), name="close"),
    path(
        "routage/<int:pk>/identite/",
        views.SupportIdentityView.as_view(),
        name="support_identity",
    ),
    path("tableau/", views.SlaDashboardView.as_view(), name="dashboard"),
    path("offres/", views.OfferListView.as_view(), name="offers"),
    path("offres/nouvelle/", views.OfferFormView.as_view(), name="offer_create"),
    path("offres/<int:pk>/", views.OfferFormView.as_view(), name="offer_edit"),
]
