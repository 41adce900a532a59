# Public area (registration forms, status pages): owned by the registrations work.
from django.urls import path

from binome.www.public import views

app_name = "public"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("inscription/<slug:slug>/", views.register, name="register"),
    path("suivi/<str:token>/", views.status, name="status"),
    path("suivi/<str:token>/modifier/", views.correct, name="correct"),
    path("suivi/<str:token>/retirer/", views.withdraw, name="withdraw"),
    path("suivi/<str:token>/nouvelles-reponses/", views.repeat, name="repeat"),
]
