#!/usr/bin/env python3
"""Hot reload, end to end against the real binary.

One monitord runs a cache, an HTTP API, a file log sink and an alert rule. The check then:
  1. writes a broken file and sends SIGHUP: nothing changes, the daemon keeps serving, and
     /health and /metrics say the reload failed, with the error's file:line:column;
  2. fixes it and adds a source: the new source appears, the cache's memory tier stays warm
     (X-Cache: memory), the firing alert keeps firing without a new transition;
  3. moves the API to another port through POST /api/reload (401 without the token) while a
     PUT is in flight on the old port: the PUT completes and its entry is there on the new port;
  4. removes the added source; `monitord reload -c FILE` applies a change;
  5. SIGUSR1 reopens the log file after a logrotate-style rename.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Reporter, free_port  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("MONITORD_BINARY", os.path.join(ROOT, ".build/debug/monitord"))
TOKEN = "reload-e2e-token"
WORK = tempfile.mkdtemp(prefix="monitord-reload-e2e.")
CONFIG = os.path.join(WORK, "monitord.yaml")
LOG = os.path.join(WORK, "events.log")
ERR = os.path.join(WORK, "monitord.err")
daemon = None


REPORT = Reporter("reload-e2e", ERR, tail=40)
ok, fail = REPORT.ok, REPORT.fail


def wait_until(what, condition, seconds=30):
    REPORT.wait_until(what, condition, seconds, tolerate=(OSError, urllib.error.URLError, ValueError))



def request(port, method, path, body=None, token=True, headers=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {TOKEN}")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def health(port):
    return json.loads(request(port, "GET", "/health")[2])


def metric(port, name):
    for line in request(port, "GET", "/metrics")[2].decode().splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return None


def write_config(port, extra_source="", log_level="info", sink_extra="", memory_items=100):
    with open(CONFIG, "w") as f:
        f.write(f"""monitord:
  log_level: {log_level}
  shutdown_timeout: 5s
sources:
  cache:
    type: cache
    interval: 200ms
    cache_dir: {WORK}/cache
    max_memory_size: {memory_items}
{extra_source}sinks:
  api:
    type: http
    host: 127.0.0.1
    port: {port}
    auth_token: {TOKEN}
{sink_extra}  events:
    type: log
    path: {LOG}
  alerts:
    type: alerts
    rules:
      - name: AlwaysItems
        metric: cache.disk_items
        above: 0
        for: 1s
        summary: "the cache holds {{{{ value }}}} entries"
