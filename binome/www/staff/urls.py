from django.urls import include, path

from binome.www.staff.views import dashboard, pairs, people, programmes, sessions

app_name = "staff"


def person_urls(side):
    return (
        [
            path("", people.PersonListView.as_view(side_key=side), name="list"),
            path("nouveau/", people.PersonFormView.as_view(side_key=side), name="create"),
            path("<int:pk>/", people.PersonDetailView.as_view(side_key=side), name="detail"),
            path("<int:pk>/modifier/", people.PersonFormView.as_view(side_key=side), name="edit"),
            path(
                "<int:pk>/etape/",
                people.PersonTransitionView.as_view(side_key=side),
                name="transition",
            ),
            path(
                "<int:pk>/entretien/", people.InterviewView.as_view(side_key=side), name="interview"
            ),
        ],
        f"{side}s",
    )


pair_urls = (
    [
        path("", pairs.PairListView.as_view(), name="list"),
        path("nouveau/", pairs.PairCreateView.as_view(), name="create"),
        path("<int:pk>/", pairs.PairDetailView.as_view(), name="detail"),
        path("<int:pk>/<slug:action>/", pairs.PairActionView.as_view(), name="action"),
    ],
    "pairs",
)
session_urls = (
    [
        path("", sessions.SessionListView.as_view(), name="list"),
        path("nouvelle/", sessions.SessionCreateView.as_view(), name="create"),
        path("<int:pk>/", sessions.SessionDetailView.as_view(), name="detail"),
    ],
    "sessions",
)
programme_urls = (
    [
        path("", programmes.ProgrammeListView.as_view(), name="list"),
        path("nouveau/", programmes.ProgrammeFormView.as_view(), name="create"),
        path("<int:pk>/", programmes.ProgrammeFormView.as_view(), name="edit"),
    ],
    "programmes",
)

urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="home"),
    path("organisation/", dashboard.SwitchOrganisationView.as_view(), name="switch_org"),
    path("sans-organisation/", dashboard.NoOrganisationView.as_view(), name="no_organisation"),
    path("mentors/", include(person_urls("mentor"))),
    path("mentores/", include(person_urls("mentee"))),
    path("binomes/", include(pair_urls)),
    path("sessions/", include(session_urls)),
    path("programmes/", include(programme_urls)),
    path("appariement/", include("binome.www.staff.matching_urls")),
    path("demandes/", include("binome.www.staff.registrations_urls")),
]
