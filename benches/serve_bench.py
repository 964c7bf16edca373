#!/usr/bin/env python3
"""Measures `incidents serve` over a database (benches/serve.sh runs it).

Python 3 standard library only. Starts the server with `--port 0` (it prints
`serving DB at URL`), then, on REPS fresh servers:

- tiles: a browsing session, the tiles a 1280x800 map needs (MapLibre's
  512-pixel vector tiles) at tile zooms 3..14: at the low zooms every tile
  over the data's extent (read from the unfiltered z0 tile), then at each
  deeper zoom VIEWS viewports centred on the busiest places of the previous
  zoom's tiles (where a reader zooms in). Unfiltered and with typical
  filters (a month, a year, a type, a region). The first tile of each
  filter builds the server's point index of the selection: it is timed
  apart ("cold"); the rest are "warm". Each tile's latency is the median
  over the REPS servers; p50/p95/max are over the tiles. Two tiles in
  three are empty (the synthetic incidents lie within 2 km of towns), so
  the verdict (p95 < 50 ms) is on the slower of the p95 of all tiles and
  that of the non-empty ones.
- /api/report: region-month reports (the 3 busiest admin1 of the last
  whole year and a middling one, each in 3 months; target p95 < 50 ms)
  and one whole-country year report (for scale), each run RUNS times per
  server (median).
- memory: VmRSS and VmHWM of the server after start, after the unfiltered
  index is built and after the session.
- first map render in headless Chromium over WebDriver (chromedriver):
  navigation start to `document.body.dataset.mapReady == "1"`, on a fresh
  server (cold) and again on the same server (warm), each in a fresh
  browser session.

Prints each figure with its target verdict; exits 3 when a target is
missed, 1 on an error. Raw figures go to --json.
"""

import argparse
import http.client
import json
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

TILE_PX = 512  # MapLibre draws vector tiles 512 pixels wide
VIEW_W, VIEW_H = 1280, 800
TARGET_MS = 50.0
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
    "--window-size=1280,800",
]


# ---------------------------------------------------------------- MVT


def _varint(buf, i):
    shift = value = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, i
        shift += 7


