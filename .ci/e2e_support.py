"""What the Python end-to-end checks share: reporting, free ports, waiting on a condition."""
import socket
import sys
import time


class Reporter:
    """Prints `<name>: ok: ...` lines; `fail` prints the daemon's last stderr lines and exits 1."""

    def __init__(self, name, stderr_path, tail=40):
        self.name, self.stderr_path, self.tail = name, stderr_path, tail

    def ok(self, message):
        print(f"{self.name}: ok: {message}")

    def fail(self, message):
        print(f"{self.name}: FAILED: {message}")
        print("--- monitord stderr")
        try:
            print("".join(open(self.stderr_path).readlines()[-self.tail:]))
        except OSError:
            pass
        sys.exit(1)

    def wait_until(self, what, condition, seconds=30, tolerate=(OSError, ValueError)):
        """Polls `condition` every 100 ms; exceptions in `tolerate` count as "not yet"."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if condition():
                    return
            except tolerate:
                pass
            time.sleep(0.1)
        self.fail(f"timed out waiting for {what}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
