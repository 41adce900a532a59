"""Local development: embedded SQLite, console e-mail, database task worker.

Chosen explicitly (`make run` does; or DJANGO_SETTINGS_MODULE=config.settings.dev):
manage.py and wsgi default to the production settings.
"""

import os
from urllib.parse import urlsplit

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")

from config.settings.base import *  # noqa: E402,F403

# Links in e-mails point where the app is served (`make run HOST=… PORT=…` passes it).
BINOME_SITE_URL = os.environ.get("BINOME_SITE_URL") or "http://127.0.0.1:8000"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
_site_host = urlsplit(BINOME_SITE_URL).hostname
if _site_host and _site_host not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_site_host)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
