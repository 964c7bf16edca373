#!/usr/bin/env python3
"""Scores `incidents extract` on a development set of real reports (issue 16).

  python3 benches/extract_score.py [--bin target/release/incidents] [--json]
                                   [--verbose] DIR...

Every NN-slug.txt in the DIRs that has an NN-slug.json beside it is one
report: the .txt is the report text, the .json its hand-coded truth:
{"published": "YYYY-MM-DD", "incidents": [...], "tallies": [...]}, each
incident with date_start, date_end, event_type, sub_event_type, latitude,
longitude, geo_precision, admin1_code, fatalities (and more, for readers),
each tally with value, region, admin1_code, period_start and period_end.
For each report the scorer creates a throwaway
database in a temporary directory (`incidents --db T/x.db init`) and runs

  incidents --db T/x.db extract FILE --published PUBLISHED --dry-run --format json

which must print {"incidents": [...], "tallies": [...]}.

Rules
- Loose match of an extracted incident to a truth incident: the date spans
  overlap (date_start..date_end, both ends inclusive), AND the place agrees:
  within 25 km (haversine) when both have coordinates and the truth's
  geo_precision is 1 or 2; otherwise (the truth has geo_precision 3 or no
  coordinates, or the extracted incident has none) the same admin1_code;
  when the truth is known only to the country (geo_precision 4, no admin1),
  the same country.
- Strict match: a loose match with the same event_type.
- One-to-one assignment per report, greedy on the best pair first: strict
  before loose, then the shorter distance (pairs matched on admin1 alone come
  after those with a distance), then the longer date overlap.
- Incident recall = strict matches / truth incidents; precision = strict
  matches / extracted incidents; all reports pooled (micro-averaged), with a
  line per report.
- Of the loose-matched pairs (strict ones included), the share with: the date
  span right (date_start and date_end both equal the truth's), admin1 right
  (admin1_code equal), event type right, sub-event type right, fatalities
  right (equal; both null counts as right).
- Tallies: a truth tally is found when some extracted tally has the same value,
  an overlapping period (period_start..period_end) and the same region, that
  is a shared region code (admin1_code or region_code) or region names equal
  after lowercasing. Tally recall = truth tallies found / truth tallies; tally
  precision = extracted tallies that match some truth tally / extracted
  tallies. Not one-to-one.
- Evidence: every evidence span of every draft must quote the report: its text
  equals report[start:end] and, when given, its context equals
  report[context_start:context_start + len(context)] (Python slicing, so
  CHARACTER offsets). Each span that does not counts as one violation.

Output: a table (one line per report) and the totals; --json prints the totals
as one JSON object instead (ratios are null when their denominator is 0), with
the per-report figures under "per_report"; --verbose also lists, per report,
the truth incidents missed, the extracted incidents unmatched and the fields
wrong on matched pairs.

Exit status: 0 whatever the figures; 1 when the binary fails on a report (it
exits non-zero, times out, or prints something that is not the JSON object
above; the report and the binary's stderr are printed and the report is left
out of the figures); 2 when the arguments, the binary's path or a truth file
are wrong.

Standard library only.
"""

import argparse
import datetime as dt
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

NEAR_KM = 25.0
EARTH_RADIUS_KM = 6371.0088
# Generous: extract on a short report takes well under a second; this only
# stops a hung binary from hanging the whole run.
TIMEOUT_S = 300
REPORT_NAME = re.compile(r"^\d+-.+\.txt$")
PAIR_FIELDS = (
    ("date span", lambda e, t: (e.get("date_start"), e.get("date_end")) == (t["date_start"], t["date_end"])),
    ("admin1", lambda e, t: e.get("admin1_code") == t.get("admin1_code")),
    ("event type", lambda e, t: e.get("event_type") == t.get("event_type")),
    ("sub-event type", lambda e, t: e.get("sub_event_type") == t.get("sub_event_type")),
    ("fatalities", lambda e, t: e.get("fatalities") == t.get("fatalities")),
)


class TruthError(Exception):
    pass


class ExtractFailure(Exception):
    def __init__(self, message, stderr):
        super().__init__(message)
        self.stderr = stderr


def find_reports(dirs):
    """(name, text path, truth path) for every NN-slug.txt with its .json."""
    reports = []
    for d in dirs:
        if not os.path.isdir(d):
            raise TruthError(f"{d}: not a directory")
        for f in sorted(os.listdir(d)):
            truth = os.path.join(d, f[: -len(".txt")] + ".json")
            if REPORT_NAME.match(f) and os.path.isfile(truth):
                reports.append((f[: -len(".txt")], os.path.join(d, f), truth))
    if not reports:
        raise TruthError(f"no NN-slug.txt with its NN-slug.json in {', '.join(dirs)}")
    return reports


