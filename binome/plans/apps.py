from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "binome.plans"
    label = "plans"
