from django.apps import AppConfig


class PairsConfig(AppConfig):
    name = "binome.pairs"
    label = "pairs"
