#!/usr/bin/env python3
"""Geocoding precision and coverage on real place names from UCDP GED Syria.

    benches/geocode_ucdp.py [UCDP_CSV] [--binary PATH] [--sample-size N]
                            [--batch] [--details FILE]

Takes the distinct place strings (`where_coordinates`, e.g. "Kafr Nasij
village") of events whose location is exact (where_prec 1), orders them by
a hash of the name (deterministic, unrelated to spelling or region) and
takes two disjoint samples: the first N names and the next N. Each name is
run through `incidents geocode NAME --country SY --format json`; an answer
is the row marked `"answer": true` (a confident, unambiguous match). It
prints, per sample: names answered, the share of answers within 5 km of
UCDP's point, the farthest answer, and coverage (the share of all N names
answered within 5 km). `--batch` resolves all names in one process with
`examples/geocode_batch.rs` (same `resolve`, same answers, seconds instead
of minutes); `--details FILE` writes every name's answer and distance as
JSON lines. Not a test: it needs the UCDP file, which the
project does not ship.
"""

import argparse
import collections
import csv
import hashlib
import json
import math
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_CSV = os.path.join(ROOT, "..", "shared", "testdata", "ucdp_ged_syria_2016-2019.csv")
DEFAULT_BINARY = os.path.join(ROOT, "target", "release", "incidents")
NEAR_KM = 5.0


def distance_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def ucdp_places(path):
    """Name -> UCDP's most frequent point for it (exact-location events)."""
    points = collections.defaultdict(collections.Counter)
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["where_coordinates"].strip()
            if row["where_prec"] == "1" and name:
                points[name][(float(row["latitude"]), float(row["longitude"]))] += 1
    # Ties broken by the point itself, so the choice never depends on file order.
    return {n: max(c.items(), key=lambda kv: (kv[1], kv[0]))[0] for n, c in points.items()}


def geocode(binary, db, name):
    out = subprocess.run(
        [binary, "--db", db, "geocode", name, "--country", "SY", "--format", "json"],
        capture_output=True,
        text=True,
    )
    if out.returncode not in (0, 1) or "panicked" in out.stderr:
        sys.exit(f"incidents geocode {name!r} failed ({out.returncode}): {out.stderr}")
    rows = json.loads(out.stdout) if out.stdout.strip() else []
    return next((r for r in rows if r.get("answer")), None)


def geocode_batch(names):
    """Every name's JSON line from examples/geocode_batch.rs, in order."""
    out = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "--example", "geocode_batch", "--", "SY"],
        cwd=ROOT,
        input="".join(n + "\n" for n in names),
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.exit(f"geocode_batch failed ({out.returncode}): {out.stderr}")
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["name"] for r in rows] == list(names)
    return rows


def measure(binary, db, sample, truth, batch=None, details=None, label=""):
    if batch is not None:
        answers = [batch[n]["answer"] for n in sample]
    else:
        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(pool.map(lambda n: geocode(binary, db, n), sample))
    answered, near, far = 0, 0, []
    for name, a in zip(sample, answers):
        if details is not None:
            row = dict(batch[name]) if batch is not None else {"name": name, "answer": a}
            row["sample"] = label
            row["truth"] = truth[name]
            if a is not None:
                row["km"] = round(distance_km(a["latitude"], a["longitude"], *truth[name]), 2)
            details.write(json.dumps(row, ensure_ascii=False) + "\n")
        if a is None:
            continue
        answered += 1
        d = distance_km(a["latitude"], a["longitude"], *truth[name])
        near += d <= NEAR_KM
        far.append((d, name, a["name"]))
    far.sort(reverse=True)
    n = len(sample)
    print(f"  answered: {answered} of {n}")
    if answered:
        print(f"  answers within {NEAR_KM:g} km: {near} ({100 * near / answered:.1f} %)")
        d, name, got = far[0]
        print(f"  farthest answer: {d:.1f} km ({name!r} -> {got})")
        for d, name, got in far[1:5]:
            if d > NEAR_KM:
                print(f"    also {d:.1f} km ({name!r} -> {got})")
    print(f"  coverage (found within {NEAR_KM:g} km): {near} of {n} ({100 * near / n:.1f} %)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", nargs="?", default=DEFAULT_CSV)
    ap.add_argument("--binary", default=DEFAULT_BINARY)
    ap.add_argument("--sample-size", type=int, default=200)
    ap.add_argument("--batch", action="store_true", help="one process (examples/geocode_batch.rs)")
    ap.add_argument("--details", help="write every name's result to this file (JSON lines)")
    a = ap.parse_args()
    if not os.path.exists(a.csv):
        sys.exit(f"UCDP GED Syria file not found at {a.csv}; give its path as the first argument")
    if not os.path.exists(a.binary):
        sys.exit(f"no binary at {a.binary}; run `cargo build --release` first")
    truth = ucdp_places(a.csv)
    names = sorted(truth, key=lambda n: hashlib.sha256(n.encode()).hexdigest())
    k = a.sample_size
    if len(names) < 3 * k:
        sys.exit(f"only {len(names)} distinct names in {a.csv}; need {3 * k}")
    samples = (("sample A", names[:k]), ("sample B", names[k : 2 * k]), ("sample C", names[2 * k : 3 * k]))
    batch = None
    if a.batch:
        rows = geocode_batch([n for _, s in samples for n in s])
        batch = {r["name"]: r for r in rows}
    details = open(a.details, "w", encoding="utf-8") if a.details else None
    db = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"geocode_ucdp_{os.getpid()}.db")
    try:
        for label, sample in samples:
            print(f"{label} ({k} names):")
            measure(a.binary, db, sample, truth, batch, details, label[-1])
    finally:
        if details is not None:
            details.close()
        if os.path.exists(db):
            os.remove(db)


if __name__ == "__main__":
    main()
