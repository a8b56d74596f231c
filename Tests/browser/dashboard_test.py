#!/usr/bin/env python3
"""Real-browser acceptance test of the monitord dashboard (Python 3 stdlib + headless Chromium).

Starts the real monitord on a free port with a temporary config, puts traffic through the data plane
with curl, loads GET / in headless Chromium driven over the DevTools pipe, and asserts from the
rendered DOM. Run through Tests/browser/run.sh, which finds or installs Chromium and builds monitord.
"""
import argparse
import http.server
import io
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser, CDPError  # noqa: E402

TOKEN = "browser-test-token"
CARD_KEYS = ["memory_items", "disk_items", "hit_rate", "cache_size_mb", "expired_entries", "total_requests", "uptime_minutes"]


class Failure(Exception):
    pass


class Checks:
    def __init__(self):
        self.passed = 0

    def ok(self, condition, what, detail=""):
        if not condition:
            raise Failure(what + (": " + detail if detail else ""))
        self.passed += 1
        print("ok   %s%s" % (what, " (" + detail + ")" if detail else ""), flush=True)


# --- the page's number formatting, restated so the test checks what a reader sees ---
def fmt_int(v):
    return "{:,}".format(int(round(v))) if abs(v) < 1e7 else "%.1fM" % (v / 1e6)


def fmt_pct(f):
    return "%.1f%%" % (f * 100)


def fmt_mb(mb):
    if mb == 0:
        return "0 MB"
    if mb < 1:
        return "%.1f KB" % (mb * 1024)
    if mb < 10:
        return "%.2f MB" % mb
    if mb < 1000:
        return "%.1f MB" % mb
    return "{:,} MB".format(int(round(mb)))


def fmt_dur(minutes):
    s = math.floor(minutes * 60)
    if s < 60:
        return "%d s" % s
    m, h = s // 60, s // 3600
    d = h // 24
    if h < 1:
        return "%d min" % m
    if d < 1:
        return "%d h" % h + (" %d min" % (m % 60) if m % 60 else "")
    return "%d d" % d + (" %d h" % (h % 24) if h % 24 else "")


def performance_label(st):
    if not st["total_requests"]:
        return "No traffic"
    p = st["hit_rate"] * 100
    return "Excellent" if p >= 80 else "Good" if p >= 70 else "Low"


SHOWN = {
    "memory_items": fmt_int, "disk_items": fmt_int, "expired_entries": fmt_int, "total_requests": fmt_int,
    "hit_rate": fmt_pct, "cache_size_mb": fmt_mb, "uptime_minutes": fmt_dur,
}


# --- monitord ---
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def config_text(port, cache_dir, soak):
    return f"""monitord:
  log_level: warn
  history: 720
  shutdown_timeout: 2s
sources:
  cache:
    type: cache
    interval: 1s
    cache_dir: "{cache_dir}"
    max_memory_size: {40 if soak else 5}
    window: {"30s" if soak else "5m"}
    default_ttl: 3600
  store2:
    type: cache
    interval: 1s
    cache_dir: "{cache_dir}2"
    max_memory_size: 5
  internal:
    type: internal
    interval: 1s
  system:
    type: system
    interval: 1s
sinks:
  api:
    type: http
    host: 127.0.0.1
    port: {port}
    auth_token: "{TOKEN}"
    dashboard: true
  alerts:
    type: alerts
    rules:
      - name: CacheHasEntries
        metric: cache.disk_items
        above: 0
        severity: info
        summary: "The cache holds {{{{ value }}}} entries"
""" + ("" if not soak else """      - name: LowHitRate
        metric: cache.recent_hit_rate
        below: 0.70
        clear_above: 0.75
        for: 10s
        severity: warning
        summary: "Cache hit rate is {{ value }} (below {{ threshold }})"
""")


def http_json(url, method="GET", timeout=5):
    req = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


def curl(*args):
    """One data-plane request through curl; returns the HTTP status."""
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", *args],
                         capture_output=True, text=True)
    return int(out.stdout or 0)


def wait_until(fn, timeout, what):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = fn()
            if last:
                return last
        except (OSError, urllib.error.URLError, ValueError) as e:
            last = e
        time.sleep(0.1)
    raise Failure("timed out after %ss waiting for %s (last: %r)" % (timeout, what, last))


