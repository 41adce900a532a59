# Portal pages of a pair's plan (names in the portal namespace).
from django.contrib.auth.decorators import login_required
from django.urls import path, reverse_lazy

from binome.www.portal.plan import views


def portal_only(view):
    return login_required(view, login_url=reverse_lazy("portal:login"))


urlpatterns = [
    path("", portal_only(views.PlanView.as_view()), name="plan"),
    path("objectif/", portal_only(views.GoalView.as_view()), name="plan_goal"),
    path("objectif/<int:goal>/", portal_only(views.GoalView.as_view()), name="plan_goal_edit"),
    path(
        "objectif/<int:goal>/action/",
        portal_only(views.ActionView.as_view()),
        name="plan_action",
    ),
    path("action/<int:action>/", portal_only(views.ActionView.as_view()), name="plan_action_edit"),
    path(
        "action/<int:action>/statut/",
        portal_only(views.ActionStateView.as_view()),
        name="plan_action_state",
    ),
]