def load_truth(path):
    try:
        with open(path, encoding="utf-8") as f:
            truth = json.load(f)
    except (OSError, ValueError) as e:
        raise TruthError(f"{path}: expected a JSON object: {e}")
    if not isinstance(truth, dict) or parse_date(truth.get("published")) is None:
        raise TruthError(f"{path}: field 'published': expected a date YYYY-MM-DD")
    for key in ("incidents", "tallies"):
        if not isinstance(truth.get(key), list):
            raise TruthError(f"{path}: field '{key}': expected a list")
    for i, inc in enumerate(truth["incidents"]):
        for key in ("date_start", "date_end"):
            if parse_date(inc.get(key)) is None:
                raise TruthError(f"{path}: incident {i + 1}: field '{key}': expected a date YYYY-MM-DD")
        if not inc.get("event_type"):
            raise TruthError(f"{path}: incident {i + 1}: field 'event_type': expected an ACLED event type")
        if not has_point(inc) and not inc.get("admin1_code") and inc.get("geo_precision") != 4:
            raise TruthError(f"{path}: incident {i + 1}: expected coordinates, an admin1_code or geo_precision 4 (country only)")
    for i, tally in enumerate(truth["tallies"]):
        if not isinstance(tally.get("value"), (int, float)):
            raise TruthError(f"{path}: tally {i + 1}: field 'value': expected a number")
        if period(tally) is None:
            raise TruthError(f"{path}: tally {i + 1}: fields 'period_start'/'period_end': expected dates")
    return truth


def run_extract(binary, text_path, published):
    with tempfile.TemporaryDirectory(prefix="extract-score-") as tmp:
        db = os.path.join(tmp, "x.db")
        for args in (["init"], ["extract", text_path, "--published", published, "--dry-run", "--format", "json"]):
            try:
                run = subprocess.run([binary, "--db", db] + args, capture_output=True, text=True, timeout=TIMEOUT_S)
            except subprocess.TimeoutExpired as e:
                raise ExtractFailure(f"`{args[0]}` did not finish in {TIMEOUT_S} s", e.stderr or "")
            except OSError as e:
                raise ExtractFailure(f"cannot run {binary}: {e}", "")
            if run.returncode != 0:
                raise ExtractFailure(f"`{args[0]}` exited with status {run.returncode}", run.stderr)
    try:
        out = json.loads(run.stdout)
    except ValueError as e:
        raise ExtractFailure(f"`extract` printed no JSON ({e})", run.stderr)
    if not (isinstance(out, dict) and isinstance(out.get("incidents"), list) and isinstance(out.get("tallies"), list)):
        raise ExtractFailure('`extract` printed JSON but not {"incidents": [...], "tallies": [...]}', run.stderr)
    if not all(isinstance(x, dict) for x in out["incidents"] + out["tallies"]):
        raise ExtractFailure("`extract` printed an incident or tally that is not a JSON object", run.stderr)
    return out


def parse_date(value):
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def span(start, end):
    """The inclusive date span, a missing end meaning the start day; None when unusable."""
    first, last = parse_date(start), parse_date(end if end is not None else start)
    return (first, last) if first and last and first <= last else None


def period(tally):
    return span(tally.get("period_start"), tally.get("period_end"))


def overlap_days(a, b):
    """Days two inclusive spans share (0 when they do not overlap or one is None)."""
    if a is None or b is None:
        return 0
    return max(0, (min(a[1], b[1]) - max(a[0], b[0])).days + 1)


def has_point(rec):
    return all(isinstance(rec.get(k), (int, float)) and not isinstance(rec.get(k), bool) for k in ("latitude", "longitude"))


