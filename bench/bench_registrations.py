"""Registrations through the real HTTP stack, then the 160,000 × 74 batch routing.

    python bench/bench_registrations.py [--seconds 20] [--clients 12] [--workers 2] [--threads 4]

1. Creates a throw-away PostgreSQL database on 127.0.0.1:5432 (user postgres, trust auth)
   and migrates it; one federation with one member association and an open offer.
2. Starts gunicorn (gthread workers) on 127.0.0.1 with the production settings
   (bench/bench_settings.py: plain HTTP, per-IP limit lifted).
3. A closed-loop load generator on loopback (threads, raw http.client, a new connection per
   registration — see Client.reuse_connections): each
   client fetches the form once (CSRF cookie + token), posts step 1 once (signed state), then
   posts the last step again and again with a new e-mail each time.
4. Prints registrations/s, p50/p95 latency, 2xx answers and the records stored (must be
   equal), stops gunicorn, drops the database, then runs ``bench/route_batch_benchmark.py``
   in memory and in a second throw-away database (``--in-database``: the whole batch command).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def bench_env(db):
    """The environment of a command run on the throw-away database ``db``."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
    }


def psql(sql, dbname="postgres"):
    import psycopg

    with psycopg.connect(dbname=dbname, autocommit=True, **PG) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if sql.lstrip().upper().startswith("SELECT") else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SETUP = """
from binome.organisations.models import Organisation
from binome.programmes.models import Programme
from binome.registrations.models import Offer
fed = Organisation.objects.create(name="Fédération", slug="fede", kind="federation")
asso = Organisation.objects.create(name="Asso Nord", slug="nord", federation=fed,
                                   email="contact@nord.example.org")
programme = Programme.objects.create(organisation=asso, name="Cap Emploi", public="Jeunes")
Offer.objects.create(programme=programme, side="mentee", departments=["59"], capacity=100000)
"""

TOKEN_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
STATE_RE = re.compile(rb'name="state" value="([^"]*)"')


class Client:
    # Each registration is a different person's browser: by default a new connection each
    # time. Reusing 12 keep-alive connections pins them to whichever gunicorn worker accepted
    # them first (seen: one worker at 96 % CPU, the others idle), which measures one core.
    reuse_connections = False

    def __init__(self, port, number):
        self.port, self.number = port, number
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies = {}

    def request(self, method, path, body=None):
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urllib.parse.urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def prepare(self):
        status, page = self.request("GET", "/inscription/jeune/")
        assert status == 200, status
        self.token = TOKEN_RE.search(page).group(1).decode()
        status, page = self.request(
            "POST",
            "/inscription/jeune/",
            {
                "csrfmiddlewaretoken": self.token,
                "step": "0",
                "birth_year": "2005",
                "place": "59000",
                "situation": "job_seeker",
                "kinds": ["professional_insertion"],
            },
        )
        assert status == 200, status
        self.state = STATE_RE.search(page).group(1).decode()

    def register(self, serial):
        if not self.reuse_connections:
            self.conn.close()  # http.client opens a new connection for the next request
        return self.request(
            "POST",
            "/inscription/jeune/",
            {
                "csrfmiddlewaretoken": self.token,
                "step": "1",
                "state": self.state,
                "first_name": "Camille",
                "last_name": "Bench",
                "email": f"bench-{self.number}-{serial}@example.net",
                "need": "Trouver un emploi",
                "consent": "on",
            },
        )


def load(port, clients, seconds, warmup):
    results = []  # (t_end, latency, status)
    lock = threading.Lock()
    start_at = time.perf_counter() + 1.0
    stop_at = start_at + warmup + seconds

    def run(number):
        client = Client(port, number)
        client.prepare()
        serial = 0
        while time.perf_counter() < start_at:
            time.sleep(0.01)
        local = []
        while True:
            t0 = time.perf_counter()
            if t0 >= stop_at:
                break
            status, _ = client.register(serial)
            t1 = time.perf_counter()
            local.append((t1, t1 - t0, status))
            serial += 1
        with lock:
            results.extend(local)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    measured = [r for r in results if start_at + warmup <= r[0] < stop_at]
    return results, measured


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)  # one per core
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument(
        "--reuse-connections",
        action="store_true",
        help="keep-alive connections from a few clients (pins them to one worker)",
    )
    args = parser.parse_args()
    Client.reuse_connections = args.reuse_connections

    db = f"binome_bench_{os.getpid()}"
    env = bench_env(db)
    psql(f"CREATE DATABASE {db}")
    server = None
    try:
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        subprocess.run([PYTHON, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True)
        port = free_port()
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(args.threads),
                "--keep-alive",
                "30",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        everything, measured = load(port, args.clients, args.seconds, args.warmup)
        ok_all = sum(1 for r in everything if 200 <= r[2] < 300)
        stored = psql("SELECT count(*) FROM registrations_registration", dbname=db)[0][0]
        latencies = sorted(r[1] * 1000 for r in measured)
        ok = sum(1 for r in measured if 200 <= r[2] < 300)
        errors = len(measured) - ok
        p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
        print(
            f"HTTP registrations (gunicorn {args.workers}×{args.threads} gthread, PostgreSQL, "
            f"{args.clients} clients on loopback, {args.seconds:.0f} s measured):"
        )
        print(f"  sustained: {ok / args.seconds:.1f} registrations/s")
        print(
            f"  latency: p50 {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms"
            if latencies
            else "  latency: no answer"
        )
        print(f"  non-2xx answers: {errors}")
        print(f"  2xx answers (whole run): {ok_all}; records stored: {stored}")
        print(f"  nothing lost: {'yes' if ok_all == stored else 'NO'}")
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    if not args.skip_batch:
        batch_benchmark()


def batch_benchmark():
    """The 160,000 × 74 batch: the solver in memory, then the whole command in a throw-away
    PostgreSQL database (read, solve, write, commit)."""
    print("Batch routing, solver only (in memory):", flush=True)
    subprocess.run(
        [PYTHON, "bench/route_batch_benchmark.py"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        check=True,
    )
    db = f"binome_batch_{os.getpid()}"
    env = bench_env(db)
    psql(f"CREATE DATABASE {db}")
    try:
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        print("Batch routing, the whole command in PostgreSQL:", flush=True)
        subprocess.run(
            [PYTHON, "bench/route_batch_benchmark.py", "--in-database", "--keep"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    finally:
        psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


if __name__ == "__main__":
    main()