def traffic(base, soak=0):
    """Sets, memory hits, disk hits, misses and one expired entry through the data plane."""
    auth = ["-H", "Authorization: Bearer " + TOKEN]
    for i in range(1, 13):
        assert curl("-X", "PUT", *auth, "--data-binary", "value-%d-" % i + "x" * (300 * i), f"{base}/api/cache/entries/k{i:02}") == 200
    assert curl("-X", "PUT", *auth, "--data-binary", "short-lived", f"{base}/api/cache/entries/ephemeral?ttl=1") == 200
    statuses = [curl(f"{base}/api/cache/entries/k{i:02}") for i in (8, 9, 10, 11, 12, 1, 2, 3, 1, 8)]
    statuses += [curl(f"{base}/api/cache/entries/missing-{i}") for i in range(3)]
    time.sleep(1.2)  # let the 1 s TTL pass: this wait is the expiry itself, not synchronisation
    statuses.append(curl(f"{base}/api/cache/entries/ephemeral"))
    if statuses.count(200) != 10 or statuses.count(404) != 4:
        raise Failure("data plane answered %r (want 10 hits, 4 misses)" % statuses)
    # --soak: varied traffic for the screenshot, so the charts have a story to tell: a warm cache,
    # a cold spell of new keys (the hit rate dips), then recovery; some short TTLs expire on the way.
    start, end, n = time.monotonic(), time.monotonic() + soak, 13
    while time.monotonic() < end:
        phase = (time.monotonic() - start) / soak
        hit_share = 0.88 if phase < 0.35 else 0.45 if phase < 0.6 else 0.93
        for _ in range(3):
            n += 1
            ttl = "?ttl=4" if n % 5 == 0 else ""
            curl("-X", "PUT", *auth, "--data-binary", "v" * (2000 + 40 * n), f"{base}/api/cache/entries/s{n}{ttl}")
        for j in range(14):
            if (j * 7919 + n) % 100 < hit_share * 100:
                back = j % 6 if j % 3 else 30 + j * 5  # recent keys hit memory, older ones the disk
                key = f"s{max(14, n - back)}"
            else:
                key = f"nope-{n}-{j}"
            curl(f"{base}/api/cache/entries/{key}")
        time.sleep(0.4)


# --- media: an <audio> element playing a cached WAV ---
def sine_wav(seconds=2.0, rate=8000, hz=440):
    """A mono 16-bit PCM WAV of a sine tone, made with the wave module."""
    frames = bytearray()
    for i in range(int(seconds * rate)):
        frames += int(12000 * math.sin(2 * math.pi * hz * i / rate)).to_bytes(2, "little", signed=True)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))
    return out.getvalue()