def _fields(buf):
    """The (field number, value) pairs of one protobuf message; value is
    an int (varint) or bytes (length-delimited, fixed32/64 as raw)."""
    i, n = 0, len(buf)
    while i < n:
        key, i = _varint(buf, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 2:
            size, i = _varint(buf, i)
            value, i = buf[i : i + size], i + size
        elif wire == 1:
            value, i = buf[i : i + 8], i + 8
        elif wire == 5:
            value, i = buf[i : i + 4], i + 4
        else:
            raise ValueError(f"protobuf wire type {wire} at byte {i}")
        yield field, value


def _packed(buf):
    out, i = [], 0
    while i < len(buf):
        v, i = _varint(buf, i)
        out.append(v)
    return out


def _value(buf):
    for field, v in _fields(buf):
        if field == 1:
            return v.decode()
        if field in (4, 5):
            return v
        if field == 6:
            return (v >> 1) ^ -(v & 1)
        if field == 7:
            return bool(v)
    return None


def decode_mvt(buf):
    """The point features of layer `incidents`: [(x, y, properties)] with x
    and y as fractions of the tile (0..1)."""
    features = []
    for field, layer in _fields(buf):
        if field != 3:
            continue
        name, extent, keys, values, raw = None, 4096, [], [], []
        for f, v in _fields(layer):
            if f == 1:
                name = v.decode()
            elif f == 2:
                raw.append(v)
            elif f == 3:
                keys.append(v.decode())
            elif f == 4:
                values.append(_value(v))
            elif f == 5:
                extent = v
        if name != "incidents":
            continue
        for feature in raw:
            tags, geometry = [], []
            for f, v in _fields(feature):
                if f == 2:
                    tags = _packed(v)
                elif f == 4:
                    geometry = _packed(v)
            props = {keys[tags[i]]: values[tags[i + 1]] for i in range(0, len(tags), 2)}
            x = y = 0
            i = 0
            while i < len(geometry):
                cmd, count = geometry[i] & 7, geometry[i] >> 3
                i += 1
                for _ in range(count if cmd != 7 else 0):
                    dx, dy = geometry[i], geometry[i + 1]
                    i += 2
                    x += (dx >> 1) ^ -(dx & 1)
                    y += (dy >> 1) ^ -(dy & 1)
                    if cmd == 1:
                        features.append((x / extent, y / extent, props))
    return features


# ------------------------------------------------------------- server


class Server:
    """One `incidents serve --port 0` and a keep-alive HTTP connection."""

    # Every server started, so that an error stops them all.
    started = []

    def __init__(self, binary, db, log):
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [binary, "--db", db, "serve", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        Server.started.append(self.proc)
        line = self.proc.stdout.readline()
        self.start_ms = (time.perf_counter() - t0) * 1000
        if not line.startswith("serving "):
            self.proc.kill()
            raise RuntimeError(f"incidents serve printed {line!r}, expected 'serving DB at URL'")
        self.url = line.rsplit(" ", 1)[-1].strip()
        u = urllib.parse.urlsplit(self.url)
        self.host, self.port = u.hostname, u.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=300)

    def get(self, path):
        """(status, body, milliseconds from sending to the last byte)."""
        for attempt in range(2):
            t0 = time.perf_counter()
            try:
                self.conn.request("GET", path)
                r = self.conn.getresponse()
                body = r.read()
                return r.status, body, (time.perf_counter() - t0) * 1000
            except (http.client.HTTPException, ConnectionError):
                # The server closed an idle keep-alive connection: once more.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=300)
                if attempt:
                    raise

    def must(self, path):
        status, body, ms = self.get(path)
        if status != 200:
            raise RuntimeError(f"GET {path}: status {status}: {body[:300]!r}")
        return body, ms

    def memory(self):
        """VmRSS, VmHWM, RssAnon (the heap: indexes, caches) and RssFile
        (pages of the memory-mapped database, shared with the page cache
        and counted once per mapping) in MiB, and the threads."""
        out = {}
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                    out[k] = int(v.split()[0]) / 1024
                elif k == "Threads":
                    out[k] = int(v)
        return out

    def stop(self):
        self.conn.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# ------------------------------------------------------------ session


def tile_path(z, x, y, query):
    return f"/tiles/{z}/{x}/{y}.mvt" + (f"?{query}" if query else "")


def view(cx, cy, z):
    """The tiles a VIEW_W x VIEW_H viewport centred on (cx, cy), world
    fractions, needs at tile zoom z."""
    side = 1 << z
    hw, hh = VIEW_W / TILE_PX / 2, VIEW_H / TILE_PX / 2
    tx, ty = cx * side, cy * side
    xs = range(max(0, math.floor(tx - hw)), min(side - 1, math.floor(tx + hw)) + 1)
    ys = range(max(0, math.floor(ty - hh)), min(side - 1, math.floor(ty + hh)) + 1)
    return [(z, x, y) for y in ys for x in xs]


def extent_tiles(extent, z):
    x0, y0, x1, y1 = extent
    side = 1 << z
    clip = lambda v: min(side - 1, max(0, math.floor(v * side)))  # noqa: E731
    return [
        (z, x, y)
        for y in range(clip(y0), clip(y1) + 1)
        for x in range(clip(x0), clip(x1) + 1)
    ]


def busiest(features, z, k):
    """Up to k viewport centres at zoom z: the weighted means of the k
    heaviest viewport-sized bins of the features (world fractions)."""
    side = 1 << z
    bw, bh = VIEW_W / TILE_PX / side, VIEW_H / TILE_PX / side
    bins = {}
    for wx, wy, n in features:
        key = (int(wx / bw), int(wy / bh))
        b = bins.setdefault(key, [0, 0.0, 0.0])
        b[0] += n
        b[1] += wx * n
        b[2] += wy * n
    top = sorted(bins.values(), key=lambda b: -b[0])[:k]
    return [(sx / n, sy / n) for n, sx, sy in top]


class Session:
    """Fetches one filter's browsing session; plans it on the first run."""

    def __init__(self, name, query, extent, pan_zooms, zooms, views):
        self.name, self.query = name, query
        self.extent, self.pan_zooms, self.zooms, self.views = extent, pan_zooms, zooms, views
        self.plan = None  # [(z, x, y)] in request order, fixed after the first run

    def run(self, server, skip_cold=False):
        """[(tile, ms, bytes, features)]; the first is cold unless skip_cold."""
        out, seen = [], set()

        def fetch(tiles):
            got = []
            for t in tiles:
                if t in seen:
                    continue
                seen.add(t)
                body, ms = server.must(tile_path(*t, self.query))
                feats = decode_mvt(body)
                out.append((t, ms, len(body), len(feats)))
                got.append((t, feats))
            return got

        if self.plan is not None:
            fetch(self.plan)
            return out
        previous = []
        for z in range(min(self.pan_zooms + self.zooms), max(self.pan_zooms + self.zooms) + 1):
            if z in self.pan_zooms:
                tiles = extent_tiles(self.extent, z)
            else:
                weighted = []
                for (pz, px, py), feats in previous:
                    s = 1 << pz
                    for fx, fy, props in feats:
                        weighted.append(((px + fx) / s, (py + fy) / s, props.get("count", 1)))
                tiles = []
                for cx, cy in busiest(weighted, z, self.views):
                    tiles += view(cx, cy, z)
            previous = fetch(tiles)
            if not previous:
                # Nothing new at this zoom (views overlapping): keep the last.
                previous = [(t, []) for t in tiles]
        self.plan = [t for t, *_ in out]
        return out


def pct(values, p):
    """The p-th percentile, nearest rank (so p95 is a measured value)."""
    if not values:
        return float("nan")
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def memory_line(when, ms):
    med = lambda k: statistics.median(m[k] for m in ms)  # noqa: E731
    return (
        f"{when:<18} VmRSS {med('VmRSS'):6.0f} (RssAnon {med('RssAnon'):5.0f}, RssFile {med('RssFile'):5.0f})"
        f"  VmHWM {med('VmHWM'):6.0f}  threads {med('Threads'):.0f}"
    )


def verdict(ms):
    return "met" if ms < TARGET_MS else "MISSED"


# ----------------------------------------------------------- chromium


class WebDriver:
    """Just enough of the W3C WebDriver protocol over plain HTTP JSON."""

    def __init__(self, chromedriver, chromium, log):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.chromium = chromium
        self.proc = subprocess.Popen(
            [chromedriver, f"--port={self.port}"], stdout=log, stderr=log
        )
        deadline = time.time() + 30
        while True:
            try:
                self.call("GET", "/status")
                break
            except OSError:
                if time.time() > deadline:
                    raise RuntimeError("chromedriver did not answer /status within 30 s")
                time.sleep(0.1)

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=300) as r:
                return json.loads(r.read())["value"]
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"WebDriver {method} {path}: {e.code} {e.read()[:500]!r}") from None

    def new_session(self):
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    # Return from /url at once: the page is timed from inside.
                    "pageLoadStrategy": "none",
                    "goog:chromeOptions": {"binary": self.chromium, "args": CHROMIUM_ARGS},
                }
            }
        }
        return self.call("POST", "/session", caps)["sessionId"]

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


