"""Benchmark of the matching engine on seeded synthetic French populations.

    python bench/bench_matching.py [--quick]

Scenarios (spec): 2,000 × 1,200 and 20,000 × 12,000 on all feasible pairs, 160,000 × 96,000
with candidates_per_mentee = 32; plus explain / top-5 latency against the national pool and
the command line end to end on the 2,000 scenario. --quick runs only the 2,000 scenario.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from binome.matching.engine import prepare  # noqa: E402
from binome.matching.engine.problem import parse_problem  # noqa: E402

# (lat, lon, weight in population, spread sigma in km)
METROS = {
    "Paris": (48.8566, 2.3522, 12.5, 16),
    "Lyon": (45.7640, 4.8357, 2.3, 9),
    "Marseille": (43.2965, 5.3698, 1.9, 9),
    "Lille": (50.6292, 3.0573, 1.5, 8),
    "Toulouse": (43.6047, 1.4442, 1.5, 8),
    "Bordeaux": (44.8378, -0.5792, 1.4, 8),
    "Nice": (43.7102, 7.2620, 1.0, 7),
    "Nantes": (47.2184, -1.5536, 1.0, 7),
    "Strasbourg": (48.5734, 7.7521, 0.85, 6),
    "Montpellier": (43.6108, 3.8767, 0.8, 6),
    "Rennes": (48.1173, -1.6778, 0.75, 6),
    "Grenoble": (45.1885, 5.7245, 0.7, 6),
    "Rouen": (49.4432, 1.0999, 0.65, 6),
    "Toulon": (43.1242, 5.9280, 0.6, 6),
    "Avignon": (43.9493, 4.8055, 0.5, 6),
    "Saint-Etienne": (45.4397, 4.3872, 0.5, 5),
    "Tours": (47.3941, 0.6848, 0.5, 5),
    "Clermont-Ferrand": (45.7772, 3.0870, 0.5, 5),
    "Nancy": (48.6921, 6.1844, 0.45, 5),
    "Orleans": (47.9029, 1.9093, 0.45, 5),
    "Metz": (49.1193, 6.1757, 0.4, 5),
    "Dijon": (47.3220, 5.0415, 0.4, 5),
    "Angers": (47.4784, -0.5632, 0.4, 5),
    "Caen": (49.1829, -0.3707, 0.4, 5),
    "Reims": (49.2583, 4.0317, 0.3, 5),
    "Le Havre": (49.4944, 0.1079, 0.3, 5),
    "Brest": (48.3904, -4.4861, 0.3, 5),
    "Limoges": (45.8336, 1.2611, 0.3, 5),
    "Perpignan": (42.6887, 2.8948, 0.3, 5),
    "Amiens": (49.8941, 2.2958, 0.3, 5),
    "Mulhouse": (47.7508, 7.3359, 0.3, 5),
    "Besancon": (47.2378, 6.0241, 0.25, 5),
    "Poitiers": (46.5802, 0.3404, 0.25, 5),
    "Pau": (43.2951, -0.3708, 0.25, 5),
    "Bayonne": (43.4929, -1.4748, 0.3, 5),
}
OVERSEAS = {
    "La Reunion": (-21.1151, 55.5364, 0.85, 12),
    "Guadeloupe": (16.2650, -61.5510, 0.38, 10),
    "Martinique": (14.6415, -61.0242, 0.36, 8),
    "Guyane": (4.9224, -52.3135, 0.28, 10),
    "Mayotte": (-12.7806, 45.2279, 0.30, 5),
}
# rough outline of mainland France (lat, lon) for uniformly placed small towns
OUTLINE = np.array(
    [
        (51.05, 2.55), (50.1, 4.2), (49.5, 5.8), (49.0, 8.2), (47.6, 7.6), (46.4, 6.1),
        (45.9, 7.0), (44.1, 7.7), (43.75, 7.5), (43.0, 6.0), (43.5, 4.6), (42.45, 3.1),
        (42.7, 1.5), (42.8, -0.5), (43.35, -1.8), (44.6, -1.25), (46.2, -1.3), (47.3, -2.6),
        (47.8, -4.4), (48.6, -4.8), (48.85, -3.0), (48.6, -1.5), (49.7, -1.9), (49.35, -0.3),
        (49.8, 0.2), (50.2, 1.6),
    ]
)  # fmt: skip
SECTORS = [f"sector-{i}" for i in range(21)]
FUNCTIONS = [f"function-{i}" for i in range(12)]
HOBBIES = [f"hobby-{i}" for i in range(32)]
EXPECTATIONS = [f"expect-{i}" for i in range(8)]
SUPPORT = ["technical", "relational", "network", "job-search", "confidence"]
LANGS = ["fr", "ar", "en", "es", "pt", "tr", "ro", "ru", "zh", "wo"]
LANG_P = np.array([0.76, 0.08, 0.03, 0.03, 0.03, 0.02, 0.02, 0.01, 0.01, 0.01])
TODAY = date(2026, 11, 23)


def _inside(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    inside = np.zeros(len(lat), bool)
    y0, x0 = OUTLINE[:, 0], OUTLINE[:, 1]
    y1, x1 = np.roll(y0, -1), np.roll(x0, -1)
    for a, b, c, d in zip(y0, x0, y1, x1, strict=True):
        cross = ((a > lat) != (c > lat)) & (lon < (d - b) * (lat - a) / (c - a + 1e-12) + b)
        inside ^= cross
    return inside


def _towns(rng: np.random.Generator, n: int = 3000) -> np.ndarray:
    pts: list[np.ndarray] = []
    while sum(len(p) for p in pts) < n:
        lat = rng.uniform(42.3, 51.1, 4 * n)
        lon = rng.uniform(-4.8, 8.3, 4 * n)
        ok = _inside(lat, lon)
        pts.append(np.column_stack([lat[ok], lon[ok]]))
    return np.concatenate(pts)[:n]


def _place(rng, n, towns, town_w, urban, overseas):
    centres = {**METROS, **OVERSEAS}
    names = list(centres)
    weights = np.array([centres[k][2] for k in names])
    kind = rng.choice(3, n, p=[urban, 1 - urban - overseas, overseas])
    lat, lon = np.zeros(n), np.zeros(n)
    for k, pool in ((0, list(METROS)), (2, list(OVERSEAS))):
        idx = np.flatnonzero(kind == k)
        sel = [names.index(x) for x in pool]
        w = weights[sel] / weights[sel].sum()
        pick = np.array(sel)[rng.choice(len(sel), len(idx), p=w)]
        sig = np.array([centres[names[j]][3] for j in pick])
        lat[idx] = [centres[names[j]][0] for j in pick] + rng.normal(0, 1, len(idx)) * sig / 111.2
        lon0 = np.array([centres[names[j]][1] for j in pick])
        coslat = np.cos(np.radians(lat[idx]))
        lon[idx] = lon0 + rng.normal(0, 1, len(idx)) * sig / (111.2 * coslat)
    idx = np.flatnonzero(kind == 1)
    t = rng.choice(len(towns), len(idx), p=town_w)
    lat[idx] = towns[t, 0] + rng.normal(0, 2, len(idx)) / 111.2
    lon[idx] = towns[t, 1] + rng.normal(0, 2, len(idx)) / (111.2 * np.cos(np.radians(lat[idx])))
    return np.round(np.clip(lat, -90, 90), 5), np.round(lon, 5)


def _subset(rng, vocab, n, lo, hi, empty_p=0.0):
    sizes = rng.integers(lo, hi + 1, n)
    sizes[rng.random(n) < empty_p] = 0
    return [list(rng.choice(vocab, s, replace=False)) if s else [] for s in sizes]


def _people(rng, n, prefix, towns, town_w, mentor):
    lat, lon = _place(rng, n, towns, town_w, 0.78 if mentor else 0.62, 0.03)
    sectors = _subset(rng, SECTORS, n, 1, 1, 0.3)
    functions = _subset(rng, FUNCTIONS, n, 1, 1, 0.4)
    hobbies = _subset(rng, HOBBIES, n, 0, 4)
    expect = _subset(rng, EXPECTATIONS, n, 1, 2)
    support = _subset(rng, SUPPORT, n, 1, 3) if mentor else _subset(rng, SUPPORT, n, 1, 1)
    mt = rng.choice(len(LANGS), n, p=LANG_P)
    extra = rng.random((n, len(LANGS))) < np.where(np.arange(len(LANGS)) < 3, 0.35, 0.03)
    years = rng.integers(1956, 2005, n) if mentor else rng.integers(1996, 2011, n)
    remote = rng.random(n) < 0.03
    out = []
    for i in range(n):
        langs = sorted({LANGS[j] for j in np.flatnonzero(extra[i])} | {"fr"} - {LANGS[mt[i]]})
        p = {
            "id": f"{prefix}{i:06d}",
            "lat": float(lat[i]),
            "lon": float(lon[i]),
            "remote_ok": bool(remote[i]),
            "sectors": sectors[i],
            "functions": functions[i],
            "birth_year": int(years[i]),
            "languages": langs,
            "mother_tongue": LANGS[mt[i]],
            "hobbies": hobbies[i],
            "expectations": expect[i],
            "support": support[i],
        }
        out.append(p)
    return out


def generate(n_mentees: int, seed: int = 7, k: int | None = None) -> dict:
    rng = np.random.default_rng(seed)
    towns = _towns(rng)
    town_w = (rng.pareto(1.2, len(towns)) + 1) ** 1.0
    town_w /= town_w.sum()
    n_mentors = int(round(0.6 * n_mentees))
    mentors = _people(rng, n_mentors, "m", towns, town_w, True)
    caps = rng.choice([1, 2, 3], n_mentors, p=[0.75, 0.2, 0.05])
    for p, c in zip(mentors, caps, strict=True):
        p["capacity"] = int(c)
    mentees = _people(rng, n_mentees, "e", towns, town_w, False)
    max_km = rng.choice([10, 20, 30], n_mentees)
    waited = rng.integers(0, 540, n_mentees)
    for p, mk, w in zip(mentees, max_km, waited, strict=True):
        p["max_km"] = int(mk)
        p["waiting_since"] = (TODAY - timedelta(days=int(w))).isoformat()
    exclusions = []
    for i in np.flatnonzero(rng.random(n_mentees) < 0.01):
        for j in rng.choice(n_mentors, rng.integers(1, 4), replace=False):
            exclusions.append([mentors[j]["id"], mentees[i]["id"]])
    problem = {
        "criteria": [
            {"name": "geography", "weight": 3, "mandatory": True, "max_km": 30},
            {"name": "sector", "weight": 2, "mandatory": False},
            {"name": "function", "weight": 1, "mandatory": False},
            {"name": "age", "weight": 1, "mandatory": False, "min_gap": 5, "max_gap": 40},
            {"name": "language", "weight": 2, "mandatory": False},
            {"name": "hobbies", "weight": 1, "mandatory": False},
            {"name": "expectations", "weight": 1, "mandatory": False},
            {"name": "support", "weight": 2, "mandatory": False},
        ],
        "min_score": 0,
        "waiting_bonus_per_month": 0.5,
        "today": TODAY.isoformat(),
        "mentors": mentors,
        "mentees": mentees,
        "exclusions": exclusions,
    }
    if k is not None:
        problem["candidates_per_mentee"] = k
    return problem


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


SCENARIOS = {
    "programme": (2_000, None),
    "large": (20_000, None),
    "national": (160_000, 32),
}


def _median(xs):
    return float(np.median(xs))


def run_scenario(name: str) -> dict:
    """Run one scenario (in its own process, so that the peak memory is its own)."""
    import scipy.spatial  # noqa: F401  imports are not part of the engine time
    from ortools.graph.python import min_cost_flow  # noqa: F401

    from binome.matching.engine.api import run

    n, k = SCENARIOS[name]
    t = time.perf_counter()
    problem = generate(n, k=k)
    out: dict = {"scenario": name, "mentees": n, "mentors": len(problem["mentors"])}
    out["generate"] = time.perf_counter() - t
    repeats = 3 if n <= 2_000 else 1
    runs = []
    for _ in range(repeats):
        t = time.perf_counter()
        p = parse_problem(problem)
        parse = time.perf_counter() - t
        res = run(p, ("optimal", "greedy"))
        res["optimal"]["stats"]["phases"]["parse"] = parse
        runs.append(res)
    res = min(runs, key=lambda r: sum(r["optimal"]["stats"]["phases"].values()))
    opt, gre = res["optimal"], res["greedy"]
    out["phases"] = opt["stats"]["phases"]
    out["engine"] = sum(out["phases"].values())
    out["feasible_pairs"] = opt["stats"]["feasible_pairs"]
    out["candidate_pairs"] = opt["stats"]["candidate_pairs"]
    out["matched"] = opt["objective"]["matched"]
    out["total_score"] = opt["objective"]["total_score"]
    out["total_bonus"] = opt["objective"]["total_bonus"]
    out["greedy_matched"] = gre["objective"]["matched"]
    out["greedy_total"] = gre["objective"]["total_score"]
    out["greedy_solve"] = gre["stats"]["phases"]["solve"]
    out["peak_mib"] = peak_mib()
    if name == "national":
        out["latency"] = _latency(p)
    if name == "programme":
        out["cli"] = _cli(problem)
    return out


def _latency(p) -> dict:
    prepared = prepare(p)
    rng = np.random.default_rng(1)
    ids = [p.mentees.ids[i] for i in rng.choice(len(p.mentees), 300, replace=False)]
    prepared.top_suggestions(ids[0])  # builds the mentor index once
    out = {}
    for label, call in (
        ("top5", lambda i: prepared.top_suggestions(i, k=5)),
        ("explain_top10", lambda i: prepared.explain(i, limit=10)),
        ("newcomer_top5", lambda i: prepared.top_suggestions({**NEWCOMER, "id": "new-" + i})),
    ):
        times = []
        for i in ids:
            t = time.perf_counter()
            call(i)
            times.append(time.perf_counter() - t)
        out[label] = (_median(times) * 1e3, float(np.percentile(times, 99)) * 1e3)
    times = []
    for i in ids[:10]:
        t = time.perf_counter()
        prepared.explain(i)
        times.append(time.perf_counter() - t)
    out["explain_all"] = (_median(times) * 1e3, max(times) * 1e3)
    return out


NEWCOMER = {
    "lat": 48.8466,
    "lon": 2.3442,
    "max_km": 10,
    "sectors": ["sector-3"],
    "functions": ["function-1"],
    "birth_year": 2003,
    "languages": ["fr"],
    "mother_tongue": "ar",
    "hobbies": ["hobby-1", "hobby-7"],
    "expectations": ["expect-2"],
    "support": ["job-search"],
}


def _cli(problem: dict) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "problem.json", Path(tmp) / "result.json"
        src.write_text(json.dumps(problem), encoding="utf-8")
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "binome.matching", "solve", str(src), "-o", str(dst)],
                check=True,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            times.append(time.perf_counter() - t)
    return times


def _print(results: list[dict]) -> None:
    cols = ["phase / metric", *(r["scenario"] for r in results)]
    rows = [
        ("mentees × mentors", [f"{r['mentees']:,} × {r['mentors']:,}" for r in results]),
        ("generate (s)", [f"{r['generate']:.2f}" for r in results]),
    ]
    for ph in ("parse", "candidates", "scoring", "solve", "output"):
        rows.append((f"{ph} (s)", [f"{r['phases'].get(ph, 0):.3f}" for r in results]))
    rows += [
        ("engine total (s)", [f"{r['engine']:.3f}" for r in results]),
        ("peak RSS (MiB)", [f"{r['peak_mib']:.0f}" for r in results]),
        ("feasible pairs", [f"{r['feasible_pairs']:,}" for r in results]),
        ("pairs optimised", [f"{r['candidate_pairs']:,}" for r in results]),
        ("matched (optimal)", [f"{r['matched']:,}" for r in results]),
        ("total score (optimal)", [f"{r['total_score']:,.2f}" for r in results]),
        ("total bonus (optimal)", [f"{r['total_bonus']:,.2f}" for r in results]),
        ("matched (greedy)", [f"{r['greedy_matched']:,}" for r in results]),
        ("total score (greedy)", [f"{r['greedy_total']:,.2f}" for r in results]),
        (
            "optimal vs greedy",
            [
                f"+{r['matched'] - r['greedy_matched']} matched, "
                f"{100 * (r['total_score'] / max(r['greedy_total'], 1e-9) - 1):+.2f} % score"
                for r in results
            ],
        ),
        ("greedy selection (s)", [f"{r['greedy_solve']:.2f}" for r in results]),
    ]
    width = [
        max(len(c), *(len(v[i - 1]) for _, v in rows)) if i else 24 for i, c in enumerate(cols)
    ]
    print("  ".join(c.ljust(w) for c, w in zip(cols, width, strict=True)).rstrip())
    for label, values in rows:
        print("  ".join(x.ljust(w) for x, w in zip([label, *values], width, strict=True)).rstrip())
    for r in results:
        if "cli" in r:
            t = r["cli"]
            print(
                f"\nCLI end to end, {r['scenario']} (3 runs): min {min(t):.2f} s, "
                f"median {_median(t):.2f} s"
            )
        if "latency" in r:
            print(f"\nInteractive, against the {r['scenario']} pool (ms, median / p99 of 300):")
            for label, (med, p99) in r["latency"].items():
                tail = "max of 10" if label == "explain_all" else "p99"
                print(f"  {label:15s} {med:8.2f}  ({tail} {p99:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the 2,000-mentee scenario")
    parser.add_argument("--scenario", choices=SCENARIOS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scenario:
        print(json.dumps(run_scenario(args.scenario)))
        return
    names = ["programme"] if args.quick else list(SCENARIOS)
    results = []
    for name in names:
        proc = subprocess.run(
            [sys.executable, __file__, "--scenario", name],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(
        f"Python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}\n"
    )
    _print(results)


if __name__ == "__main__":
    main()
