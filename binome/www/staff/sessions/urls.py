from django.urls import path

from binome.www.staff.sessions import views as sessions

app_name = "sessions"
urlpatterns = [
    path("", sessions.SessionListView.as_view(), name="list"),
    path("nouvelle/", sessions.SessionCreateView.as_view(), name="create"),
    path("<int:pk>/", sessions.SessionDetailView.as_view(), name="detail"),
]
