from django.urls import path

from binome.www.staff.pairs import views as pairs

app_name = "pairs"
urlpatterns = [
    path("", pairs.PairListView.as_view(), name="list"),
    path("nouveau/", pairs.PairCreateView.as_view(), name="create"),
    path("<int:pk>/", pairs.PairDetailView.as_view(), name="detail"),
    path("<int:pk>/<slug:action>/", pairs.PairActionView.as_view(), name="action"),
]
