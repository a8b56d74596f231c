#!/usr/bin/env python3
"""HTTPS, end to end against the real binary, with a throwaway CA that openssl makes.

One monitord serves two HTTPS sinks: `api` (server certificate only, a bearer token for
writes) and `mtls` (client_ca_file, auth: client_cert). The check then:
  1. `monitord validate` names a key that does not match its certificate, and warns about an
     expired certificate with its date;
  2. curl --cacert and Python requests with verify= succeed; a client without the CA fails the
     handshake, as does plain HTTP;
  3. on `mtls`, a request without a client certificate fails and one with it succeeds, a PUT
     included (the certificate is the credential); a certificate another CA signed fails;
  4. /metrics gives the certificate's expiry as openssl reads it;
  5. the certificate files are replaced and SIGHUP sent: new connections get the new serial
     (openssl s_client), a keep-alive connection opened before keeps working; a broken
     replacement keeps the served certificate and /health says why;
  6. `monitord top --url https://... --cacert` prints live values (--once, and the full-screen
     view in tmux), and `monitord reload --url https://... --cacert` applies a reload;
  7. the dashboard loads over HTTPS in headless Chromium, its stats filled in.
"""
import base64
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Reporter, free_port  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("MONITORD_BINARY", os.path.join(ROOT, ".build/debug/monitord"))
TOKEN = "tls-e2e-token"
WORK = tempfile.mkdtemp(prefix="monitord-tls-e2e.")
CONFIG = os.path.join(WORK, "monitord.yaml")
ERR = os.path.join(WORK, "monitord.err")
TMUX = ["tmux", "-L", "monitord-tls-e2e-%d" % os.getpid()]
daemon = None


REPORT = Reporter("tls-e2e", ERR, tail=30)
ok, fail = REPORT.ok, REPORT.fail


def wait_until(what, condition, seconds=30):
    REPORT.wait_until(what, condition, seconds, tolerate=(OSError, requests.RequestException, ValueError, KeyError))


def path(name):
    return os.path.join(WORK, name)


def run(*args, check=True, **kwargs):
    result = subprocess.run(list(args), capture_output=True, text=True, **kwargs)
    if check and result.returncode != 0:
        fail(f"{' '.join(args)} exited {result.returncode}: {result.stderr.strip()}")
    return result


# --- a throwaway CA -------------------------------------------------------------------------

CA_CONFIG = """[ca]
default_ca = signing
[signing]
database = {work}/{ca}.index
new_certs_dir = {work}
certificate = {work}/{ca}.crt
private_key = {work}/{ca}.key
serial = {work}/{ca}.serial
default_md = sha256
policy = anything
unique_subject = no
[anything]
commonName = supplied
[server]
basicConstraints = CA:FALSE
subjectAltName = IP:127.0.0.1,DNS:localhost
extendedKeyUsage = serverAuth
[client]
basicConstraints = CA:FALSE
extendedKeyUsage = clientAuth
"""


def authority(name, serial):
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", path(f"{name}.key"), "-out", path(f"{name}.crt"), "-subj", f"/CN={name}", "-days", "30")
    open(path(f"{name}.cnf"), "w").write(CA_CONFIG.format(work=WORK, ca=name))
    open(path(f"{name}.index"), "w").close()
    open(path(f"{name}.serial"), "w").write(f"{serial}\n")


def certificate(name, ca, role="server", dates=None):
    run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", path(f"{name}.key"), "-out", path(f"{name}.csr"), "-subj", f"/CN={name}")
    validity = ["-startdate", dates[0], "-enddate", dates[1]] if dates else ["-days", "30"]
    run("openssl", "ca", "-batch", "-notext", "-config", path(f"{ca}.cnf"), "-extensions", role,
        "-in", path(f"{name}.csr"), "-out", path(f"{name}.crt"), *validity)
    os.chmod(path(f"{name}.key"), 0o600)


def serial_of(pem_file):
    return run("openssl", "x509", "-in", pem_file, "-noout", "-serial").stdout.strip().split("=", 1)[1]


def served_serial(port):
    """The serial of the certificate a new connection to `port` gets, as openssl s_client sees it."""
    hello = run("openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-CAfile", path("ca.crt"),
                "-servername", "localhost", input="", check=False)
    pem = hello.stdout[hello.stdout.index("-----BEGIN CERTIFICATE-----"):hello.stdout.index("-----END CERTIFICATE-----") + 25]
    return run("openssl", "x509", "-noout", "-serial", input=pem).stdout.strip().split("=", 1)[1]


