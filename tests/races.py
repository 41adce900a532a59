"""Run calls at the same instant in parallel threads (for the PostgreSQL race tests)."""

import threading

from django.core.exceptions import ValidationError
from django.db import connections


def race(*calls, errors_of=(ValidationError,)):
    """Release the calls together; return (results, errors) — errors of the given types."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except errors_of as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors
