from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "binome.notifications"
    label = "notifications"

    def ready(self):
        from binome.notifications import transport  # noqa: F401 - registers the deploy check