""")


def alert_lines():
    """The alert sink's log lines about the rule's transitions (inactive -> pending -> firing)."""
    return [line for line in open(ERR) if "alert AlwaysItems" in line]


def main():
    global daemon
    port1, port2 = free_port(), free_port()
    write_config(port1)
    daemon = subprocess.Popen([BIN, "run", "-c", CONFIG], stdout=subprocess.DEVNULL, stderr=open(ERR, "w"), cwd=WORK)
    wait_until("monitord to answer /health", lambda: health(port1)["status"] == "healthy")

    status, _, _ = request(port1, "PUT", "/api/cache/entries/warm", b"kept across reloads")
    if status not in (200, 201):
        fail(f"PUT answered {status}")
    _, headers, body = request(port1, "GET", "/api/cache/entries/warm")
    if headers.get("X-Cache") != "memory" or body != b"kept across reloads":
        fail(f"the first GET was not a memory hit: {headers.get('X-Cache')} {body!r}")
    wait_until("the alert to fire", lambda: any(a.get("labels", {}).get("alertname") == "AlwaysItems" and a.get("state") == "firing"
                                                for a in json.loads(request(port1, "GET", "/api/alerts")[2])["alerts"]))
    wait_until("the firing transition in the log", lambda: any("-> firing" in line for line in alert_lines()))
    transitions_before = len(alert_lines())

    # 1. A broken file changes nothing.
    good = open(CONFIG).read()
    with open(CONFIG, "w") as f:
        f.write(good.replace("    max_memory_size: 100\n", "    max_memory_size: 100\n    max_memroy_bytes: 1MiB\n"))
    before = health(port1)["config"]["last_success_timestamp"]
    daemon.send_signal(signal.SIGHUP)
    wait_until("/health to report the failed reload", lambda: health(port1)["config"]["last_reload_successful"] is False)
    report = health(port1)["config"]
    if not any(f"{CONFIG}:10:5" in e and "max_memroy_bytes" in e for e in report.get("errors", [])):
        fail(f"the error does not name file:line:column: {report}")
    if report["last_success_timestamp"] != before:
        fail("a failed reload moved the time of the last good load")
    if metric(port1, "monitord_config_last_reload_successful") != 0:
        fail("/metrics does not show the failed reload")
    if daemon.poll() is not None:
        fail("SIGHUP ended the daemon")
    if "max_memroy_bytes" not in open(ERR).read():
        fail("the error was not logged")
    _, headers, _ = request(port1, "GET", "/api/cache/entries/warm")
    if headers.get("X-Cache") != "memory":
        fail("a refused reload cooled the cache")
    ok(f"a broken file changes nothing; /health names {CONFIG}:10:5, /metrics says 0, the daemon serves on")

    # 2. Fixed, with a source more, another log level and new cache limits.
    write_config(port1, extra_source="  pipeline:\n    type: internal\n    interval: 1s\n", log_level="debug", memory_items=50)
    daemon.send_signal(signal.SIGHUP)
    wait_until("the reload to succeed", lambda: health(port1)["config"]["last_reload_successful"] is True)
    if "updated sources.cache" not in open(ERR).read() and "updated monitord.log_level, sources.cache" not in open(ERR).read():
        fail("the cache's new limits were not taken in place")
    if json.loads(request(port1, "GET", "/api/cache/stats")[2]).get("max_memory_size") != 50:
        fail("the cache does not report its new max_memory_size")
    sources = [s["id"] for s in json.loads(request(port1, "GET", "/api/sources")[2])["sources"]]
    if sources != ["cache", "pipeline"]:
        fail(f"sources after adding one: {sources}")
    if metric(port1, "monitord_config_last_reload_successful") != 1:
        fail("/metrics does not show the good reload")
    if metric(port1, "monitord_config_last_reload_success_timestamp_seconds") <= before:
        fail("the time of the last good load did not move")
    _, headers, _ = request(port1, "GET", "/api/cache/entries/warm")
    if headers.get("X-Cache") != "memory":
        fail(f"the cache's memory tier did not survive a reload that left it alone: {headers.get('X-Cache')}")
    alerts = json.loads(request(port1, "GET", "/api/alerts")[2])["alerts"]
    if not any(a.get("labels", {}).get("alertname") == "AlwaysItems" and a.get("state") == "firing" for a in alerts):
        fail(f"the firing alert was lost: {alerts}")
    # The rule sees a cache sample every 200 ms: let a few more through before counting transitions.
    def last_sample():
        return next(s for s in json.loads(request(port1, "GET", "/api/sources")[2])["sources"] if s["id"] == "cache")["last_sample"]
    seen = last_sample()
    wait_until("more cache samples", lambda: last_sample() >= seen + 0.5)
    if len(alert_lines()) != transitions_before:
        fail("the unchanged alert rule went through its states again")
    ok("a valid file adds a source, changes the log level and the cache's limits in place; the cache stays warm (X-Cache: memory), the alert stays firing")

    # 3a. The API changes on its own port, asked through itself: it answers, and serves on.
    write_config(port1, extra_source="  pipeline:\n    type: internal\n    interval: 1s\n", sink_extra="    max_body_size: 2MiB\n", memory_items=50)
    status, _, body = request(port1, "POST", "/api/reload")
    if status != 200 or {"component": "sinks.api", "action": "rebuilt"} not in json.loads(body)["changes"]:
        fail(f"a reload of the API through itself answered {status}: {body!r}")
    status, _, _ = request(port1, "PUT", "/api/cache/entries/big", b"x" * (3 << 20))
    if status != 413:
        fail(f"the API did not take its new max_body_size (a 3 MiB PUT answered {status})")
    ok("the API rebuilt on its own port through its own POST /api/reload, with the new max_body_size")

    # 3b. The API moves to another port while a PUT is in flight on the old one.
    write_config(port2, extra_source="  pipeline:\n    type: internal\n    interval: 1s\n", memory_items=50)
    status, _, _ = request(port1, "POST", "/api/reload", token=False)
    if status != 401:
        fail(f"POST /api/reload without the token answered {status}")
    slow = socket.create_connection(("127.0.0.1", port1))
    slow.sendall(f"PUT /api/cache/entries/inflight HTTP/1.1\r\nHost: 127.0.0.1:{port1}\r\nAuthorization: Bearer {TOKEN}\r\n"
                 "Content-Length: 10\r\n\r\nhalf-".encode())
    status, _, body = request(port1, "POST", "/api/reload")
    outcome = json.loads(body)
    if status != 200 or {"component": "sinks.api", "action": "rebuilt"} not in outcome["changes"]:
        fail(f"POST /api/reload answered {status}: {outcome}")
    if health(port2)["status"] != "healthy":
        fail("the API does not answer on its new port")
    slow.sendall(b"sent!")
    answer = slow.recv(4096).decode()
    slow.close()
    if not answer.startswith("HTTP/1.1 20"):
        fail(f"the PUT in flight during the move was not completed: {answer[:80]!r}")
    _, _, body = request(port2, "GET", "/api/cache/entries/inflight")
    if body != b"half-sent!":
        fail(f"the entry put during the move reads {body!r}")
    try:
        socket.create_connection(("127.0.0.1", port1), timeout=1).close()
        fail("the old port still accepts connections")
    except ConnectionRefusedError:
        pass
    ok(f"the API moved from {port1} to {port2}; a PUT in flight on the old port completed; the old port is closed")

    # 4. The added source goes; `monitord reload` applies it.
    write_config(port2, memory_items=50)
    result = subprocess.run([BIN, "reload", "-c", CONFIG], capture_output=True, text=True, timeout=30)
    if result.returncode != 0 or "removed sources.pipeline" not in result.stdout:
        fail(f"monitord reload exited {result.returncode}: {result.stdout} {result.stderr}")
    sources = [s["id"] for s in json.loads(request(port2, "GET", "/api/sources")[2])["sources"]]
    if sources != ["cache"] or "pipeline" in health(port2)["components"]:
        fail(f"the removed source is still there: {sources}")
    _, headers, _ = request(port2, "GET", "/api/cache/entries/warm")
    if headers.get("X-Cache") != "memory":
        fail("the cache cooled down across reloads")
    ok("`monitord reload` removed the source; the cache is still warm after four reloads")

    # 5. SIGUSR1 reopens the log file.
    os.rename(LOG, LOG + ".1")
    daemon.send_signal(signal.SIGUSR1)
    wait_until("a new log file", lambda: os.path.exists(LOG) and os.path.getsize(LOG) > 0)
    if daemon.poll() is not None:
        fail("SIGUSR1 ended the daemon")
    ok("SIGUSR1 reopened the log file after a rename")

    daemon.send_signal(signal.SIGTERM)
    if daemon.wait(timeout=30) != 0:
        fail(f"monitord exited {daemon.returncode} on SIGTERM")
    daemon = None
    ok("monitord stopped cleanly")


if __name__ == "__main__":
    try:
        main()
    finally:
        if daemon is not None and daemon.poll() is None:
            daemon.kill()
            daemon.wait()
        shutil.rmtree(WORK, ignore_errors=True)
