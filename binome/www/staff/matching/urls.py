# Staff matching pages (runs, review, explain, publish).
from django.urls import path

from binome.www.staff.matching import views as matching

app_name = "matching"
urlpatterns = [
    path("", matching.MatchingHomeView.as_view(), name="home"),
    path("programme/<int:pk>/reglages/", matching.SettingsView.as_view(), name="settings"),
    path("programme/<int:pk>/lancer/", matching.StartRunView.as_view(), name="start"),
    path("calcul/<int:pk>/", matching.RunView.as_view(), name="run"),
    path("calcul/<int:pk>/publier/", matching.PublishView.as_view(), name="publish"),
    path("calcul/<int:pk>/relancer/", matching.RetryRunView.as_view(), name="retry"),
    path("calcul/<int:pk>/mentore/<int:mentee>/", matching.ExplainView.as_view(), name="explain"),
    path(
        "calcul/<int:pk>/mentore/<int:mentee>/choisir/",
        matching.ChooseView.as_view(),
        name="choose",
    ),
    path(
        "calcul/<int:pk>/binome/<int:proposal>/retirer/",
        matching.RemoveView.as_view(),
        name="remove",
    ),
    path(
        "calcul/<int:pk>/binome/<int:proposal>/echanger/",
        matching.SwapView.as_view(),
        name="swap",
    ),
    path("mentore/<int:pk>/", matching.MenteeSuggestionsView.as_view(), name="mentee"),
    path(
        "mentore/<int:pk>/proposer/",
        matching.ProposeSuggestionView.as_view(),
        name="propose",
    ),
    path("mentore/<int:pk>/exclure/", matching.ExcludeView.as_view(), name="exclude"),
]
