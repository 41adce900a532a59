# Portal pages of a pair's meetings (names in the portal namespace; ``pk`` is the pair's).
from django.contrib.auth.decorators import login_required
from django.urls import path, reverse_lazy

from binome.www.portal.meetings import views


def _portal(view):
    return login_required(view.as_view(), login_url=reverse_lazy("portal:login"))


urlpatterns = [
    path("", _portal(views.MeetingsView), name="meetings"),
    path("planifier/", _portal(views.PlanView), name="meeting_plan"),
    path("<int:meeting>/modifier/", _portal(views.ChangeView), name="meeting_change"),
    path("<int:meeting>/annuler/", _portal(views.CancelView), name="meeting_cancel"),
    path("<int:meeting>/compte-rendu/", _portal(views.LogView), name="meeting_log"),
    path("<int:meeting>/confirmer/", _portal(views.ConfirmView), name="meeting_confirm"),
    path("<int:meeting>/ics/", _portal(views.IcsView), name="meeting_ics"),
    path("agenda/", _portal(views.FeedView), name="meeting_feed"),
    path("probleme/", _portal(views.ProblemView), name="meeting_problem"),
]
