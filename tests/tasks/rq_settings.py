"""Settings of the RQ worker processes started by tests/tasks: the test settings, with the RQ
tasks backend on the Redis database the test chose (BINOME_REDIS_URL) and its test database
(DATABASE_URL)."""

import os

os.environ["BINOME_TASKS_BACKEND"] = "django_tasks_rq.RQBackend"  # base adds django_rq

from config.settings.test import *  # noqa: E402,F403

TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