def audio_check(c, browser, base):
    """PUTs a 2 s WAV with Content-Type: audio/wav, then loads a page holding
    <audio src=".../api/cache/entries/<key>" preload="auto"> and asserts from the DevTools Network
    events that every media request carried Range and was answered 206 with Content-Range, and
    from the element that it reached HAVE_METADATA with the WAV's duration.

    The page is served by a small server on another loopback port: every monitord response but the
    dashboard carries `Content-Security-Policy: sandbox; default-src 'none'` (so the media document
    Chromium makes for a direct navigation to the entry cannot load it), the dashboard's policy has
    no media-src (so an Audio element there is refused), and a data: or about:blank page may not
    reach a loopback address (local network access). A page of another origin embedding a cached
    clip is also how an application uses it."""
    wav = sine_wav()
    key = "media/tone-2s.wav"
    entry = base + "/api/cache/entries/" + urllib.parse.quote(key, safe="")
    req = urllib.request.Request(entry, data=wav, method="PUT",
                                 headers={"Content-Type": "audio/wav", "Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(req, timeout=10) as r:
        stored = json.loads(r.read())
    c.ok(stored.get("size") == len(wav), "PUT of a 2 s WAV with Content-Type: audio/wav", "%d bytes" % len(wav))

    page = ('<!doctype html><title>player</title><audio src="%s" preload="auto"></audio>' % entry).encode()

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        browser.call("Network.enable")
        browser.navigate("http://127.0.0.1:%d/player.html" % server.server_address[1])
        state = browser.wait_for("""(() => { const a = document.querySelector('audio');
            return (a.readyState >= 1 || a.error) && [a.readyState, a.duration, a.error && a.error.message]; })()""",
                                 15, "the <audio> element's metadata")

        def media_exchanges():
            """requestId -> {url, request headers, status, response headers}, lower-cased names, for the entry."""
            found = {}
            for e in list(browser.events):
                method, p = e.get("method"), e.get("params", {})
                if method == "Network.requestWillBeSent" and p.get("type") == "Media" and p["request"]["url"] == entry:
                    found.setdefault(p["requestId"], {}).update(url=p["request"]["url"])
                    found[p["requestId"]].setdefault("request", {}).update({k.lower(): v for k, v in p["request"]["headers"].items()})
            for e in list(browser.events):
                method, p = e.get("method"), e.get("params", {})
                x = found.get(p.get("requestId"))
                if x is None:
                    continue
                if method == "Network.requestWillBeSentExtraInfo":
                    x.setdefault("request", {}).update({k.lower(): v for k, v in p["headers"].items()})
                elif method == "Network.responseReceived":
                    x["status"] = p["response"]["status"]
                    x.setdefault("response", {}).update({k.lower(): v for k, v in p["response"]["headers"].items()})
                elif method == "Network.responseReceivedExtraInfo":
                    x["status"] = p.get("statusCode", x.get("status"))
                    x.setdefault("response", {}).update({k.lower(): v for k, v in p["headers"].items()})
            return found
        exchanges = wait_until(lambda: [x for x in media_exchanges().values() if "status" in x and "content-type" in x.get("response", {})] or None,
                               10, "the media request's response in the Network events")
        total = len(wav)
        bad = [x for x in exchanges if not re.fullmatch(r"bytes=\d*-\d*", x.get("request", {}).get("range", "")) or x["status"] != 206
               or not re.fullmatch(r"bytes \d+-\d+/%d" % total, x["response"].get("content-range", ""))]
        seen = "; ".join("Range %s -> %s Content-Range %s, %s" % (x["request"].get("range"), x["status"], x["response"].get("content-range"),
                                                                 x["response"].get("content-type")) for x in exchanges)
        c.ok(not bad, "Chromium's <audio> requests the entry with Range and gets 206 with Content-Range",
             "%d media request(s): %s" % (len(exchanges), seen))
        c.ok(all(x["response"].get("content-type") == "audio/wav" for x in exchanges), "the entry is served as the PUT's Content-Type",
             ", ".join(sorted({x["response"].get("content-type", "none") for x in exchanges})))
        c.ok(state[0] >= 1 and not state[2] and state[1] is not None and abs(state[1] - 2.0) < 0.1,
             "the <audio> element reaches HAVE_METADATA with the WAV's duration",
             "readyState %s, duration %s s%s" % (state[0], state[1], ", error " + state[2] if state[2] else ""))
    finally:
        try:
            browser.call("Network.disable")
        except CDPError:
            pass
        server.shutdown()
        server.server_close()


# --- the test ---
def run(args):
    c = Checks()
    work = tempfile.mkdtemp(prefix="monitord-browser-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cfg = os.path.join(work, "monitord.yaml")
    with open(cfg, "w") as f:
        # A small memory tier makes the test see LRU evictions and disk hits; the screenshot a longer story.
        f.write(config_text(port, os.path.join(work, "cache"), args.soak > 0))
    log = open(os.path.join(work, "monitord.log"), "w+")
    daemon = subprocess.Popen([args.monitord, "run", "-c", cfg], stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    browser = None
    try:
        wait_until(lambda: daemon.poll() is None and http_json(base + "/health")["status"], 30, "monitord /health")
        c.ok(True, "monitord started on " + base)

        with urllib.request.urlopen(base + "/", timeout=5) as r:
            page = r.read()
            ctype = r.headers.get("Content-Type", "")
            csp = r.headers.get("Content-Security-Policy", "")
        c.ok(ctype.startswith("text/html") and b"data-testid" in page, "GET / serves the dashboard", ctype)
        c.ok("script-src 'sha256-" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp,
             "the page has a strict Content-Security-Policy (hashes, no unsafe-inline)", csp)
        weight = len(page)
        c.ok(weight < 100_000, "page weight under 100 KB", "%d bytes" % weight)

        traffic(base, args.soak)
        stats = http_json(base + "/api/cache/stats")
        c.ok((stats["total_requests"] == 14 or args.soak > 0) and stats["sets"] >= 13, "traffic through the data plane with curl",
             "%d requests, %d sets, hit rate %s" % (stats["total_requests"], stats["sets"], fmt_pct(stats["hit_rate"])))
        want_total = stats["total_requests"]
        wait_until(lambda: sum(1 for s in http_json(base + "/api/cache/history?limit=720")["samples"]
                               if s["fields"]["total_requests"] == want_total) >= 2, 20, "two samples after the traffic")

        browser = Browser(args.browser, 1280, 1000)
        browser.viewport(1280, 1000)
        # Every CSP violation the page reports, from before its first script runs.
        browser.call("Page.addScriptToEvaluateOnNewDocument", {"source": """window.__csp = [];
            document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || e.sample)));"""})
        t0 = time.monotonic()
        browser.navigate(base + "/")
        browser.wait_for("document.body.dataset.ready === 'true'", 10, "the first stats to render")
        ready_s = time.monotonic() - t0
        timing = browser.eval("""(() => { const p = performance.getEntriesByName('first-contentful-paint')[0];
            const d = performance.getEntriesByName('monitord-first-data')[0];
            const n = performance.getEntriesByType('navigation')[0];
            const api = performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/') && !r.name.includes('/api/events'));
            return { fcp: p ? p.startTime : null, data: d ? d.startTime : null, doc: n ? n.encodedBodySize : null,
                     api: api.reduce((a, r) => a + r.encodedBodySize, 0) }; })()""")
        c.ok(timing["fcp"] is not None and timing["fcp"] < 1000, "first render under 1 s on loopback",
             "first contentful paint %.0f ms, cards filled %.0f ms" % (timing["fcp"] or -1, timing["data"] or -1))

        # Charts: every one has drawn a line through the history.
        for name in ("items", "hit_rate", "size"):
            n = browser.wait_for(f"""(() => {{ const h = document.querySelector('[data-testid=chart-{name}]');
                const l = h && h.querySelector('path.line');
                return h && +h.dataset.points >= 2 && l && /L/.test(l.getAttribute('d')) ? +h.dataset.points : 0; }})()""",
                                 10, f"chart {name} to draw points")
            c.ok(True, f"chart '{name}' drew its points", "%d points" % n)
        legend = browser.eval("document.querySelector('#chart-items').closest('section').querySelector('.legend').textContent")
        c.ok("Memory" in legend and "Disk" in legend, "items chart has a memory/disk legend", legend.strip())

        # Cards: the numbers /api/cache/stats returns, as a reader sees them.
        cards = browser.eval("""Object.fromEntries([...document.querySelectorAll('[data-testid^=card-]')].map((e) =>
            [e.dataset.testid.slice(5), { value: e.dataset.value, text: e.querySelector('.v').textContent }]))""")
        stats = http_json(base + "/api/cache/stats")
        for key in CARD_KEYS:
            got, want = cards[key], stats[key]
            raw = float(got["value"])
            close = abs(raw - want) < 0.05 if key == "uptime_minutes" else abs(raw - want) < 1e-9 * max(1, abs(want))
            c.ok(close, f"card {key} shows the API's value", f"{got['text']!r} = {raw} vs API {want}")
            c.ok(got["text"] == SHOWN[key](raw), f"card {key} is formatted", repr(got["text"]))
        label = performance_label(stats)
        c.ok(cards["performance"]["value"] == label and label in cards["performance"]["text"], "performance label",
             "%s at %s" % (label, fmt_pct(stats["hit_rate"])))

        # Raw JSON view: collapsed by default, the stats object when opened.
        raw = browser.eval("""(() => { const d = document.querySelector('[data-testid=raw-json]'); const was = d.open;
            d.open = true; return { was, text: document.getElementById('raw').textContent }; })()""")
        parsed = json.loads(raw["text"])
        c.ok(not raw["was"] and parsed["disk_items"] == stats["disk_items"] and parsed["cache_dir"] == stats["cache_dir"],
             "raw JSON view is collapsible and holds the stats", "%d keys" % len(parsed))

        # Alerts: the rule fires on a non-empty cache (from /api/alerts or the live `alert` event).
        browser.wait_for("!!document.querySelector('[data-testid=alert][data-alertname=CacheHasEntries][data-state=firing]')",
                         15, "the CacheHasEntries alert to show as firing")
        c.ok(True, "firing alert listed", browser.eval("document.querySelector('[data-testid=alert]').textContent"))

        # Value under the pointer.
        box = browser.eval("(() => { const r = document.getElementById('chart-items').getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })()")
        browser.hover(box[0] + box[2] * 0.75, box[1] + box[3] / 2)
        tip = browser.wait_for("(() => { const t = document.querySelector('#chart-items .tip'); return t && !t.hidden && t.textContent; })()",
                               5, "the chart tooltip")
        c.ok("Memory" in tip and "Disk" in tip and "items" in tip, "pointer shows the values under it", tip)
        browser.wait_for("document.querySelectorAll('[data-testid=alert]').length > 0", 5, "alerts still listed")
        c.ok(browser.eval("document.querySelector('[data-testid=auto-refresh]').value") == "30", "auto-refresh defaults to 30 s")

        if args.screenshot:
            browser.eval("window.scrollTo(0, 0)")
            time.sleep(0.3)  # one frame for the hover state to paint; the screenshot is not an assertion
            browser.screenshot(args.screenshot)
            print("      screenshot written to " + args.screenshot)

        # Phone width: nothing wider than the screen.
        browser.viewport(390, 844, mobile=True)
        # A page wider than the screen widens the mobile layout viewport, so innerWidth tells too.
        widths = browser.wait_for("screen.width === 390 && [innerWidth, document.documentElement.scrollWidth]", 5, "the phone viewport")
        c.ok(max(widths) <= 390, "readable at phone width (no horizontal scroll)", "layout %d px, content %d px on a 390 px screen" % tuple(widths))
        browser.viewport(1280, 1000)

        # An unknown ?source= is an error in the footer (the API's 404), not another source's figures.
        browser.navigate(base + "/?source=nosuch")
        footer = browser.wait_for("(() => { const t = document.querySelector('[data-testid=updated]').textContent; return /^Error: /.test(t) && t; })()",
                                  10, "the footer to show the unknown source's error")
        cards = browser.eval("(() => { const c = document.querySelector('[data-testid=card-disk_items]'); return c ? c.dataset.value : ''; })()")
        c.ok('no source named "nosuch"' in footer and not cards, "?source=nosuch shows the 404 in the footer and no cards", footer)
        browser.navigate(base + "/")
        browser.wait_for("document.body.dataset.ready === 'true'", 10, "the page to load its default source again")

        # Clear: confirmation, then 401, then the token prompt, then the cleared counts.
        before = http_json(base + "/api/cache/stats")
        browser.eval("document.querySelector('[data-testid=clear]').click()")
        browser.wait_for("document.getElementById('dlg').open && /deletes every entry/.test(document.getElementById('dlg').textContent)", 5, "the confirmation dialog")
        c.ok(http_json(base + "/api/cache/stats")["disk_items"] == before["disk_items"], "nothing cleared before confirming")
        browser.eval("document.querySelector('#dlg-acts .danger').click()")
        browser.wait_for("!!document.getElementById('tok')", 5, "the API token prompt after 401")
        c.ok(True, "401 asks for the API token")
        browser.eval("document.getElementById('tok').focus()")
        browser.type_text(TOKEN)
        browser.eval("document.querySelector('#dlg-acts .danger').click()")
        result = browser.wait_for("""(() => { const r = document.querySelector('[data-testid=clear-result]');
            return r && [+r.getAttribute('data-removed-memory_items'), +r.getAttribute('data-removed-disk_items'), r.textContent]; })()""",
                                  5, "the cleared counts")
        c.ok(result[:2] == [before["memory_items"], before["disk_items"]] and fmt_int(before["disk_items"]) in result[2],
             "dialog shows the cleared counts", result[2])
        storage = browser.eval("[sessionStorage.getItem('monitord.apiToken'), JSON.stringify(localStorage).includes('%s')]" % TOKEN)
        c.ok(storage[0] == TOKEN and not storage[1], "token kept in sessionStorage only")
        browser.eval("document.getElementById('dlg').close()")
        browser.wait_for("document.querySelector('[data-testid=card-disk_items]').dataset.value === '0'", 10, "cards to show the empty cache")
        browser.wait_for("!document.querySelector('[data-testid=alert][data-alertname=CacheHasEntries]')", 15, "the alert to resolve live")
        c.ok(True, "cards and alerts follow the clear", "disk_items 0, CacheHasEntries resolved")
        c.ok(browser.eval("document.getElementById('banner').hidden"), "no disconnected banner while the API answers")

        # The page did all of the above under its CSP without one violation; a script it did not ship is refused.
        violations = browser.eval("window.__csp")
        c.ok(violations == [], "no CSP violation while the page ran", "; ".join(violations or []))
        browser.eval("(() => { const s = document.createElement('script'); s.textContent = 'window.__injected = true'; document.body.appendChild(s); })()")
        refused = browser.wait_for("window.__csp.length > 0 && window.__csp", 5, "the injected script's CSP violation")
        c.ok(browser.eval("window.__injected === undefined"), "an injected inline script does not run", refused[0])

        # A stored page opened in the dashboard's tab is a download, not a document on its origin.
        stored = "<script>document.title = 'stored script ran'; sessionStorage.clear()</script>"
        status = curl("-X", "PUT", "-H", "Authorization: Bearer " + TOKEN, "-H", "X-Meta-Content-Type: text/html",
                      "--data-binary", stored, base + "/api/cache/entries/stored-page")
        nav = browser.call("Page.navigate", {"url": base + "/api/cache/entries/stored-page"})
        where = browser.eval("[location.pathname, document.title, sessionStorage.getItem('monitord.apiToken')]")
        c.ok(status == 200 and nav.get("errorText") and where == ["/", "monitord · cache dashboard", TOKEN],
             "a stored HTML entry opened in the tab does not load or run", "%s; tab still on %s" % (nav.get("errorText"), where[0]))

        # A second source with descriptors: its own cards, titles in the same order, and charts.
        auth = ["-H", "Authorization: Bearer " + TOKEN]
        for i in range(3):
            assert curl("-X", "PUT", *auth, "--data-binary", "second-%d" % i, f"{base}/api/store2/entries/s{i}") == 200
        c.ok(curl(f"{base}/api/store2/entries/s0") == 200 and curl(f"{base}/api/store2/entries/nope") == 404, "traffic through the second source")
        wait_until(lambda: http_json(base + "/api/store2/history?limit=720")["samples"][-1]["fields"]["total_requests"] == 2, 20,
                   "a sample of the second source after its traffic")
        browser.navigate(base + "/?source=store2")
        browser.wait_for("document.body.dataset.ready === 'true'", 10, "the second source's stats to render")
        second = browser.wait_for("""(() => { const c = document.querySelector('[data-testid=card-disk_items]');
            return c && c.dataset.value === '3' && [...document.querySelectorAll('[data-testid^=card-]')].map((e) =>
                [e.dataset.testid.slice(5), e.querySelector('h3').textContent, e.querySelector('.v').textContent]); })()""", 10, "the second source's cards")
        titles = [t for _, t, _ in second]
        c.ok([k for k, _, _ in second] == CARD_KEYS + ["performance"] and titles[:3] == ["Memory items", "Disk items", "Hit rate"],
             "the second source renders its own cards from its descriptors", "; ".join("%s %s" % (t, v) for _, t, v in second))
        s2 = http_json(base + "/api/store2/stats")
        c.ok(dict((k, v) for k, _, v in second)["hit_rate"] == fmt_pct(s2["hit_rate"]), "its hit rate card shows its own figure", fmt_pct(s2["hit_rate"]))
        n = browser.wait_for("(() => { const h = document.querySelector('[data-testid=chart-items]'); return h && +h.dataset.points >= 2 ? +h.dataset.points : 0; })()",
                             10, "the second source's items chart")
        c.ok(browser.eval("document.getElementById('source').value") == "store2", "the picker shows the second source", "items chart %d points" % n)
        # A source that declares no fields: its scalar fields as generic cards, no charts.
        browser.navigate(base + "/?source=internal")
        generic = browser.wait_for("""(() => { const c = document.querySelector('[data-testid=card-events_published]');
            return c && +c.dataset.value > 0 && [c.querySelector('h3').textContent, document.querySelectorAll('.plot').length,
                document.querySelector('[data-testid=clear]').hidden]; })()""", 10, "the internal source's generic cards")
        c.ok(generic == ["Events published", 0, True], "a source without descriptors shows its scalar fields as cards",
             "%s, %d charts, clear hidden: %s" % tuple(generic))

        # Pages left close their event stream: a browser opens at most 6 connections to a host, and
        # streams kept open by pages gone would leave none for the page after them.
        for _ in range(7):
            browser.navigate(base + "/?source=cache")
            browser.wait_for("document.body.dataset.ready === 'true'", 10, "the page after reloads")
        # The system source: no line of the page names it, yet its declared cards and charts render.
        browser.navigate(base + "/?source=system")
        sysc = browser.wait_for("""(() => { const c = document.querySelector('[data-testid=card-resident_memory_bytes]');
            const f = document.querySelector('[data-testid=card-cache_fs_free_ratio]');
            return c && f && +c.dataset.value > 0 && [c.querySelector('h3').textContent, c.querySelector('.v').textContent,
                f.querySelector('h3').textContent, f.querySelector('.v').textContent, document.querySelectorAll('.plot').length]; })()""",
                                 10, "the system source's cards after 7 reloads")
        sys_stats = http_json(base + "/api/system/stats")
        c.ok(sysc[0] == "Resident memory" and sysc[2] == "Free on cache" and sysc[3].endswith("%") and sysc[4] >= 1,
             "after 7 reloads the system source renders its declared cards and charts",
             "%s %s, %s %s (API %.1f%%), %d charts" % (sysc[0], sysc[1], sysc[2], sysc[3], 100 * sys_stats["cache_fs_free_ratio"], sysc[4]))

        # Media: a cached WAV in an <audio> element, fetched with Range requests (206).
        audio_check(c, browser, base)
        browser.navigate(base + "/")
        browser.wait_for("document.body.dataset.ready === 'true'", 10, "the dashboard again after the media page")

        # Disconnect: stop monitord, the banner shows.
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=15)
        t_stop = time.monotonic()
        browser.wait_for("!document.querySelector('[data-testid=banner-disconnected]').hidden", 10, "the disconnected banner")
        text = browser.eval("document.querySelector('[data-testid=banner-disconnected]').textContent")
        state = browser.eval("document.querySelector('[data-testid=connection]').dataset.state")
        c.ok("API disconnected" in text and state == "disconnected", "banner shown after monitord stopped",
             "after %.1f s: %s" % (time.monotonic() - t_stop, text.strip()))

        print("\npage weight: %d bytes (%.1f KB), no other assets; initial API JSON %.1f KB" % (weight, weight / 1024, timing["api"] / 1024))
        print("first render: first contentful paint %.0f ms, cards filled %.0f ms after navigation start; ready seen by the driver after %.0f ms"
              % (timing["fcp"], timing["data"], ready_s * 1000))
        print("PASS: %d checks" % c.passed)
        return 0
    except (Failure, CDPError, AssertionError, OSError, KeyError, ValueError) as e:
        print("FAIL %s" % (e or type(e).__name__), flush=True)
        log.flush()
        log.seek(0)
        tail = log.read()[-3000:]
        if tail:
            print("--- monitord output (tail) ---\n" + tail)
        return 1
    finally:
        if browser:
            browser.close()
        if daemon.poll() is None:
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(timeout=10)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--monitord", required=True, help="the monitord binary")
    p.add_argument("--browser", required=True, help="chromium or chromium-headless-shell")
    p.add_argument("--screenshot", help="write a 1280x1000 PNG of the page with live data here")
    p.add_argument("--soak", type=float, default=0, help="seconds of extra varied traffic before the page loads (for screenshots)")
    # SIGTERM/SIGINT (a CI timeout, Ctrl-C) unwind through run()'s cleanup: nothing is left running.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda number, _frame: sys.exit(128 + number))
    return run(p.parse_args())


if __name__ == "__main__":
    sys.exit(main())
