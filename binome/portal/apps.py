from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The mentors' and mentees' own space: accounts, magic links, their pairs, their answers."""

    name = "binome.portal"
    label = "portal"
