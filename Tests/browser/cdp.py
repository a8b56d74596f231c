"""A minimal Chrome DevTools Protocol client over --remote-debugging-pipe (Python 3 stdlib only).

The pipe transport avoids WebSocket framing and a debugging port: Chromium reads commands from
fd 3 and writes replies and events to fd 4, each message JSON terminated by a NUL byte.
"""
import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time


class CDPError(RuntimeError):
    pass


class Browser:
    """One headless Chromium with one page; `call` sends a command to that page."""

    def __init__(self, binary, width=1280, height=1000, extra_args=()):
        self.profile = tempfile.mkdtemp(prefix="monitord-chromium-")
        to_child_r, self._to_child_w = os.pipe()
        self._from_child_r, from_child_w = os.pipe()
        # Move the child's ends above 9 so the dup2 onto 3 and 4 below cannot clobber one another.
        hi_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
        hi_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
        os.close(to_child_r)
        os.close(from_child_w)

        def wire_fds():
            os.dup2(hi_r, 3)
            os.dup2(hi_w, 4)

        args = [
            binary, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-sync", "--mute-audio", "--hide-scrollbars",
            "--lang=en-US", "--user-data-dir=" + self.profile, "--window-size=%d,%d" % (width, height),
            *extra_args, "about:blank",
        ]
        self.proc = subprocess.Popen(args, pass_fds=(3, 4), preexec_fn=wire_fds,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(hi_r)
        os.close(hi_w)
        self._next_id = 0
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._replies = {}
        self.events = []
        self._closed = False
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()
        self.session = None
        self.session = self._attach_page()

    # --- transport ---
    def _read_loop(self):
        buf = b""
        while True:
            try:
                chunk = os.read(self._from_child_r, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cond:
                    self._closed = True
                    self._cond.notify_all()
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                with self._cond:
                    if "id" in msg:
                        self._replies[msg["id"]] = msg
                    else:
                        self.events.append(msg)
                    self._cond.notify_all()

    def raw_call(self, method, params=None, session=None, timeout=30):
        with self._lock:
            self._next_id += 1
            mid = self._next_id
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_child_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._cond:
            while mid not in self._replies:
                left = deadline - time.monotonic()
                if self._closed:
                    raise CDPError("browser exited during " + method)
                if left <= 0:
                    raise CDPError("timed out waiting for " + method)
                self._cond.wait(left)
            reply = self._replies.pop(mid)
        if "error" in reply:
            raise CDPError("%s: %s" % (method, reply["error"].get("message")))
        return reply.get("result", {})

    def call(self, method, params=None, timeout=30):
        return self.raw_call(method, params, self.session, timeout)

    def _attach_page(self):
        deadline = time.monotonic() + 20
        while True:
            targets = self.raw_call("Target.getTargets")["targetInfos"]
            pages = [t for t in targets if t["type"] == "page"]
            if pages:
                break
            if time.monotonic() > deadline:
                target = self.raw_call("Target.createTarget", {"url": "about:blank"})["targetId"]
                pages = [{"targetId": target}]
                break
            time.sleep(0.1)
        sid = self.raw_call("Target.attachToTarget", {"targetId": pages[0]["targetId"], "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime"):
            self.raw_call(domain + ".enable", session=sid)
        return sid

    # --- page helpers ---
    def viewport(self, width, height, mobile=False, scale=1):
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile})

    def color_scheme(self, scheme):
        self.call("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})

    def navigate(self, url, timeout=20):
        with self._cond:
            self.events.clear()
        result = self.call("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise CDPError("navigation to %s failed: %s" % (url, result["errorText"]))
        self.wait_event("Page.loadEventFired", timeout)

    def wait_event(self, method, timeout):
        deadline = time.monotonic() + timeout
        with self._cond:
            while not any(e.get("method") == method for e in self.events):
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    raise CDPError("no %s within %ss" % (method, timeout))
                self._cond.wait(left)

    def eval(self, expression):
        """Evaluates JavaScript in the page and returns the value (promises are awaited)."""
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise CDPError("page script failed: %s" % (d.get("exception", {}).get("description") or d.get("text")))
        return r["result"].get("value")

    def wait_for(self, expression, timeout, what):
        """Polls a JavaScript condition until it is truthy; returns its value or raises naming `what`."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = self.eval(expression)
            if last:
                return last
            time.sleep(0.1)
        raise CDPError("timed out after %ss waiting for %s (last value: %r)" % (timeout, what, last))

    def click(self, x, y):
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    def hover(self, x, y):
        self.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})

    def type_text(self, text):
        self.call("Input.insertText", {"text": text})

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.raw_call("Browser.close", timeout=5)
        except CDPError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_child_w, self._from_child_r):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)