def install(source, target):
    """Replaces the served files the way a renewal tool does: a new file renamed over the old."""
    for ext in ("crt", "key"):
        shutil.copy(path(f"{source}.{ext}"), path(f"{target}.{ext}.new"))
        os.chmod(path(f"{target}.{ext}.new"), 0o600)
        os.rename(path(f"{target}.{ext}.new"), path(f"{target}.{ext}"))


# --- the daemon -----------------------------------------------------------------------------

def write_config(api, mtls):
    open(CONFIG, "w").write(f"""monitord:
  shutdown_timeout: 5s
sources:
  cache:
    type: cache
    interval: 200ms
    cache_dir: {WORK}/cache
sinks:
  api:
    type: http
    port: {api}
    auth_token: {TOKEN}
    tls:
      cert_file: {path("live.crt")}
      key_file: {path("live.key")}
  mtls:
    type: http
    port: {mtls}
    auth: client_cert
    tls:
      cert_file: {path("server.crt")}
      key_file: {path("server.key")}
      client_ca_file: {path("clients-ca.crt")}
      min_version: "1.3"
""")


def health(port):
    return requests.get(f"https://127.0.0.1:{port}/health", verify=path("ca.crt"), timeout=10).json()


def main():
    global daemon
    authority("ca", "1000")
    authority("other", "2000")
    certificate("server", "ca")
    certificate("renewed", "ca")
    certificate("client", "ca", role="client")
    certificate("stranger", "other", role="client")
    certificate("expired", "ca", dates=("20200101000000Z", "20210615120000Z"))
    install("server", "live")
    shutil.copy(path("ca.crt"), path("clients-ca.crt"))
    ca = path("ca.crt")
    ok(f"openssl made a CA, server certificates {serial_of(path('server.crt'))} and {serial_of(path('renewed.crt'))}, and client certificates")

    # 1. validate
    api, mtls = free_port(), free_port()
    write_config(api, mtls)
    text = open(CONFIG).read()
    open(path("mismatch.yaml"), "w").write(text.replace(path("live.key"), path("client.key")))
    result = run(BIN, "validate", "-c", path("mismatch.yaml"), check=False)
    if result.returncode != 78 or "sinks.api.tls.key_file" not in result.stderr or "is not the private key of the certificate" not in result.stderr:
        fail(f"validate of a mismatched key: exit {result.returncode}: {result.stderr}")
    ok("validate refuses a key of another certificate: " + result.stderr.splitlines()[0])
    open(path("expired.yaml"), "w").write(text.replace(path("live.crt"), path("expired.crt")).replace(path("live.key"), path("expired.key")))
    result = run(BIN, "validate", "-c", path("expired.yaml"), check=False)
    if result.returncode != 0 or not any(l.startswith("warning: ") and ":14:" in l and "sinks.api.tls.cert_file: the certificate" in l for l in result.stderr.splitlines()) or "expired on 2021-06-15 12:00:00 UTC" not in result.stderr:
        fail(f"validate of an expired certificate: exit {result.returncode}: {result.stderr}")
    ok("validate warns about an expired certificate, at its line, with its date: " + result.stderr.splitlines()[0][-90:])

    daemon = subprocess.Popen([BIN, "run", "-c", CONFIG], stdout=subprocess.DEVNULL, stderr=open(ERR, "w"), cwd=WORK)
    wait_until("monitord to answer /health over HTTPS", lambda: health(api)["status"] == "healthy")
    wait_until("the mTLS sink to listen", lambda: socket.create_connection(("127.0.0.1", mtls), timeout=1).close() is None)

    # 2. clients that trust the CA, and clients that do not
    result = run("curl", "-sS", "--cacert", ca, f"https://127.0.0.1:{api}/health", check=False)
    if result.returncode != 0 or json.loads(result.stdout)["status"] != "healthy":
        fail(f"curl --cacert: exit {result.returncode}: {result.stderr}")
    ok("curl --cacert reads /health over HTTPS")
    result = run("curl", "-sS", f"https://127.0.0.1:{api}/health", check=False)
    if result.returncode != 60:
        fail(f"curl without the CA should fail verification (exit 60), got {result.returncode}: {result.stderr}")
    ok(f"curl without the CA fails the handshake: {result.stderr.strip().splitlines()[0]}")
    put = requests.put(f"https://127.0.0.1:{api}/api/cache/entries/greeting", data=b"hello over TLS",
                       headers={"Authorization": f"Bearer {TOKEN}"}, verify=ca, timeout=10)
    got = requests.get(f"https://127.0.0.1:{api}/api/cache/entries/greeting", verify=ca, timeout=10)
    if put.status_code not in (200, 201) or got.content != b"hello over TLS":
        fail(f"requests PUT/GET: {put.status_code} {got.status_code} {got.content!r}")
    ok("Python requests with verify= puts and gets an entry")
    try:
        requests.get(f"https://127.0.0.1:{api}/health", timeout=10)
        fail("requests with the system's trust store accepted a private CA's certificate")
    except requests.exceptions.SSLError as error:
        ok(f"requests without verify= fails: {type(error).__name__}")
    result = run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", f"http://127.0.0.1:{api}/health", check=False)
    if result.stdout == "200":
        fail("plain HTTP was answered on the HTTPS port")
    ok(f"plain HTTP to the HTTPS port gets no answer (curl exit {result.returncode})")

    # 3. client certificates
    result = run("curl", "-sS", "--cacert", ca, f"https://127.0.0.1:{mtls}/health", check=False)
    if result.returncode == 0:
        fail("the mTLS sink answered a client without a certificate")
    ok(f"without a client certificate the handshake fails (curl exit {result.returncode})")
    result = run("curl", "-sS", "--cacert", ca, "--cert", path("stranger.crt"), "--key", path("stranger.key"),
                 f"https://127.0.0.1:{mtls}/health", check=False)
    if result.returncode == 0:
        fail("the mTLS sink answered a certificate another CA signed")
    ok(f"a certificate another CA signed fails too (curl exit {result.returncode})")
    mine = (path("client.crt"), path("client.key"))
    result = run("curl", "-sS", "--cacert", ca, "--cert", mine[0], "--key", mine[1], "-X", "PUT", "--data-binary", "by certificate",
                 "-o", "/dev/null", "-w", "%{http_code}", f"https://127.0.0.1:{mtls}/api/cache/entries/mtls", check=False)
    if result.stdout not in ("200", "201"):
        fail(f"PUT with the client certificate: {result.stdout} {result.stderr}")
    got = requests.get(f"https://127.0.0.1:{mtls}/api/cache/entries/mtls", cert=mine, verify=ca, timeout=10)
    if got.content != b"by certificate":
        fail(f"GET with requests and cert=: {got.status_code} {got.content!r}")
    ok("with the client certificate, curl's PUT (no token) and requests' GET succeed")
    try:
        context = ssl.create_default_context(cafile=ca)
        context.maximum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(*mine)
        with socket.create_connection(("127.0.0.1", mtls)) as raw, context.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            tls.recv(100)
        fail("min_version: \"1.3\" accepted a TLS 1.2 client")
    except ssl.SSLError as error:
        ok(f"min_version 1.3 refuses a TLS 1.2 client: {error.reason}")

    # 4. expiry in /metrics
    end = run("openssl", "x509", "-in", path("server.crt"), "-noout", "-enddate").stdout.strip().split("=", 1)[1]
    want = int(time.mktime(time.strptime(end, "%b %d %H:%M:%S %Y GMT")) - time.timezone)
    metrics = requests.get(f"https://127.0.0.1:{api}/metrics", verify=ca, timeout=10).text
    line = next((l for l in metrics.splitlines() if l.startswith('monitord_tls_certificate_expiry_seconds{sink="api"}')), None)
    if line is None or int(float(line.split()[-1])) != want:
        fail(f"expiry metric {line!r}, openssl says {end} = {want}")
    ok(f"/metrics: {line} ({end})")

    # 5. a renewed certificate on SIGHUP; connections already open keep theirs
    before = served_serial(api)
    if before != serial_of(path("server.crt")):
        fail(f"served serial {before} is not the configured certificate's")
    context = ssl.create_default_context(cafile=ca)
    kept = http.client.HTTPSConnection("127.0.0.1", api, context=context, timeout=10)
    kept.request("GET", "/health")
    kept.getresponse().read()
    reloads = health(api)["config"]["reloads"]
    install("renewed", "live")
    os.kill(daemon.pid, signal.SIGHUP)
    wait_until("the reload after the renewal", lambda: health(api)["config"]["reloads"] > reloads)
    after = served_serial(api)
    if after != serial_of(path("renewed.crt")):
        fail(f"after SIGHUP new connections get serial {after}, want {serial_of(path('renewed.crt'))}")
    kept.request("GET", "/api/cache/entries/greeting")
    response = kept.getresponse()
    body = response.read()
    peer = ssl.DER_cert_to_PEM_cert(kept.sock.getpeercert(binary_form=True))
    still = run("openssl", "x509", "-noout", "-serial", input=peer).stdout.strip().split("=", 1)[1]
    if response.status != 200 or body != b"hello over TLS" or still != before:
        fail(f"the connection opened before the reload: {response.status} {body!r}, serial {still}")
    ok(f"SIGHUP: new connections get serial {after}; the keep-alive connection from before still answers (serial {still})")
    if not any("new connections get the certificate" in l for l in open(ERR)):
        fail("the log does not say which certificate is served now")

    open(path("live.crt"), "w").write("-----BEGIN CERTIFICATE-----\ntruncated by a failed renewal\n")
    reloads = health(api)["config"]["reloads"]
    os.kill(daemon.pid, signal.SIGHUP)
    wait_until("the failed reload to be counted", lambda: health(api)["config"]["reloads"] > reloads)
    status = health(api)["config"]
    errors = " ".join(status.get("errors", []))
    if status["last_reload_successful"] or "tls.cert_file" not in errors or served_serial(api) != after:
        fail(f"a broken certificate file: {status}, served {served_serial(api)}")
    ok(f"a broken renewal keeps serving serial {after}; /health says: {errors[:140]}")
    install("renewed", "live")

    # 5b. taking a CA out of client_ca_file revokes it, for connections already open too
    context = ssl.create_default_context(cafile=ca)
    context.load_cert_chain(*mine)
    admitted = http.client.HTTPSConnection("127.0.0.1", mtls, context=context, timeout=10)
    admitted.request("GET", "/health")
    admitted.getresponse().read()
    reloads = health(api)["config"]["reloads"]
    shutil.copy(path("other.crt"), path("clients-ca.crt.new"))
    os.rename(path("clients-ca.crt.new"), path("clients-ca.crt"))
    os.kill(daemon.pid, signal.SIGHUP)
    wait_until("the reload after the client CA changed", lambda: health(api)["config"]["reloads"] > reloads)
    try:
        admitted.request("PUT", "/api/cache/entries/revoked", body=b"must not land")
        status = admitted.getresponse().status
    except (OSError, http.client.HTTPException) as error:
        status = type(error).__name__
    landed = requests.get(f"https://127.0.0.1:{api}/api/cache/entries/revoked", verify=ca, timeout=10).status_code
    if status == 200 or landed != 404:
        fail(f"a connection the old client CA let in wrote after the CA was taken out: {status}, GET of its entry {landed}")
    result = run("curl", "-sS", "--cacert", ca, "--cert", mine[0], "--key", mine[1], f"https://127.0.0.1:{mtls}/health", check=False)
    stranger = run("curl", "-sS", "--cacert", ca, "--cert", path("stranger.crt"), "--key", path("stranger.key"),
                   f"https://127.0.0.1:{mtls}/health", check=False)
    if result.returncode == 0 or stranger.returncode != 0:
        fail(f"after the CA change: the old CA's client exit {result.returncode}, the new CA's client exit {stranger.returncode}")
    ok(f"a client CA taken out of client_ca_file: the connection it let in is closed ({status}), its clients fail the handshake, the new CA's pass")
    shutil.copy(path("ca.crt"), path("clients-ca.crt"))
    os.kill(daemon.pid, signal.SIGHUP)

    # 6. monitord top and monitord reload over HTTPS
    result = run(BIN, "top", "--url", f"https://127.0.0.1:{api}", "--cacert", ca, "--once", check=False)
    if result.returncode != 0 or "cache" not in result.stdout:
        fail(f"monitord top --once over HTTPS: exit {result.returncode}: {result.stderr}{result.stdout[:400]}")
    ok("monitord top --url https://... --cacert --once prints the snapshot")
    result = run(BIN, "top", "--url", f"https://127.0.0.1:{api}", "--once", check=False)
    if result.returncode == 0:
        fail("monitord top trusted a private CA without --cacert")
    ok(f"without --cacert it refuses: {(result.stderr or result.stdout).strip().splitlines()[-1][:160]}")
    result = run(BIN, "top", "--url", f"https://127.0.0.1:{mtls}", "--cacert", ca, "--once", check=False)
    if result.returncode == 0 or "--cert FILE --key FILE" not in result.stderr:
        fail(f"monitord top against the mTLS sink without --cert: exit {result.returncode}: {result.stderr}")
    ok("against the mTLS sink without --cert: " + result.stderr.strip().splitlines()[-1])
    result = run(BIN, "top", "--url", f"https://127.0.0.1:{mtls}", "--cacert", ca, "--cert", mine[0], "--key", mine[1], "--once", check=False)
    if result.returncode != 0 or "cache" not in result.stdout:
        fail(f"monitord top with --cert/--key: exit {result.returncode}: {result.stderr}")
    ok("monitord top --cert --key reads the mTLS sink")
    top_tmux(api, ca)
    result = run(BIN, "reload", "-c", CONFIG, "--url", f"https://127.0.0.1:{api}", "--cacert", ca, check=False)
    if result.returncode != 0 or "kept sinks.api" not in result.stdout:
        fail(f"monitord reload over HTTPS: exit {result.returncode}: {result.stdout} {result.stderr}")
    ok("monitord reload --url https://... --cacert: " + " / ".join(result.stdout.splitlines()[:3]))

    # 7. the dashboard in a real browser
    dashboard(api)


