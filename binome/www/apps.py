from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "binome.www"
    label = "www"
