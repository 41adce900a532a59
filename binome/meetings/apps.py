from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "binome.meetings"
    label = "meetings"

    def ready(self):
        from binome.meetings import signals  # noqa: F401 - connects the receivers
