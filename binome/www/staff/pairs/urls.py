from django.urls import path

from binome.www.staff.pairs import meetings, plan, problems
from binome.www.staff.pairs import views as pairs

app_name = "pairs"
urlpatterns = [
    path("", pairs.PairListView.as_view(), name="list"),
    path("nouveau/", pairs.PairCreateView.as_view(), name="create"),
    path("<int:pk>/", pairs.PairDetailView.as_view(), name="detail"),
    path("<int:pk>/rencontres/", meetings.PlanMeetingView.as_view(), name="meetings"),
    path(
        "<int:pk>/rencontres/<int:meeting>/modifier/",
        meetings.ChangeMeetingView.as_view(),
        name="meeting_change",
    ),
    path(
        "<int:pk>/rencontres/<int:meeting>/compte-rendu/",
        meetings.LogMeetingView.as_view(),
        name="meeting_log",
    ),
    path(
        "<int:pk>/rencontres/<int:meeting>/confirmer/",
        meetings.ConfirmMeetingView.as_view(),
        name="meeting_confirm",
    ),
    path(
        "<int:pk>/rencontres/<int:meeting>/annuler/",
        meetings.CancelMeetingView.as_view(),
        name="meeting_cancel",
    ),
    path(
        "<int:pk>/rencontres/<int:meeting>/ics/",
        meetings.MeetingIcsView.as_view(),
        name="meeting_ics",
    ),
    path("<int:pk>/calendrier/<slug:side>/", meetings.FeedView.as_view(), name="feed"),
    path("<int:pk>/plan/entretien/", plan.IntakeView.as_view(), name="plan_intake"),
    path("<int:pk>/plan/objectif/", plan.GoalView.as_view(), name="plan_goal"),
    path("<int:pk>/plan/objectif/<int:goal>/", plan.GoalView.as_view(), name="plan_goal_edit"),
    path(
        "<int:pk>/plan/objectif/<int:goal>/action/",
        plan.ActionView.as_view(),
        name="plan_action",
    ),
    path("<int:pk>/plan/action/<int:action>/", plan.ActionView.as_view(), name="plan_action_edit"),
    path(
        "<int:pk>/probleme/<int:report>/traite/",
        problems.HandledView.as_view(),
        name="problem_handled",
    ),
    path("<int:pk>/<slug:action>/", pairs.PairActionView.as_view(), name="action"),
]
