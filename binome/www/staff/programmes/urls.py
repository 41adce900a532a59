from django.urls import path

from binome.www.staff.programmes import views as programmes

app_name = "programmes"
urlpatterns = [
    path("", programmes.ProgrammeListView.as_view(), name="list"),
    path("nouveau/", programmes.ProgrammeFormView.as_view(), name="create"),
    path("<int:pk>/", programmes.ProgrammeFormView.as_view(), name="edit"),
]
