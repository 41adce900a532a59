# Private calendar feeds (ICS), by token: no login (calendar apps cannot log in).
from django.urls import path

from binome.www.calendar import views

app_name = "calendar"
urlpatterns = [
    path("<str:token>.ics", views.feed, name="feed"),
    path("<str:token>/<uuid:uid>.ics", views.meeting, name="meeting"),
]
