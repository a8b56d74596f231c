#!/usr/bin/env python3
"""Media-sized values through the cache's HTTP data plane, end to end against the real binary.

One monitord (cache_dir in a scratch directory, max_body_size 80MiB, max_disk_size 4GiB, the
default max_memory_value_size of 8MiB) on a free loopback port. The check then:
  1. 32 clients PUT distinct 64 MiB values at once (half with Content-Length, half chunked), each
     made from a seeded PRNG in 1 MiB pieces so that the client holds none of them whole; then 32
     clients GET them at once, streaming, and compare SHA-256. The daemon's VmHWM stays under
     300 MiB throughout (bodies go to disk as they arrive, reads stream from the file);
  2. a PUT that announces Content-Length: N and disconnects after N/2 bytes (FIN, and RST), and a
     chunked PUT closed before its last chunk, leave no `.tmp` file under cache_dir, no entry
     (404) and no `sets` counted;
  3. GET headers (Content-Length, the PUT's Content-Type, X-Cache, ETag, Last-Modified,
     Accept-Ranges, Cache-Control, X-Meta-*), If-None-Match / If-Modified-Since (304), HEAD,
     Range (206, clamped, 416, ignored when malformed or multiple) and If-Range, on a value the
     memory tier serves and one over max_memory_value_size that the disk serves; Ranges with curl;
  4. a chunked PUT that runs past max_body_size gets 413 with the JSON error and leaves nothing;
     a Content-Length over the limit gets 413 before any of the body is sent.
Env: MONITORD_BIN (default .build/debug/monitord), MEDIA_E2E_CLIENTS (32), MEDIA_E2E_MIB (64),
KEEP_WORK=1 to keep the scratch directory, MEDIA_E2E_KEEP_GOING=1 to run every part after a
failure (and fail at the end). `--only 2,3` runs some of the checks.
"""
import argparse
import concurrent.futures
import email.utils
import hashlib
import json
import os
import random
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in .ci
from e2e_support import Reporter, free_port  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("MONITORD_BIN") or os.environ.get("MONITORD_BINARY") or os.path.join(ROOT, ".build/debug/monitord")
BIN = BIN if os.path.isabs(BIN) else os.path.join(ROOT, BIN)
CLIENTS = int(os.environ.get("MEDIA_E2E_CLIENTS", "32"))
MIB = 1 << 20
BIG = int(os.environ.get("MEDIA_E2E_MIB", "64")) * MIB
HWM_LIMIT = 300 * MIB
MAX_BODY = 80 * MIB
WORK = tempfile.mkdtemp(prefix="monitord-media-e2e.")
CACHE_DIR = os.path.join(WORK, "cache")
CONFIG = os.path.join(WORK, "monitord.yaml")
ERR = os.path.join(WORK, "monitord.err")
ETAG = re.compile(r'^"[0-9a-f]{16}"$')
daemon = None
port = None

REPORT = Reporter("media-e2e", ERR, tail=40)
ok, fail = REPORT.ok, REPORT.fail


KEEP_GOING = bool(os.environ.get("MEDIA_E2E_KEEP_GOING"))
FAILED = []


def step(fn, *args):
    """Runs one part of a check; with MEDIA_E2E_KEEP_GOING=1 a failure is counted and the next part runs."""
    try:
        try:
            return fn(*args)
        except (requests.RequestException, OSError, ValueError, KeyError, TypeError, threading.BrokenBarrierError) as error:
            fail(f"{fn.__name__}: {type(error).__name__}: {error}"
                 + (f" (monitord exited {daemon.returncode})" if daemon is not None and daemon.poll() is not None else ""))
    except SystemExit:
        if not KEEP_GOING:
            raise
        FAILED.append(fn.__name__ + (f"({args[0]})" if args else ""))


def note(message):
    """Something outside the contract this check enforces, worth a look."""
    print(f"media-e2e: note: {message}")


def wait_until(what, condition, seconds=30):
    REPORT.wait_until(what, condition, seconds, tolerate=(OSError, requests.RequestException, ValueError, KeyError))


def url(key):
    return f"http://127.0.0.1:{port}/api/cache/entries/{key}"


def stats():
    return requests.get(f"http://127.0.0.1:{port}/api/cache/stats", timeout=10).json()


def mib(n):
    return f"{n / MIB:.1f} MiB"


# --- values: made from a seeded PRNG in pieces, never held whole ------------------------------

def pieces(seed, size, piece=MIB):
    rng = random.Random(seed)
    left = size
    while left:
        n = min(piece, left)
        yield rng.randbytes(n)
        left -= n


def value(seed, size):
    """A small value whole (for the header checks)."""
    return b"".join(pieces(seed, size))


class Stream:
    """A request body of `size` PRNG bytes: `read` (requests sends Content-Length, from len())
    or `chunked()` (a generator: requests sends Transfer-Encoding: chunked). Hashes what it sends."""

    def __init__(self, seed, size):
        self.size, self.sent, self.sha = size, 0, hashlib.sha256()
        self._pieces, self._buf, self._pos = pieces(seed, size), b"", 0

    def __len__(self):
        return self.size

    def _next(self):
        self._buf, self._pos = next(self._pieces, b""), 0
        self.sha.update(self._buf)

    def read(self, n=-1):
        if self._pos >= len(self._buf):
            self._next()
        if n is None or n < 0:
            n = len(self._buf) - self._pos
        out = self._buf[self._pos:self._pos + n]
        self._pos += len(out)
        self.sent += len(out)
        return out

    def chunked(self):
        while True:
            self._next()
            if not self._buf:
                return
            self.sent += len(self._buf)
            yield self._buf


