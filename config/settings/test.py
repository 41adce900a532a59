"""Test settings: the same apps, fast hashing, e-mails into Django's outbox."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-key")

from config.settings.base import *  # noqa: E402,F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
BINOME_SITE_URL = "http://testserver"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Tasks run when enqueued (after commit), so tests see their effects; the database worker
# itself is exercised by tests/notifications.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LANGUAGE_CODE = "fr"
LOGGING = {"version": 1, "disable_existing_loggers": False}


class _FailOnUndefinedVariable(str):
    """Any undefined variable in a template fails the test (strict harness)."""

    def __contains__(self, item):
        return item == "%s"

    def __mod__(self, name):
        raise AssertionError(f"Undefined template variable: {name!r}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = _FailOnUndefinedVariable("%s")  # noqa: F405

# Static files straight from the app folders (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
