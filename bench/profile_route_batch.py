"""Profile ``route_pending_batch`` on data kept in a throw-away database, rolled back each time.

    python bench/profile_route_batch.py --setup        # once: the synthetic data (kept)
    python bench/profile_route_batch.py [--profile]    # route, check the deferred foreign
                                                       # keys (the commit's work), roll back

The same synthetic data as ``route_batch_benchmark.py --in-database``; each run ends with
``SET CONSTRAINTS ALL IMMEDIATE`` (the foreign-key checks a commit would run, timed as
"commit") then rolls back, and vacuums, so runs can be repeated on the same rows.
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import route_batch_benchmark as bench  # noqa: E402  (sets Django up)
from django.db import connection, transaction  # noqa: E402

from binome.geo import places  # noqa: E402
from binome.registrations import services  # noqa: E402


class Rollback(Exception):
    pass


def main():
    if "--setup" in sys.argv:
        places.load()
        requests, offers = bench.synthetic(160_000, 74, 4)
        bench.create_synthetic(requests, offers)
        return
    profiler = cProfile.Profile() if "--profile" in sys.argv else None
    start = time.perf_counter()
    try:
        with transaction.atomic():
            if profiler:
                profiler.enable()
            report = services.route_pending_batch()
            commit = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            report.write_parts["commit"] = time.perf_counter() - commit
            report.write_seconds += report.write_parts["commit"]
            if profiler:
                profiler.disable()
            raise Rollback
    except Rollback:
        pass
    print(bench.format_report(report), f"(wall {time.perf_counter() - start:.2f} s)")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    main()
