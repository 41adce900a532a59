from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "binome.users"
    label = "users"