# Run in the page until it answers: installs an observer that notes
# performance.now() (milliseconds since navigation start) when the page
# sets data-map-ready to "1", and returns the note with the page's timings.
READY_JS = """
const base = arguments[0];
if (!location.href.startsWith(base) || !document.body) return null;
const b = document.body;
if (!window.__bench) {
  window.__bench = {};
  const check = () => {
    if (b.dataset.mapReady === '1' && window.__bench.ready === undefined)
      window.__bench.ready = performance.now();
  };
  new MutationObserver(check).observe(b, {attributes: true});
  check();
  // Ready before the observer: the time is an upper bound.
  window.__bench.late = window.__bench.ready !== undefined;
  window.__bench.installed = performance.now();
}
if (window.__bench.ready === undefined) return null;
const nav = performance.getEntriesByType('navigation')[0] || {};
// MapLibre fetches tiles in its worker, out of this page's resource timing:
// what the map holds is asked of the map itself.
let features = null, zoom = null;
try {
  const m = window.incidentsMap;
  zoom = m.getZoom();
  features = m.querySourceFeatures('incidents', {sourceLayer: 'incidents'}).length;
} catch (e) { /* a stand-in page without a map */ }
const res = performance.getEntriesByType('resource');
return {
  ready: window.__bench.ready,
  installed: window.__bench.installed,
  late: window.__bench.late,
  viewport: [innerWidth, innerHeight],
  dom_content_loaded: nav.domContentLoadedEventEnd,
  load: nav.loadEventEnd,
  zoom: zoom,
  features: features,
  resources: res.map(r => [r.name.replace(location.origin, ''), Math.round(r.startTime),
                           Math.round(r.duration), r.transferSize]),
  last_response: res.reduce((a, r) => Math.max(a, r.responseEnd), 0),
};
"""


