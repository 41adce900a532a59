import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-from-the-environment-0123456789",
        "DJANGO_ALLOWED_HOSTS": "binome.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    env.pop("DJANGO_DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_SECRET_KEY": "",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def _production_env(tmp_path, **extra):
    """The README's production environment, without DJANGO_SETTINGS_MODULE."""
    env = dict(os.environ)
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    env.update(
        DJANGO_SECRET_KEY="x" * 20 + "production-secret-from-the-environment-0123456789",
        DJANGO_ALLOWED_HOSTS="binome.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        BINOME_SITE_URL="https://binome.example.org",
    )
    env.update(extra)
    return env


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


SHOW_SETTINGS = (
    "from django.conf import settings as s; "
    "print(s.SETTINGS_MODULE, s.DEBUG, s.EMAIL_BACKEND, s.BINOME_SITE_URL, s.ALLOWED_HOSTS)"
)


def test_manage_py_uses_the_production_settings_by_default(tmp_path):
    """The README's production commands run as written: no DEBUG, SMTP, the real site URL."""
    env = _production_env(tmp_path)
    result = _manage(env, "shell", "--no-imports", "-c", SHOW_SETTINGS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:4] == [
        "config.settings.base",
        "False",
        "django.core.mail.backends.smtp.EmailBackend",
        "https://binome.example.org",
    ]
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_secret_the_message_says_how_to_develop(tmp_path):
    env = _production_env(tmp_path, DJANGO_SECRET_KEY="")
    result = _manage(env, "check")
    assert result.returncode != 0
    assert "config.settings.dev" in result.stderr


@pytest.mark.parametrize(
    "command",
    [["db_worker", "--batch"], ["send_queued_emails"], ["matching_reminders"]],
)
def test_worker_and_mail_commands_refuse_console_email_in_production(tmp_path, command):
    env = _production_env(
        tmp_path, DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"
    )
    result = _manage(env, *command)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "E-mails would go to the console" in result.stderr
    result = _manage(env, "check", "--deploy")
    assert result.returncode != 0
    assert "binome.E001" in result.stderr


def test_development_links_use_the_address_served(tmp_path):
    env = _production_env(tmp_path, DJANGO_SETTINGS_MODULE="config.settings.dev")
    env.pop("DJANGO_SECRET_KEY")
    env["BINOME_SITE_URL"] = "http://192.168.1.20:8101"
    result = _manage(env, "shell", "--no-imports", "-c", SHOW_SETTINGS)
    assert result.returncode == 0, result.stderr
    assert "True django.core.mail.backends.console.EmailBackend http://192.168.1.20:8101" in (
        result.stdout
    )
    assert "'192.168.1.20'" in result.stdout  # the host served is allowed
    env.pop("BINOME_SITE_URL")
    result = _manage(env, "shell", "--no-imports", "-c", SHOW_SETTINGS)
    assert "http://127.0.0.1:8000" in result.stdout


@pytest.mark.skipif(not shutil.which("make"), reason="GNU make not installed")
def test_make_run_passes_the_development_settings_and_its_address():
    result = subprocess.run(
        ["make", "-pn", "run", "HOST=127.0.0.1", "PORT=8101"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "run: DJANGO_SETTINGS_MODULE := config.settings.dev" in result.stdout
    assert "run: BINOME_SITE_URL := http://127.0.0.1:8101" in result.stdout