def top_tmux(port, ca):
    """The full-screen view over HTTPS: it shows the cache's live figures, and follows a change."""
    if shutil.which("tmux") is None:
        fail("tmux is not installed (make test installs it)")
    command = f"{BIN} top --url https://127.0.0.1:{port} --cacert {ca}"
    run(*TMUX, "new-session", "-d", "-x", "120", "-y", "40", "-s", "top", command)
    try:
        def screen():
            return run(*TMUX, "capture-pane", "-p", "-t", "top").stdout
        wait_until("the view to draw over HTTPS", lambda: "cache" in screen() and "Hit" in screen().title(), 20)
        sets = requests.get(f"https://127.0.0.1:{port}/api/cache/stats", verify=ca, timeout=10).json()["sets"]
        for i in range(3):
            requests.put(f"https://127.0.0.1:{port}/api/cache/entries/top-{i}", data=b"x",
                         headers={"Authorization": f"Bearer {TOKEN}"}, verify=ca, timeout=10)
        want = sets + 3
        wait_until(f"the view to show {want} sets", lambda: any(str(want) in l and "set" in l.lower() for l in screen().splitlines()), 20)
        ok(f"monitord top over HTTPS in tmux shows the live set count ({want})")
    finally:
        run(*TMUX, "kill-server", check=False)


