from django.urls import path

from binome.www.staff.people import views as people


def person_urls(side):
    """One set of URLs per side, namespaced ``mentors`` or ``mentees``."""
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