def haversine_km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (a["latitude"], a["longitude"], b["latitude"], b["longitude"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def loose_match(ext, truth):
    """(distance km or None, overlap days) when ext loosely matches truth, else None."""
    days = overlap_days(span(ext.get("date_start"), ext.get("date_end")), span(truth["date_start"], truth["date_end"]))
    if days == 0:
        return None
    if has_point(truth) and has_point(ext) and truth.get("geo_precision") in (1, 2):
        km = haversine_km(ext, truth)
        return (km, days) if km <= NEAR_KM else None
    code = truth.get("admin1_code")
    if code and ext.get("admin1_code") == code:
        return (haversine_km(ext, truth) if has_point(truth) and has_point(ext) else None, days)
    if truth.get("geo_precision") == 4 and truth.get("country") and ext.get("country") == truth["country"]:
        return (None, days)
    return None


def assign(extracted, truths):
    """One-to-one (extracted index, truth index, strict) pairs, best pairs first."""
    candidates = []
    for ei, ext in enumerate(extracted):
        for ti, truth in enumerate(truths):
            m = loose_match(ext, truth)
            if m is not None:
                strict = ext.get("event_type") == truth["event_type"]
                km, days = m
                candidates.append((not strict, math.inf if km is None else km, -days, ei, ti))
    used_e, used_t, pairs = set(), set(), []
    for not_strict, _, _, ei, ti in sorted(candidates):
        if ei not in used_e and ti not in used_t:
            used_e.add(ei)
            used_t.add(ti)
            pairs.append((ei, ti, not not_strict))
    return pairs


def region_codes(tally):
    return {tally.get(k) for k in ("admin1_code", "region_code")} - {None, ""}


def tally_match(a, b):
    if not isinstance(a.get("value"), (int, float)) or a["value"] != b["value"]:
        return False
    if overlap_days(period(a), period(b)) == 0:
        return False
    if region_codes(a) & region_codes(b):
        return True
    ra, rb = a.get("region"), b.get("region")
    return isinstance(ra, str) and isinstance(rb, str) and ra.strip() != "" and ra.strip().lower() == rb.strip().lower()


def evidence_check(text, drafts):
    """(spans, violations, first few violation descriptions) over all drafts' evidence."""
    spans, bad, notes = 0, 0, []
    for draft in drafts:
        evidence = draft.get("evidence")
        if evidence is None:
            continue
        for sp in evidence if isinstance(evidence, list) else [evidence]:
            spans += 1
            problem = span_problem(text, sp)
            if problem:
                bad += 1
                notes.append(problem)
    return spans, bad, notes


def span_problem(text, sp):
    if not isinstance(sp, dict):
        return f"evidence {sp!r}: expected an object"
    start, end, quoted = sp.get("start"), sp.get("end"), sp.get("text")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
        return f"evidence {sp.get('field')!r} [{start}, {end}): expected character offsets within 0..{len(text)}"
    if quoted != text[start:end]:
        return f"evidence {sp.get('field')!r} [{start}, {end}): text {quoted!r} but the report has {text[start:end]!r}"
    context, at = sp.get("context"), sp.get("context_start")
    if context is not None and isinstance(at, int):
        if not (isinstance(context, str) and 0 <= at and text[at : at + len(context)] == context):
            return f"evidence {sp.get('field')!r}: context at {at} is not the report's text there"
    return None


def describe(inc):
    return (
        f"{inc.get('date_start')}..{inc.get('date_end')} {inc.get('event_type')} / {inc.get('sub_event_type')} "
        f"at {inc.get('place')!r} ({inc.get('admin1_code')}) fatalities {inc.get('fatalities')}"
    )


def score_report(name, text, truth, out):
    ext, tru = out["incidents"], truth["incidents"]
    pairs = assign(ext, tru)
    found = [any(tally_match(e, t) for e in out["tallies"]) for t in truth["tallies"]]
    r = {
        "report": name,
        "truth_incidents": len(tru),
        "extracted_incidents": len(ext),
        "strict_matches": sum(1 for _, _, s in pairs if s),
        "loose_matches": len(pairs),
        "right": {label: sum(1 for ei, ti, _ in pairs if ok(ext[ei], tru[ti])) for label, ok in PAIR_FIELDS},
        "truth_tallies": len(truth["tallies"]),
        "extracted_tallies": len(out["tallies"]),
        "tallies_found": sum(found),
        "tallies_right": sum(1 for e in out["tallies"] if any(tally_match(e, t) for t in truth["tallies"])),
    }
    r["evidence_spans"], r["evidence_violations"], evidence_notes = evidence_check(text, ext + out["tallies"])
    matched_e, matched_t = {ei for ei, _, _ in pairs}, {ti for _, ti, _ in pairs}
    notes = [f"missed: {describe(t)}" for ti, t in enumerate(tru) if ti not in matched_t]
    notes += [f"unmatched extract: {describe(e)}" for ei, e in enumerate(ext) if ei not in matched_e]
    for ei, ti, _ in pairs:
        wrong = [label for label, ok in PAIR_FIELDS if not ok(ext[ei], tru[ti])]
        if wrong:
            notes.append(f"matched, wrong {', '.join(wrong)}: truth {describe(tru[ti])}; extracted {describe(ext[ei])}")
    notes += [f"tally missed: {t.get('metric')} {t['value']} {t.get('region')}" for t, f in zip(truth["tallies"], found) if not f]
    notes += evidence_notes[:5]
    return r, notes


def ratio(num, den):
    return round(num / den, 4) if den else None


def totals(rows, failed):
    s = lambda key: sum(r[key] for r in rows)
    loose = s("loose_matches")
    t = {
        "reports": len(rows),
        "failed": failed,
        "truth_incidents": s("truth_incidents"),
        "extracted_incidents": s("extracted_incidents"),
        "strict_matches": s("strict_matches"),
        "loose_matches": loose,
        "incident_recall": ratio(s("strict_matches"), s("truth_incidents")),
        "incident_precision": ratio(s("strict_matches"), s("extracted_incidents")),
    }
    for label, _ in PAIR_FIELDS:
        t[label.replace(" ", "_").replace("-", "_") + "_right"] = ratio(sum(r["right"][label] for r in rows), loose)
    t.update(
        truth_tallies=s("truth_tallies"),
        extracted_tallies=s("extracted_tallies"),
        tallies_found=s("tallies_found"),
        tallies_right=s("tallies_right"),
        tally_recall=ratio(s("tallies_found"), s("truth_tallies")),
        tally_precision=ratio(s("tallies_right"), s("extracted_tallies")),
        evidence_spans=s("evidence_spans"),
        evidence_violations=s("evidence_violations"),
    )
    return t


def fmt(x):
    return "-" if x is None else f"{x:.2f}"


def print_table(rows, t, notes, verbose):
    print(f"{'report':<40} {'truth':>5} {'extr':>5} {'strict':>6} {'loose':>5} {'recall':>6} {'prec':>5}  {'tallies':>7} {'evidence':>8}")
    for r in rows:
        print(
            f"{r['report'][:40]:<40} {r['truth_incidents']:>5} {r['extracted_incidents']:>5} {r['strict_matches']:>6} "
            f"{r['loose_matches']:>5} {fmt(ratio(r['strict_matches'], r['truth_incidents'])):>6} "
            f"{fmt(ratio(r['strict_matches'], r['extracted_incidents'])):>5}  "
            f"{r['tallies_found']:>3}/{r['truth_tallies']:<3} {r['evidence_violations']:>3}/{r['evidence_spans']:<4}"
        )
        if verbose:
            for note in notes[r["report"]]:
                print(f"    {note}")
    print()
    print(
        f"reports {t['reports']} (failed {t['failed']}); incidents: truth {t['truth_incidents']}, "
        f"extracted {t['extracted_incidents']}, strict matches {t['strict_matches']}, loose matches {t['loose_matches']}"
    )
    print(f"incident recall {fmt(t['incident_recall'])}  precision {fmt(t['incident_precision'])}")
    print(
        f"of {t['loose_matches']} loose-matched: date span right {fmt(t['date_span_right'])}  admin1 right {fmt(t['admin1_right'])}  "
        f"event type right {fmt(t['event_type_right'])}  sub-event type right {fmt(t['sub_event_type_right'])}  "
        f"fatalities right {fmt(t['fatalities_right'])}"
    )
    print(
        f"tallies: recall {fmt(t['tally_recall'])} ({t['tallies_found']}/{t['truth_tallies']})  "
        f"precision {fmt(t['tally_precision'])} ({t['tallies_right']}/{t['extracted_tallies']})"
    )
    print(f"evidence: {t['evidence_violations']} violations in {t['evidence_spans']} spans")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(root, "target", "release", "incidents"), help="the incidents binary (default: %(default)s)")
    ap.add_argument("--json", action="store_true", help="print the totals as JSON")
    ap.add_argument("--verbose", "-v", action="store_true", help="list misses and wrong fields per report")
    ap.add_argument("dirs", nargs="+", metavar="DIR")
    args = ap.parse_args()
    try:
        reports = [(name, text, load_truth(truth)) for name, text, truth in find_reports(args.dirs)]
    except TruthError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    binary = shutil.which(args.bin)
    if binary is None:
        print(f"error: --bin {args.bin}: expected an executable incidents binary (cargo build --release)", file=sys.stderr)
        return 2
    rows, notes, failed = [], {}, 0
    for name, text_path, truth in reports:
        try:
            out = run_extract(binary, os.path.abspath(text_path), truth["published"])
        except ExtractFailure as e:
            failed += 1
            print(f"FAILED {text_path}: {e}\n--- stderr ---\n{e.stderr.rstrip()}\n--------------", file=sys.stderr)
            continue
        with open(text_path, encoding="utf-8", newline="") as f:
            text = f.read()
        row, notes[name] = score_report(name, text, truth, out)
        rows.append(row)
    t = totals(rows, failed)
    if args.json:
        print(json.dumps(dict(t, per_report=rows), indent=2))
    else:
        print_table(rows, t, notes, args.verbose)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
