from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "binome.registrations"
    label = "registrations"