# --- the daemon's memory and its temporary files ------------------------------------------------

def proc_status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(rest.split()[0]) * 1024
    return fields


def tmp_files(top=CACHE_DIR):
    """Every file whose name ends in .tmp under `top`, with its size."""
    found = {}
    for directory, _, files in os.walk(top):
        for name in files:
            if name.endswith(".tmp"):
                full = os.path.join(directory, name)
                try:
                    found[full] = os.stat(full).st_size
                except FileNotFoundError:
                    pass
    return found


class Sampler(threading.Thread):
    """Reads VmRSS/VmHWM every 50 ms, and (when asked) how many .tmp files exist and how large."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_rss, self.hwm, self.stop = pid, 0, 0, threading.Event()
        self.watch_tmp, self.max_tmp_files, self.max_tmp_bytes = False, 0, 0

    def run(self):
        while not self.stop.is_set():
            try:
                status = proc_status(self.pid)
                self.peak_rss = max(self.peak_rss, status["VmRSS"])
                self.hwm = max(self.hwm, status["VmHWM"])
            except (OSError, KeyError):
                pass
            if self.watch_tmp:
                tmps = tmp_files()
                self.max_tmp_files = max(self.max_tmp_files, len(tmps))
                self.max_tmp_bytes = max([self.max_tmp_bytes, *tmps.values()])
            self.stop.wait(0.05)


# --- XXH64, to say whether the ETag is the value's checksum (a note, not a requirement) --------

P1, P2, P3, P4, P5 = 11400714785074694791, 14029467366897019727, 1609587929392839161, 9650029242287828579, 2870177450012600261
M64 = (1 << 64) - 1


def _rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & M64


def _round(acc, lane):
    return (_rotl((acc + lane * P2) & M64, 31) * P1) & M64


def xxh64(data, seed=0):
    n, i = len(data), 0
    if n >= 32:
        v = [(seed + P1 + P2) & M64, (seed + P2) & M64, seed, (seed - P1) & M64]
        while i + 32 <= n:
            for j in range(4):
                v[j] = _round(v[j], struct.unpack_from("<Q", data, i + 8 * j)[0])
            i += 32
        h = (_rotl(v[0], 1) + _rotl(v[1], 7) + _rotl(v[2], 12) + _rotl(v[3], 18)) & M64
        for lane in v:
            h = ((h ^ _round(0, lane)) * P1 + P4) & M64
    else:
        h = (seed + P5) & M64
    h = (h + n) & M64
    while i + 8 <= n:
        h = (_rotl(h ^ _round(0, struct.unpack_from("<Q", data, i)[0]), 27) * P1 + P4) & M64
        i += 8
    if i + 4 <= n:
        h = (_rotl(h ^ (struct.unpack_from("<I", data, i)[0] * P1) & M64, 23) * P2 + P3) & M64
        i += 4
    while i < n:
        h = (_rotl(h ^ (data[i] * P5) & M64, 11) * P1) & M64
        i += 1
    h = ((h ^ (h >> 33)) * P2) & M64
    h = ((h ^ (h >> 29)) * P3) & M64
    return h ^ (h >> 32)


# --- raw HTTP, for what a library hides ---------------------------------------------------------

def read_response(sock, deadline=30):
    """Reads one response (head and a Content-Length body) from `sock`: (status, headers, body)."""
    sock.settimeout(deadline)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"connection closed before a response head ({data[:200]!r})")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, val = line.partition(":")
        headers[name.strip().lower()] = val.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return int(lines[0].split()[1]), headers, body[:length]


def connect():
    return socket.create_connection(("127.0.0.1", port), timeout=30)


# --- 1. concurrency and memory ------------------------------------------------------------------

def check_concurrent(sampler):
    before = proc_status(daemon.pid)
    sets = stats()["sets"]
    barrier = threading.Barrier(CLIENTS)

    def put(i):
        body = Stream(1000 + i, BIG)
        barrier.wait(60)
        started = time.monotonic()
        response = requests.put(url(f"media-{i:02}"), data=body.chunked() if i % 2 else body,
                                headers={"Content-Type": "video/mp4"}, timeout=(10, 600))
        return response, body, time.monotonic() - started

    def fetch(i):
        barrier.wait(60)
        h, n = hashlib.sha256(), 0
        with requests.get(url(f"media-{i:02}"), stream=True, timeout=(10, 600)) as response:
            for chunk in response.iter_content(MIB):
                h.update(chunk)
                n += len(chunk)
        return response, n, h.hexdigest()

    sampler.watch_tmp = True
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
        puts = list(pool.map(put, range(CLIENTS)))
    put_seconds = time.monotonic() - started
    sampler.watch_tmp = False
    hwm_puts = proc_status(daemon.pid)["VmHWM"]
    digests, wrong = {}, []
    for i, (response, body, _) in enumerate(puts):
        framing = "chunked" if i % 2 else "Content-Length"
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code != 200 or answer.get("size") != BIG or answer.get("key") != f"media-{i:02}" \
                or answer.get("source") != "cache" or body.sent != BIG:
            wrong.append(f"media-{i:02} ({framing}): {response.status_code} {response.text[:200]}")
        digests[i] = body.sha.hexdigest()
    figures = (f"in {put_seconds:.1f} s ({CLIENTS * BIG / put_seconds / 1e6:.0f} MB/s); daemon VmHWM {mib(hwm_puts)}; up to "
               f"{sampler.max_tmp_files} .tmp files seen at once, the largest {mib(sampler.max_tmp_bytes)}")
    if wrong:
        fail(f"{len(wrong)} of {CLIENTS} concurrent PUTs of {mib(BIG)} failed ({figures}): " + "; ".join(wrong[:3]))
    if stats()["sets"] != sets + CLIENTS:
        fail(f"sets went from {sets} to {stats()['sets']} after {CLIENTS} PUTs")
    ok(f"{CLIENTS} concurrent PUTs of {mib(BIG)} (half Content-Length, half chunked) " + figures)
    if sampler.max_tmp_files == 0:
        note("no .tmp file was seen under cache_dir while the bodies arrived: are they streamed to disk?")

    # The reads' own peak: VmHWM back to the current VmRSS first (clear_refs 5), when the kernel lets us.
    try:
        with open(f"/proc/{daemon.pid}/clear_refs", "w") as f:
            f.write("5")
        reset = True
    except OSError:
        reset = False
    barrier = threading.Barrier(CLIENTS)
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
        gets = list(pool.map(fetch, range(CLIENTS)))
    get_seconds = time.monotonic() - started
    hwm_gets = proc_status(daemon.pid)["VmHWM"]
    etags, wrong = set(), []
    for i, (response, n, digest) in enumerate(gets):
        h = response.headers
        if response.status_code != 200 or n != BIG or digest != digests[i]:
            wrong.append(f"media-{i:02}: {response.status_code}, {n} bytes, sha256 {digest[:16]} (want {digests[i][:16]})")
        elif h.get("Content-Length") != str(BIG) or h.get("X-Cache") != "disk" or h.get("Content-Type") != "video/mp4":
            wrong.append(f"media-{i:02}: Content-Length {h.get('Content-Length')}, X-Cache {h.get('X-Cache')}, Content-Type "
                         f"{h.get('Content-Type')!r} (want {BIG}, disk, video/mp4 as PUT)")
        etags.add(h.get("ETag"))
    figures = f"in {get_seconds:.1f} s ({CLIENTS * BIG / get_seconds / 1e6:.0f} MB/s); daemon VmHWM {mib(hwm_gets)}" + \
        (" (reset after the PUTs)" if reset else "")
    if wrong:
        fail(f"{len(wrong)} of {CLIENTS} concurrent GETs failed ({figures}): " + "; ".join(wrong[:3]))
    if len(etags) != CLIENTS or not all(e and ETAG.match(e) for e in etags):
        fail(f"{CLIENTS} different values have {len(etags)} different ETags: {sorted(etags, key=str)[:4]}...")
    ok(f"{CLIENTS} concurrent streaming GETs {figures}: every SHA-256 matches, X-Cache: disk, Content-Type video/mp4, "
       f"{CLIENTS} distinct ETags")
    hwm = max(hwm_puts, hwm_gets)
    summary = (f"daemon VmHWM {mib(hwm_puts)} over the PUTs, {mib(hwm_gets)} over the GETs (limit {mib(HWM_LIMIT)}); highest "
               f"VmRSS sampled {mib(sampler.peak_rss)}, VmRSS before {mib(before['VmRSS'])}, after the GETs "
               f"{mib(proc_status(daemon.pid)['VmRSS'])}; "
               f"{CLIENTS} x {mib(BIG)} = {CLIENTS * BIG / (1 << 30):.1f} GiB moved each way")
    if hwm >= HWM_LIMIT:
        fail("memory: " + summary)
    ok("memory: " + summary)
    for i in range(CLIENTS):
        requests.delete(url(f"media-{i:02}"), timeout=30)


# --- 2. an interrupted PUT ----------------------------------------------------------------------

def check_interrupted():
    size = 32 * MIB
    # (framing, how the client goes): Content-Length N with N/2 sent, closed (FIN) or reset (RST);
    # chunked, closed after whole 1 MiB chunks worth N/2 and before the last (zero) chunk.
    # And once more over an entry that exists: the previous value stays, whole.
    previous = value(8, 2 * MIB + 5)
    for framing, how, over in (("Content-Length", "FIN", False), ("Content-Length", "RST", False), ("chunked", "FIN", False),
                               ("Content-Length", "FIN", True)):
        key = f"interrupted-{framing.lower()}-{how.lower()}" + ("-over" if over else "")
        what = f"a {framing} PUT ({'Content-Length ' + mib(size) if framing == 'Content-Length' else 'no length'}) cut off by {how} after {mib(size // 2)}"
        if over:
            r = requests.put(url(key), data=previous, headers={"Content-Type": "audio/ogg"}, timeout=30)
            if r.status_code != 200:
                fail(f"PUT {key} (the previous value) answered {r.status_code}: {r.text[:200]}")
            what += " over an entry that exists"
        sets = stats()["sets"]
        sock = connect()
        length = f"Content-Length: {size}" if framing == "Content-Length" else "Transfer-Encoding: chunked"
        sock.sendall(f"PUT /api/cache/entries/{key} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                     f"Content-Type: audio/wav\r\n{length}\r\n\r\n".encode())
        for piece in pieces(7, size // 2):
            sock.sendall(piece if framing == "Content-Length" else b"%x\r\n%s\r\n" % (len(piece), piece))
        seen = {}
        # Whether the half body is on disk already is a note: the contract is what is left after.
        deadline = time.monotonic() + 3
        while not seen and time.monotonic() < deadline:
            seen.update(tmp_files())
            time.sleep(0.05)
        if how == "RST":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        started = time.monotonic()
        sock.close()
        wait_until(f"no .tmp file under cache_dir after {what}", lambda: not tmp_files())
        gone = time.monotonic() - started

        # And it stays so: no late commit (polled for 1 s, not slept).
        deadline = time.monotonic() + 1
        while time.monotonic() < deadline:
            if tmp_files():
                fail(f"a .tmp file came back after {what}: {tmp_files()}")
            r = requests.get(url(key), timeout=30)
            if over and (r.status_code != 200 or r.content != previous or r.headers.get("Content-Type") != "audio/ogg"):
                fail(f"GET after {what} answered {r.status_code} with {len(r.content)} bytes, Content-Type "
                     f"{r.headers.get('Content-Type')!r}: want the previous {len(previous)}-byte audio/ogg value")
            if not over and r.status_code != 404:
                fail(f"GET after {what} answered {r.status_code} with {len(r.content)} bytes: the half body was stored")
            if stats()["sets"] != sets:
                fail(f"{what} counted as a set: {sets} -> {stats()['sets']}")
            time.sleep(0.1)
        if daemon.poll() is not None:
            fail(f"monitord exited ({daemon.returncode}) after {what}")
        largest = max(seen.values(), default=0)
        ok(f"{what}: no .tmp under cache_dir {gone:.2f} s later, " + ("GET gives the previous value whole" if over else "GET 404")
           + f", sets unchanged ({sets})"
           + (f"; while it was open a .tmp of {mib(largest)} was there" if seen else "; no .tmp was seen while it was open"))


# --- 3. headers, conditionals, HEAD and ranges --------------------------------------------------

def get(key, **headers):
    return requests.get(url(key), headers=headers, timeout=30)


def http_date(seconds):
    return email.utils.formatdate(seconds, usegmt=True)


SMALL, LARGE = value(11, MIB + 3), value(12, 9 * MIB + 7)   # the memory tier's, and the disk's (over 8MiB)


def stored(*keys):
    """Fails unless every key reads back 200 (a part that needs what an earlier part PUT)."""
    for key in keys:
        status = get(key).status_code
        if status != 200:
            fail(f"GET {key} answered {status}: it was not stored (see the PUT above), so this part cannot run")


def validators(key="clip"):
    """The ETag and Last-Modified a plain GET gives now."""
    stored(key)
    h = get(key).headers
    return h.get("ETag"), h.get("Last-Modified")


def step_put_and_get():
    t0 = time.time()
    put = requests.put(url("clip"), data=SMALL, params={"ttl": 600},
                       headers={"Content-Type": "audio/mpeg", "X-Meta-Episode": "12"}, timeout=30)
    t1 = time.time()
    if put.status_code != 200:
        fail(f"PUT clip answered {put.status_code}: {put.text[:300]}")
    answer = put.json()
    if (answer.get("source"), answer.get("key"), answer.get("size"), answer.get("ttl")) != ("cache", "clip", len(SMALL), 600):
        fail(f"PUT clip answered {answer}")
    ok(f"PUT answers {json.dumps(answer)}")
    for key, data, headers in (("clip-large", LARGE, {"Content-Type": "video/webm"}), ("untyped", b"no type given", {})):
        r = requests.put(url(key), data=data, headers=headers, timeout=60)
        if r.status_code != 200:
            fail(f"PUT {key} answered {r.status_code}: {r.text[:300]}")

    get("clip")  # warm: whichever tier the PUT left it in, a read puts it in memory
    r = get("clip")
    h = r.headers
    if r.status_code != 200 or r.content != SMALL:
        fail(f"GET clip: {r.status_code}, {len(r.content)} bytes")
    wanted = {"Content-Length": str(len(SMALL)), "Content-Type": "audio/mpeg", "X-Cache": "memory", "Accept-Ranges": "bytes",
              "X-Meta-Episode": "12"}
    wrong = {k: h.get(k) for k, v in wanted.items() if h.get(k) != v}
    etag, modified = h.get("ETag", ""), h.get("Last-Modified", "")
    try:
        lm = email.utils.parsedate_to_datetime(modified).timestamp()
    except (TypeError, ValueError):
        lm = None
    age = re.fullmatch(r"max-age=(\d+)", h.get("Cache-Control", ""))
    if not ETAG.match(etag):
        wrong["ETag"] = etag or None
    if lm is None or not (int(t0) - 1 <= lm <= t1 + 1) or not modified.endswith(" GMT"):
        wrong["Last-Modified"] = f"{modified or None} (the PUT was at {http_date(t0)})"
    if not age or not 0 < int(age.group(1)) <= 600:
        wrong["Cache-Control"] = h.get("Cache-Control")
    if wrong:
        fail(f"GET clip headers that are not as they should be: {wrong}; want {wanted}, ETag \"<16 hex>\", "
             "Last-Modified the time of the PUT, Cache-Control max-age=<remaining of 600>")
    ok(f"GET: 200, Content-Length, Content-Type audio/mpeg (from the PUT), X-Cache memory, ETag {etag}, "
       f"Last-Modified {modified}, Accept-Ranges bytes, {h['Cache-Control']}, X-Meta-episode 12")
    checksum = '"%016x"' % xxh64(SMALL)
    if etag != checksum:
        note(f"the ETag {etag} is not the hex XXH64 of the value ({checksum}); the contract only says it is derived from it")


def step_default_type():
    stored("untyped")
    untyped = get("untyped").headers.get("Content-Type")
    if untyped != "application/octet-stream":
        fail(f"a PUT without Content-Type reads back as {untyped!r}, want application/octet-stream")
    ok("a PUT without Content-Type reads back as application/octet-stream")


def step_etag_identity():
    etag, _ = validators()
    again = requests.put(url("clip"), data=SMALL, params={"ttl": 600},
                         headers={"Content-Type": "audio/mpeg", "X-Meta-Episode": "12"}, timeout=30)
    twin = requests.put(url("clip-twin"), data=SMALL, timeout=30)
    other = requests.put(url("clip-other"), data=SMALL[:-1] + bytes([SMALL[-1] ^ 1]), timeout=30)
    tags = [get(k).headers.get("ETag") for k in ("clip", "clip-twin", "clip-other")]
    if again.status_code != 200 or twin.status_code != 200 or other.status_code != 200 or not etag or tags[0] != etag \
            or tags[1] != etag or tags[2] == etag or not ETAG.match(tags[2] or ""):
        fail(f"ETags: before {etag}; the same bytes again {tags[0]}, under another key {tags[1]}, one bit flipped {tags[2]}")
    ok(f"ETag: the same bytes PUT again or under another key give {etag}; one bit flipped gives {tags[2]}")


def step_conditionals():
    etag, modified = validators()
    try:
        lm = email.utils.parsedate_to_datetime(modified).timestamp()
    except (TypeError, ValueError):
        fail(f"no Last-Modified to test If-Modified-Since with ({modified!r})")
    wrong = []

    def conditional(want, **headers):
        r = get("clip", **headers)
        if r.status_code != want:
            wrong.append(f"{headers} -> {r.status_code} (want {want})")
        elif want == 304 and (r.content or r.headers.get("ETag") != etag):
            wrong.append(f"{headers} -> 304 with {len(r.content)} body bytes, ETag {r.headers.get('ETag')!r} (want none, {etag})")
        elif want == 200 and r.content != SMALL:
            wrong.append(f"{headers} -> 200 with {len(r.content)} bytes")
    conditional(304, **{"If-None-Match": etag})
    conditional(304, **{"If-None-Match": "*"})
    conditional(200, **{"If-None-Match": '"0123456789abcdef"'})
    conditional(304, **{"If-Modified-Since": modified})
    conditional(304, **{"If-Modified-Since": http_date(max(time.time(), lm))})
    conditional(200, **{"If-Modified-Since": http_date(lm - 86400)})
    conditional(200, **{"If-None-Match": '"0123456789abcdef"', "If-Modified-Since": modified})
    conditional(304, **{"If-None-Match": etag, "If-Modified-Since": http_date(lm - 86400)})
    if wrong:
        fail("conditional GETs: " + "; ".join(wrong))
    ok("If-None-Match: the ETag or * -> 304 with the ETag and no body, another tag -> 200; If-Modified-Since: "
       "Last-Modified or later -> 304, a day earlier -> 200; If-None-Match decides when both are sent")
    listed = get("clip", **{"If-None-Match": f'"0123456789abcdef", {etag}'}).status_code
    weak = get("clip", **{"If-None-Match": f"W/{etag}"}).status_code
    if listed != 304 or weak != 304:
        note(f"If-None-Match with a list holding the ETag answered {listed}, with W/<etag> {weak} (RFC 9110: 304 for both)")


def step_head():
    stored("clip-large")
    etag, _ = validators()   # (a GET first: the HEAD and the GET below then find it in the same tier)
    head = requests.head(url("clip"), timeout=30)
    same = ("Content-Length", "Content-Type", "ETag", "Last-Modified", "Accept-Ranges", "X-Cache", "X-Meta-Episode")
    got = get("clip")
    differ = {k: (head.headers.get(k), got.headers.get(k)) for k in same if head.headers.get(k) != got.headers.get(k)}
    if head.status_code != 200 or differ or not head.headers.get("Cache-Control", "").startswith("max-age="):
        fail(f"HEAD clip: {head.status_code}, headers that differ from GET's (HEAD, GET): {differ}, Cache-Control {head.headers.get('Cache-Control')!r}")
    sock = connect()
    sock.sendall(f"HEAD /api/cache/entries/clip HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
                 f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
    sock.settimeout(30)
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    sock.close()
    after = data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""
    if not data.startswith(b"HTTP/1.1 200") or not after.startswith(b"HTTP/1.1 200"):
        fail(f"HEAD then GET /health on one connection: the HEAD answer is followed by {after[:60]!r} (a body?)")
    missing = requests.head(url("no-such-clip"), timeout=30).status_code
    if missing != 404:
        fail(f"HEAD of a missing key answered {missing}")
    large = requests.head(url("clip-large"), timeout=30)
    if large.status_code != 200 or large.headers.get("Content-Length") != str(len(LARGE)) or large.headers.get("X-Cache") != "disk":
        fail(f"HEAD clip-large: {large.status_code} {dict(large.headers)}")
    conditional = requests.head(url("clip"), headers={"If-None-Match": etag}, timeout=30).status_code
    if conditional != 304:
        fail(f"HEAD with If-None-Match: the ETag answered {conditional}, GET answers 304")
    ok(f"HEAD: GET's status and headers (Content-Length {head.headers['Content-Length']}) and no body (a pipelined request "
       "behind it parses); 304 on If-None-Match; 404 for a missing key; the disk-tier value's too")


def step_ranges(key, data, tier):
    stored(key)
    total = len(data)
    tag = get(key).headers.get("ETag")
    wrong = []
    partial = get(key, Range="bytes=0-0").headers.get("ETag")
    if partial != tag:
        note(f"a 206 of {key} carries ETag {partial!r}, the 200 {tag!r} (RFC 9110 15.3.7: the same; If-Range resumption needs it)")
    cases = [("0-99", 0, 99), ("100-", 100, total - 1), ("-100", total - 100, total - 1),
             (f"{total - 10}-{total + 1000}", total - 10, total - 1), (f"0-{total - 1}", 0, total - 1), ("1-1", 1, 1)]
    if total > 8 * MIB:
        cases.append((f"{8 * MIB - 50}-{8 * MIB + 49}", 8 * MIB - 50, 8 * MIB + 49))
    for spec, lo, hi in cases:
        r = get(key, Range=f"bytes={spec}")
        want_range = f"bytes {lo}-{hi}/{total}"
        if r.status_code != 206 or r.headers.get("Content-Range") != want_range or r.content != data[lo:hi + 1] \
                or r.headers.get("Content-Length") != str(hi - lo + 1) or r.headers.get("X-Cache") != tier:
            wrong.append(f"bytes={spec} -> {r.status_code}, Content-Range {r.headers.get('Content-Range')!r} (want {want_range!r}), "
                         f"Content-Length {r.headers.get('Content-Length')}, {len(r.content)} bytes (want {hi - lo + 1}, "
                         f"{'right' if r.content == data[lo:hi + 1] else 'wrong'} bytes), X-Cache {r.headers.get('X-Cache')}")
    for spec in (f"{total}-", f"{total + 5}-{total + 10}"):
        r = get(key, Range=f"bytes={spec}")
        if r.status_code != 416 or r.headers.get("Content-Range") != f"bytes */{total}":
            wrong.append(f"bytes={spec} -> {r.status_code}, Content-Range {r.headers.get('Content-Range')!r} (want 416, bytes */{total})")
    for spec in ("bytes=0-1,3-4", "bytes=abc", "bytes=5-2", "items=0-9", "bytes=--5"):
        r = get(key, Range=spec)
        if r.status_code != 200 or r.content != data or "Content-Range" in r.headers:
            wrong.append(f"{spec} -> {r.status_code} with {len(r.content)} bytes (want 200 with all {total})")
    r = get(key, Range="bytes=10-19", **{"If-Range": tag or '"none"'})
    if r.status_code != 206 or r.content != data[10:20]:
        wrong.append(f"bytes=10-19 with If-Range: its ETag {tag} -> {r.status_code}, {len(r.content)} bytes (want 206, 10)")
    r = get(key, Range="bytes=10-19", **{"If-Range": '"0123456789abcdef"'})
    if r.status_code != 200 or r.content != data:
        wrong.append(f"bytes=10-19 with If-Range: another ETag -> {r.status_code}, {len(r.content)} bytes (want 200, all)")
    for flags, lo, hi in ((["-r", "0-99"], 0, 99), (["-r", "-100"], total - 100, total - 1)):
        out = os.path.join(WORK, "curl.out")
        result = subprocess.run(["curl", "-sS", *flags, "-o", out, "-D", "-", "-w", "%{http_code}", url(key)],
                                capture_output=True, text=True, timeout=60)
        got = open(out, "rb").read() if os.path.exists(out) else b""
        if result.returncode != 0 or not result.stdout.endswith("206") or got != data[lo:hi + 1] \
                or f"content-range: bytes {lo}-{hi}/{total}" not in result.stdout.lower():
            wrong.append(f"curl {' '.join(flags)} -> exit {result.returncode} {result.stderr.strip()}, {len(got)} bytes, "
                         f"status {result.stdout[-3:]}")
    if wrong:
        fail(f"Range on the {tier} tier's {total}-byte value {key}, {len(wrong)} wrong: " + "; ".join(wrong[:5])
             + (f"; and {len(wrong) - 5} more" if len(wrong) > 5 else ""))
    ok(f"Range on the {tier} tier's {total}-byte value: 0-99, 100-, -100, past the end (clamped), whole -> 206 with the "
       f"right Content-Range and bytes; {total}- -> 416 bytes */{total}; multi-range, malformed, 5-2 -> 200 full; "
       "If-Range with its ETag -> 206, another -> 200; curl -r 0-99 and -r -100 byte-exact")
    if key == "clip":
        _, modified = validators()
        by_date = get("clip", Range="bytes=0-9", **{"If-Range": modified or "none"}).status_code
        if by_date != 206:
            note(f"If-Range with the Last-Modified date answered {by_date} (RFC 9110 allows a strong date validator: 206)")


def step_large_from_disk():
    stored("clip-large")
    for _ in range(2):
        r = get("clip-large")
        if r.status_code != 200 or r.headers.get("X-Cache") != "disk" or r.content != LARGE:
            fail(f"a value over max_memory_value_size: {r.status_code}, X-Cache {r.headers.get('X-Cache')!r}, {len(r.content)} bytes")
    ok(f"a value over max_memory_value_size ({mib(len(LARGE))}) is served from disk, also when read again (X-Cache: disk)")


def step_meta_type_wins():
    # curl --data-binary sends Content-Type: application/x-www-form-urlencoded unless told otherwise;
    # docs/http-api.md: X-Meta-Content-Type wins over Content-Type.
    r = requests.put(url("curl-style"), data=b"RIFF....WAVE", timeout=30,
                     headers={"Content-Type": "application/x-www-form-urlencoded", "X-Meta-Content-Type": "audio/wav"})
    got = get("curl-style")
    if r.status_code != 200 or got.headers.get("Content-Type") != "audio/wav" or "Content-Disposition" in got.headers:
        fail(f"PUT with Content-Type: application/x-www-form-urlencoded and X-Meta-Content-Type: audio/wav: {r.status_code}, reads "
             f"back as {got.headers.get('Content-Type')!r}, Content-Disposition {got.headers.get('Content-Disposition')!r}")
    ok("X-Meta-Content-Type: audio/wav wins over curl --data-binary's Content-Type: application/x-www-form-urlencoded")


def step_notes():
    """Behaviour outside the contract that clients meet: printed, never failed."""
    # docs/http-api.md: HEAD and a 304 count in the statistics like any lookup (and a 206).
    counted = {}
    for name, call in (("HEAD", lambda: requests.head(url("clip"), timeout=30)),
                       ("304", lambda: get("clip", **{"If-None-Match": "*"})),
                       ("206", lambda: get("clip", Range="bytes=0-9"))):
        before = stats()
        call()
        after = stats()
        counted[name] = (after["total_requests"] - before["total_requests"], after["hits"] - before["hits"])
    if any(v != (1, 1) for v in counted.values()):
        note("lookups counted (total_requests, hits) per request: " + ", ".join(f"{k} {v}" for k, v in counted.items())
             + " (docs/http-api.md: HEAD and 304 count as a lookup, a hit here)")


def step_expect_continue():
    """curl sends Expect: 100-continue with a body over 1 MiB and waits a second for the interim
    answer before sending it: the daemon answers 100 Continue once it has accepted the PUT, and
    the final answer at once (no 100) when it refuses it, so the client need not send the body."""
    body = b"hello"
    sock = connect()
    sock.sendall(f"PUT /api/cache/entries/expect HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {len(body)}\r\n"
                 "Expect: 100-continue\r\n\r\n".encode())
    sock.settimeout(30)
    interim = b""
    while b"\r\n\r\n" not in interim:
        chunk = sock.recv(1)   # byte by byte: the final answer must not be read here
        if not chunk:
            fail(f"the connection closed after Expect: 100-continue, before any answer ({interim!r})")
        interim += chunk
    if not interim.startswith(b"HTTP/1.1 100"):
        fail(f"Expect: 100-continue on an accepted PUT answered {interim[:60]!r}, want HTTP/1.1 100 Continue first")
    sock.sendall(body)
    status, _, _ = read_response(sock)
    # The same connection carries on: keep-alive survives the interim answer.
    sock.sendall(f"GET /api/cache/entries/expect HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    again, _, value = read_response(sock)
    sock.close()
    if status != 200 or again != 200 or value != body:
        fail(f"after 100 Continue the PUT answered {status}, a GET on the same connection {again} with {value!r}")
    # A PUT refused before its body (over max_body_size) gets its 413 and no 100.
    sock = connect()
    sock.sendall(f"PUT /api/cache/entries/expect-big HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                 f"Content-Length: {MAX_BODY + 1}\r\nExpect: 100-continue\r\n\r\n".encode())
    refused, _, _ = read_response(sock)
    sock.close()
    if refused != 413:
        fail(f"a PUT over max_body_size with Expect: 100-continue answered {refused}, want 413 before any body")
    # curl itself: -T of a 2 MiB file shows the interim answer (verbose), and the value arrives.
    path = os.path.join(WORK, "expect.bin")
    with open(path, "wb") as f:
        f.write(os.urandom(2 * MIB))
    run = subprocess.run(["curl", "-sS", "-v", "-T", path, "-o", "/dev/null", "-w", "%{http_code}", url("expect-curl")],
                         capture_output=True, text=True, timeout=60)
    if "< HTTP/1.1 100 Continue" not in run.stderr or run.stdout != "200":
        fail(f"curl -T of 2 MiB: status {run.stdout}, interim answer seen: {'< HTTP/1.1 100' in run.stderr}")
    with open(path, "rb") as f:
        if get("expect-curl").content != f.read():
            fail("the 2 MiB value curl -T sent after 100 Continue does not read back")
    ok("Expect: 100-continue: 100 Continue before the body of an accepted PUT (raw socket, then keep-alive; curl -T of "
       "2 MiB), and 413 with no 100 for one over max_body_size")


def check_headers_and_ranges():
    step(step_put_and_get)
    for fn in (step_default_type, step_etag_identity, step_conditionals, step_head):
        step(fn)
    step(step_ranges, "clip", SMALL, "memory")
    step(step_ranges, "clip-large", LARGE, "disk")
    step(step_large_from_disk)
    step(step_meta_type_wins)
    step(step_notes)
    step(step_expect_continue)


# --- 4. over max_body_size ----------------------------------------------------------------------

def check_too_large():
    sets = stats()["sets"]
    body = Stream(99, MAX_BODY + 16 * MIB)
    started = time.monotonic()
    try:
        r = requests.put(url("too-large"), data=body.chunked(), headers={"Content-Type": "video/mp4"}, timeout=(10, 120))
    except requests.ConnectionError as error:
        fail(f"a chunked PUT past max_body_size: the connection failed before the client read an answer "
             f"({error}); {mib(body.sent)} sent")
    seconds = time.monotonic() - started
    try:
        error = r.json()["error"]
    except (ValueError, KeyError, TypeError):
        fail(f"a chunked PUT past max_body_size answered {r.status_code}: {r.text[:300]!r}")
    if r.status_code != 413 or not isinstance(error.get("code"), str) or not isinstance(error.get("message"), str):
        fail(f"a chunked PUT past max_body_size answered {r.status_code} {r.text[:300]!r}")
    wait_until("no .tmp under cache_dir after the 413", lambda: not tmp_files())
    status = get("too-large").status_code
    if status != 404 or stats()["sets"] != sets:
        fail(f"after the 413: GET too-large {status}, sets {sets} -> {stats()['sets']}")
    ok(f"a chunked PUT past max_body_size ({mib(MAX_BODY)}) from requests (a generator body): 413 {error['code']} "
       f"({seconds:.1f} s, {mib(body.sent)} sent before requests read the answer): {error['message'][:120]}; no .tmp, GET 404, sets unchanged")

    # When the answer comes: a raw client that looks for it after every 1 MiB chunk.
    sock = connect()
    sock.sendall(f"PUT /api/cache/entries/too-large HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nTransfer-Encoding: chunked\r\n\r\n".encode())
    sent, answered = 0, None
    try:
        for piece in pieces(98, 4 * MAX_BODY):
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            sent += len(piece)
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                answered = sock.recv(200)
                break
        else:
            sock.sendall(b"0\r\n\r\n")
            answered = sock.recv(200)
    except OSError as error:
        answered = f"{type(error).__name__}".encode()
    sock.close()
    if sent > MAX_BODY + 32 * MIB or not answered.startswith(b"HTTP/1.1 413"):
        note(f"a raw chunked PUT of up to {mib(4 * MAX_BODY)}: {answered[:40]!r} after {mib(sent)} sent (the limit is {mib(MAX_BODY)})")
    else:
        ok(f"the 413 is there to read after {mib(sent)} of a chunked body (limit {mib(MAX_BODY)}; the rest is in flight): "
           "the daemon answers at the limit, it does not read the body to its end")
    wait_until("no .tmp under cache_dir after the raw chunked PUT", lambda: not tmp_files())

    sock = connect()
    sock.sendall(f"PUT /api/cache/entries/too-large HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                 f"Content-Length: {MAX_BODY + 1}\r\n\r\n".encode())
    status, headers, answer = read_response(sock)
    sock.close()
    if status != 413 or "error" not in json.loads(answer or b"{}"):
        fail(f"Content-Length: {MAX_BODY + 1} answered {status} {answer[:200]!r}")
    if get("too-large").status_code != 404 or tmp_files():
        fail("a Content-Length over max_body_size left an entry or a .tmp")
    ok(f"Content-Length: {MAX_BODY + 1} (one byte over) gets 413 {json.loads(answer)['error']['code']} before any body is sent")


# --- the harness --------------------------------------------------------------------------------

def main():
    global daemon, port
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="1,2,3,4", help="comma-separated check numbers")
    only = set(parser.parse_args().only.split(","))
    if not os.access(BIN, os.X_OK):
        fail(f"no monitord binary at {BIN} (swift build, or set MONITORD_BIN)")
    port = free_port()
    with open(CONFIG, "w") as f:
        f.write(f"""monitord:
  log_level: info
  shutdown_timeout: 5s