def served(log):
    """[(path, ms)] from the server's request log (`GET /path 200 12 ms`)."""
    out = []
    for line in log.splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[0] in ("GET", "HEAD") and parts[4] == "ms":
            try:
                out.append((parts[1], int(parts[3])))
            except ValueError:
                pass
    return out


def first_render(driver, url, timeout=180):
    """Navigates a fresh browser session to url; milliseconds from
    navigation start to mapReady, with the page's timings."""
    sid = driver.new_session()
    try:
        # Headless Chromium's --window-size is the window, not the page
        # (1280x657 here): the viewport is set exactly over the DevTools
        # protocol, as tests/serve_browser.rs does.
        driver.call(
            "POST",
            f"/session/{sid}/goog/cdp/execute",
            {
                "cmd": "Emulation.setDeviceMetricsOverride",
                "params": {"width": VIEW_W, "height": VIEW_H, "deviceScaleFactor": 1, "mobile": False},
            },
        )
        driver.call("POST", f"/session/{sid}/url", {"url": url})
        deadline = time.time() + timeout
        while time.time() < deadline:
            got = driver.call("POST", f"/session/{sid}/execute/sync", {"script": READY_JS, "args": [url]})
            if got:
                return got
            # The observer notes the time; polling only collects it.
            time.sleep(0.1)
        raise RuntimeError(f"{url}: no document.body.dataset.mapReady = '1' within {timeout} s")
    finally:
        driver.call("DELETE", f"/session/{sid}")


