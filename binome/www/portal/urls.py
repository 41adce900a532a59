# Mentor and mentee space (signed links, no login) and the public data-sources page.
from django.urls import path

from binome.www.portal import views

app_name = "portal"
urlpatterns = [
    path("proposition/<str:token>/", views.OfferView.as_view(), name="offer"),
    path("sources/", views.SourcesView.as_view(), name="sources"),
]