sources:
  cache:
    type: cache
    interval: 200ms
    cache_dir: {CACHE_DIR}
    max_disk_size: 4GiB
    max_memory_value_size: 8MiB
    max_memory_bytes: 256MiB
    sweep_interval: 1h
sinks:
  api:
    type: http
    host: 127.0.0.1
    port: {port}
    max_body_size: 80MiB
    # 32 bodies of 64 MiB share the loopback and a debug build's CPU: each takes the whole transfer
    # (tens of seconds), past the default 30s that the head and body of one request may take.
    request_timeout: 10m
""")
    daemon = subprocess.Popen([BIN, "run", "-c", CONFIG], stdout=subprocess.DEVNULL, stderr=open(ERR, "w"), cwd=WORK)
    wait_until("monitord to answer /health", lambda: daemon.poll() is None and
               requests.get(f"http://127.0.0.1:{port}/health", timeout=5).json()["status"] == "healthy")
    ok(f"monitord {os.path.relpath(BIN, ROOT) if BIN.startswith(ROOT) else BIN} (built {time.strftime('%H:%M:%S', time.gmtime(os.path.getmtime(BIN)))} UTC) "
       f"answers on 127.0.0.1:{port}, VmRSS {mib(proc_status(daemon.pid)['VmRSS'])}")
    sampler = Sampler(daemon.pid)
    sampler.start()
    checks = {"1": lambda: check_concurrent(sampler), "2": check_interrupted, "3": check_headers_and_ranges, "4": check_too_large}
    for number in sorted(only):
        started = time.monotonic()
        step(checks[number])
        print(f"media-e2e: check {number} took {time.monotonic() - started:.1f} s")
        if daemon.poll() is not None:
            fail(f"monitord exited ({daemon.returncode})")
    sampler.stop.set()
    if FAILED:
        fail(f"{len(FAILED)} part(s) failed (MEDIA_E2E_KEEP_GOING): {', '.join(FAILED)}")
    ok(f"the whole run: daemon VmHWM {mib(sampler.hwm)}, highest VmRSS sampled {mib(sampler.peak_rss)}")

    daemon.send_signal(signal.SIGTERM)
    if daemon.wait(timeout=30) != 0:
        fail(f"monitord exited {daemon.returncode} on SIGTERM")
    daemon = None
    ok("monitord stopped cleanly")


if __name__ == "__main__":
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda number, _frame: sys.exit(128 + number))
    try:
        main()
        print("media-e2e: all checks passed")
    finally:
        if daemon is not None and daemon.poll() is None:
            daemon.kill()
            daemon.wait()
        if os.environ.get("KEEP_WORK"):
            print("kept", WORK)
        else:
            shutil.rmtree(WORK, ignore_errors=True)