# --------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--incidents", required=True, help="the incidents binary")
    ap.add_argument("--db", required=True)
    ap.add_argument("--reps", type=int, default=3, help="fresh servers (tiles, memory, first render)")
    ap.add_argument("--runs", type=int, default=5, help="runs of each report")
    ap.add_argument("--views", type=int, default=3, help="viewports per zoom when zoomed in")
    ap.add_argument("--json", help="write every figure here")
    ap.add_argument("--log", default="serve.log", help="the servers' stderr")
    ap.add_argument("--page-url", help="time the first render of this page instead of the server's (to test the timing)")
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: tiles,report,render")
    a = ap.parse_args()
    skip = set(filter(None, a.skip.split(",")))
    log = open(a.log, "a")
    results = {"reps": a.reps, "runs": a.runs}
    missed = False

    # The data: period and types from /api/meta, extent from the z0 tile.
    probe = Server(a.incidents, a.db, log)
    meta = json.loads(probe.must("/api/meta")[0])
    last = meta["last"]
    # The last whole year of the data.
    year = int(last[:4]) if last[5:] >= "12-01" else int(last[:4]) - 1
    month_recent = f"{year}-06"
    type_ = meta["event_types"][0]["name"]
    body, _ = probe.must(tile_path(0, 0, 0, ""))
    z0 = decode_mvt(body)
    cell = 1 / 64  # a cluster cell at z0: a point lies within one of its centre
    extent = (
        max(0.0, min(x for x, _, _ in z0) - cell),
        max(0.0, min(y for _, y, _ in z0) - cell),
        min(1.0, max(x for x, _, _ in z0) + cell),
        min(1.0, max(y for _, y, _ in z0) + cell),
    )
    # Regions: the busiest admin1 of the last year and one of middling size.
    rows = json.loads(probe.must(f"/api/report?year={year}&group-by=admin1")[0])
    probe.stop()
    if not isinstance(rows, list):
        raise RuntimeError(f"/api/report group-by admin1: expected a list of groups, got {str(rows)[:300]}")
    groups = sorted(rows, key=lambda g: -int(g.get("incidents", 0)))
    names = [g["admin1"] for g in groups if g.get("admin1")]
    regions = names[:3] + [names[len(names) // 2]]
    lon = lambda fx: fx * 360 - 180  # noqa: E731
    lat = lambda fy: math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * fy))))  # noqa: E731
    results["data"] = {
        "incidents": meta["incidents"],
        "first": meta["first"],
        "last": last,
        "extent_lonlat": [lon(extent[0]), lat(extent[3]), lon(extent[2]), lat(extent[1])],
        "regions": regions,
    }
    print(
        f"  data: {meta['incidents']} incidents {meta['first']}..{last}; extent lon "
        f"{lon(extent[0]):.0f}..{lon(extent[2]):.0f}, lat {lat(extent[3]):.0f}..{lat(extent[1]):.0f}"
    )

    q = urllib.parse.urlencode
    filters = [
        ("none", ""),
        (f"month {month_recent}", q({"month": month_recent})),
        (f"year {year}", q({"from": f"{year}-01-01", "to": f"{year}-12-31"})),
        (f"type {type_}", q({"type": type_})),
        (f"region {regions[0]}", q({"region": regions[0]})),
    ]
    sessions = [Session(n, qs, extent, [3, 4], list(range(5, 15)), a.views) for n, qs in filters]
    report_paths = [
        q({"region": r, "month": m})
        for r in regions
        for m in (f"{year}-06", f"{year - 4}-11", f"{year - 9}-03")
    ]
    country = regions[0].split("-")[0]  # an ISO 3166-2 code's country
    whole = q({"country": country, "year": year})

    if "tiles" not in skip or "report" not in skip:
        per_tile = {}  # (filter, tile) -> [ms]
        info = {}  # (filter, tile) -> (bytes, features)
        cold = {n: [] for n, _ in filters}
        memory = {"start": [], "unfiltered index": [], "after session": []}
        starts = []
        reports = {p: [] for p in report_paths}
        whole_ms = []
        for rep in range(a.reps):
            s = Server(a.incidents, a.db, log)
            starts.append(s.start_ms)
            memory["start"].append(s.memory())
            if "tiles" not in skip:
                # The first tile of the unfiltered map: builds its index.
                _, ms = s.must(tile_path(3, *extent_tiles(extent, 3)[0][1:], ""))
                cold["none"].append(ms)
                memory["unfiltered index"].append(s.memory())
                for sess in sessions:
                    got = sess.run(s)
                    if sess.name != "none":
                        cold[sess.name].append(got[0][1])
                        got = got[1:]
                    for t, ms, size, nf in got:
                        per_tile.setdefault((sess.name, t), []).append(ms)
                        info[(sess.name, t)] = (size, nf)
                memory["after session"].append(s.memory())
            if "report" not in skip:
                for p in report_paths:
                    for _ in range(a.runs):
                        reports[p].append(s.must(f"/api/report?{p}")[1])
                for _ in range(a.runs):
                    whole_ms.append(s.must(f"/api/report?{whole}")[1])
                memory.setdefault("after reports", []).append(s.memory())
            s.stop()
            print(f"  (server {rep + 1}/{a.reps} done; load average {open('/proc/loadavg').read().split()[0]})", flush=True)

        print(f"  server start (to its URL line): median {statistics.median(starts):.0f} ms")
        results["start_ms"] = starts
        if "tiles" not in skip:
            print(
                f"== tiles: a 1280x800 viewport of {TILE_PX}-px tiles at tile zooms 3..14; each tile's"
                f" median of {a.reps} servers; ms, bytes"
            )
            print(
                f"  {'filter':<22} {'tiles':>5} {'empty':>5} {'cold':>6} {'p50':>5} {'p95':>5} {'max':>5}"
                f" {'p95 non-empty':>13} {'bytes p50':>9} {'max':>7} {'features p50':>12} {'max':>6}"
            )
            results["tiles"] = {}
            all_warm = []

            def row(name, keys, c, warm):
                sizes = [info[k][0] for k in keys]
                feats = [info[k][1] for k in keys]
                nonempty = [w for w, k in zip(warm, keys) if info[k][1] > 0]
                r = {
                    "tiles": len(keys),
                    "empty": len(keys) - len(nonempty),
                    "cold_ms": c,
                    "warm_p50": pct(warm, 50),
                    "warm_p95": pct(warm, 95),
                    "warm_max": max(warm),
                    "nonempty_p95": pct(nonempty, 95),
                    "bytes_p50": pct(sizes, 50),
                    "bytes_max": max(sizes),
                    "features_p50": pct(feats, 50),
                    "features_max": max(feats),
                    "per_zoom_p95": {
                        z: pct([w for w, k in zip(warm, keys) if k[1][0] == z], 95)
                        for z in sorted({k[1][0] for k in keys})
                    },
                    "slowest": sorted(
                        ((w, k[1], info[k][0], info[k][1]) for w, k in zip(warm, keys)), reverse=True
                    )[:5],
                }
                cold_text = f"{statistics.median(c):6.0f}" if c else f"{'':>6}"
                print(
                    f"  {name:<22} {r['tiles']:5d} {r['empty']:5d} {cold_text} {r['warm_p50']:5.1f}"
                    f" {r['warm_p95']:5.1f} {r['warm_max']:5.0f} {r['nonempty_p95']:13.1f}"
                    f" {r['bytes_p50']:9d} {r['bytes_max']:7d} {r['features_p50']:12d} {r['features_max']:6d}"
                    f"  (target p95 < {TARGET_MS:.0f} ms: {verdict(max(r['warm_p95'], r['nonempty_p95']))})"
                )
                return r

            all_keys = []
            for name, _ in filters:
                keys = [k for k in per_tile if k[0] == name]
                warm = [statistics.median(per_tile[k]) for k in keys]
                results["tiles"][name] = row(name, keys, cold[name], warm)
                all_keys += keys
                all_warm += warm
            everything = row("all filters", all_keys, [], all_warm)
            results["tiles_all"] = everything
            # Two tiles in three are empty (the synthetic incidents lie around
            # towns), so the verdict is on the slower of both p95s.
            missed |= max(everything["warm_p95"], everything["nonempty_p95"]) >= TARGET_MS
            print("  p95 by tile zoom, all filters: " + "  ".join(
                f"z{z} {v:.0f}" for z, v in everything["per_zoom_p95"].items()
            ))
            slow = everything["slowest"][0]
            print(
                f"  slowest: {slow[1][0]}/{slow[1][1]}/{slow[1][2]} {slow[0]:.0f} ms, {slow[2]} bytes,"
                f" {slow[3]} features"
            )
        if "report" not in skip:
            print(f"== /api/report (each request's median of {a.runs} runs x {a.reps} servers)")
            med = {p: statistics.median(v) for p, v in reports.items()}
            vals = list(med.values())
            rp95 = pct(vals, 95)
            missed |= rp95 >= TARGET_MS
            w = statistics.median(whole_ms)
            results["report"] = {"region_month": med, "p50": pct(vals, 50), "p95": rp95, "whole": w, "whole_query": whole}
            print(
                f"  region-month ({len(regions)} regions x 3 months)  p50 {pct(vals, 50):6.1f}  p95 {rp95:6.1f}"
                f"  max {max(vals):6.1f} ms  (target < {TARGET_MS:.0f} ms: {verdict(rp95)})"
            )
            for p, v in med.items():
                print(f"    {urllib.parse.unquote_plus(p):<45} {v:7.1f} ms")
            # The target is for the panel's region-month reports; a whole
            # country over a year is shown for scale.
            print(f"  whole country, a year ({urllib.parse.unquote_plus(whole)})  {w:6.0f} ms  (for scale, no target)")
        print("== server memory (median of servers; MiB; RssFile: the mapped database's pages)")
        results["memory"] = memory
        for when, ms in memory.items():
            if ms:
                print("  " + memory_line(when, ms))

    if "render" not in skip:
        chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        chromedriver = shutil.which("chromedriver")
        if not chromium or not chromedriver:
            print("  first render: FAILED: needs chromium and chromedriver (Debian: chromium chromium-driver)")
            return 1
        print(f"== first map render, headless Chromium ({a.reps} runs; navigation start -> mapReady)")
        driver = WebDriver(chromedriver, chromium, log)
        runs = {"cold": [], "warm": []}
        try:
            for _ in range(a.reps):
                if a.page_url:
                    runs["cold"].append(first_render(driver, a.page_url))
                    runs["warm"].append(first_render(driver, a.page_url))
                    continue
                s = Server(a.incidents, a.db, log)
                try:
                    for kind in ("cold", "warm"):
                        # The server's own log of the page's requests (its
                        # tiles are fetched by MapLibre's worker, out of the
                        # page's resource timing).
                        log.flush()
                        before = os.path.getsize(a.log)
                        got = first_render(driver, s.url)
                        time.sleep(0.2)
                        with open(a.log, "rb") as f:
                            f.seek(before)
                            got["server"] = served(f.read().decode(errors="replace"))
                        runs[kind].append(got)
                    runs.setdefault("memory", []).append(s.memory())
                finally:
                    s.stop()
        finally:
            driver.stop()
        results["render"] = runs
        for kind in ("cold", "warm"):
            r = runs[kind]
            ready = statistics.median(x["ready"] for x in r)
            print(
                f"  {kind}: {ready:6.0f} ms (runs {', '.join('%.0f' % x['ready'] for x in r)}); "
                f"DOMContentLoaded {statistics.median(x['dom_content_loaded'] or 0 for x in r):.0f} ms, "
                f"last page request done {statistics.median(x['last_response'] for x in r):.0f} ms; "
                f"zoom {r[0]['zoom'] if r[0]['zoom'] is None else round(r[0]['zoom'], 1)}, "
                f"features drawn {r[0]['features']}, viewport {r[0]['viewport']}"
                + ("; READY BEFORE OBSERVED (upper bound)" if any(x["late"] for x in r) else "")
            )
            if "server" in r[0]:
                # What the server spent on the page's slowest requests.
                slow = {}
                for x in r:
                    worst = {}
                    for path, ms in x["server"]:
                        key = "/tiles/…" if path.startswith("/tiles/") else path.split("?")[0]
                        worst[key] = max(ms, worst.get(key, 0))
                    for key, ms in worst.items():
                        slow.setdefault(key, []).append(ms)
                tiles = [len([1 for p, _ in x["server"] if p.startswith("/tiles/")]) for x in r]
                print(
                    f"    server time (median of the slowest of each kind per load): "
                    + ", ".join(
                        f"{k} {statistics.median(v):.0f} ms"
                        for k, v in sorted(slow.items(), key=lambda kv: -max(kv[1]))
                        if max(v) >= 5 or k == "/tiles/…"
                    )
                    + f"; tiles requested {statistics.median(tiles):.0f}"
                )
        if runs.get("memory"):
            print("  " + memory_line("server after the page loads", runs["memory"]) + " (MiB)")

    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1, default=str)
    return 3 if missed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, OSError, KeyError, ValueError) as e:
        print(f"serve_bench: {e}", file=sys.stderr)
        sys.exit(1)
    finally:
        for proc in Server.started:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
