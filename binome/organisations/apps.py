from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "binome.organisations"
    label = "organisations"