def dashboard(port):
    sys.path.insert(0, os.path.join(ROOT, "Tests", "browser"))
    from cdp import Browser
    # Found, or installed first on a fresh machine, by the browser test's own helper.
    found = subprocess.run([os.path.join(ROOT, "Tests", "browser", "chromium.sh")], capture_output=True, text=True)
    browser_binary = found.stdout.strip().splitlines()[-1] if found.returncode == 0 and found.stdout.strip() else None
    if browser_binary is None:
        fail(f"Chromium is not installed and could not be installed: {found.stderr.strip()[-300:]}")
    spki = run("openssl", "x509", "-noout", "-pubkey", input=open(path("live.crt")).read()).stdout
    spki_der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=spki.encode(), capture_output=True).stdout
    pin = base64.b64encode(hashlib.sha256(spki_der).digest()).decode()
    # Trusts exactly this server's key, as a pinned certificate: nothing else is accepted.
    browser = Browser(browser_binary, 1280, 1000, extra_args=(f"--ignore-certificate-errors-spki-list={pin}",))
    try:
        browser.navigate(f"https://127.0.0.1:{port}/")
        browser.wait_for("document.body.dataset.ready === 'true'", 15, "the dashboard's first stats over HTTPS")
        shown = browser.eval("[location.protocol, document.querySelector('[data-testid=card-disk_items]').dataset.value]")
        stats = requests.get(f"https://127.0.0.1:{port}/api/cache/stats", verify=path("ca.crt"), timeout=10).json()
        if shown[0] != "https:" or float(shown[1]) != stats["disk_items"]:
            fail(f"the dashboard over HTTPS shows {shown}, the API says disk_items={stats['disk_items']}")
        ok(f"Chromium loads the dashboard over HTTPS and shows {int(float(shown[1]))} entries on disk, as the API does")
    finally:
        browser.close()


if __name__ == "__main__":
    try:
        main()
        print("tls-e2e: all checks passed")
    finally:
        if daemon is not None and daemon.poll() is None:
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(timeout=15)
            except subprocess.TimeoutExpired:
                daemon.kill()
        shutil.rmtree(WORK, ignore_errors=True) if not os.environ.get("KEEP_WORK") else print("kept", WORK)
