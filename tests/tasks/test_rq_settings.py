import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_the_rq_backend(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-from-the-environment-0123456789",
        "DJANGO_ALLOWED_HOSTS": "binome.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "BINOME_TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "BINOME_REDIS_URL": "redis://127.0.0.1:6379/15",
    }
    env.pop("DJANGO_DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from django.core.management import call_command; "
        "assert 'django_rq' in settings.INSTALLED_APPS; "
        "assert settings.RQ_QUEUES['default']['URL'].endswith('/15'); "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr
