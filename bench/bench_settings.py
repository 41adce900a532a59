"""Settings of the registration benchmark: production settings, on a throw-away PostgreSQL
database, served over plain HTTP on loopback, with the per-IP limit lifted (every request of
the load generator comes from 127.0.0.1; the per-e-mail limit stays on)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")

from config.settings.base import *  # noqa: E402,F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
BINOME_REGISTRATION_MAX_PER_IP_PER_HOUR = 0
