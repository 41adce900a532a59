# Staff pages for registrations (association inbox, federation routing and dashboard).
from django.urls import path

from binome.www.staff.registrations.views import inbox, offers, routing

app_name = "registrations"
urlpatterns = [
    path("", inbox.InboxView.as_view(), name="inbox"),
    path("<int:pk>/", inbox.RequestDetailView.as_view(), name="detail"),
    path("<int:pk>/accepter/", inbox.AcceptView.as_view(), name="accept"),
    path("<int:pk>/refuser/", inbox.DeclineView.as_view(), name="decline"),
    path("<int:pk>/premier-contact/", inbox.ContactedView.as_view(), name="contacted"),
    path("file/", routing.QueueView.as_view(), name="queue"),
    path("routage/", routing.RoutingListView.as_view(), name="routing"),
    path("routage/<int:pk>/", routing.RoutingDetailView.as_view(), name="routing_detail"),
    path("routage/<int:pk>/orienter/", routing.RouteView.as_view(), name="route"),
    path("routage/<int:pk>/clore/", routing.CloseView.as_view(), name="close"),
    path(
        "routage/<int:pk>/identite/",
        routing.SupportIdentityView.as_view(),
        name="support_identity",
    ),
    path("tableau/", routing.SlaDashboardView.as_view(), name="dashboard"),
    path("offres/", offers.OfferListView.as_view(), name="offers"),
    path("offres/nouvelle/", offers.OfferFormView.as_view(), name="offer_create"),
    path("offres/<int:pk>/", offers.OfferFormView.as_view(), name="offer_edit"),
]
