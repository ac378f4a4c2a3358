"""Headless Chromium and a loopback web server: for the browser tests and ``make pdf``."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

#: Flags for a headless Chromium on a machine with no network (it would otherwise keep trying
#: to reach Google's services) and as root (no sandbox).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def find_chromium() -> str | None:
    """Path of the Chromium executable, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test and build output readable
        pass


@contextlib.contextmanager
def serve(directory: Path, handler_class: type = _Quiet):
    """Serve ``directory`` on an ephemeral 127.0.0.1 port; yields the base URL.

    ``handler_class``: a ``SimpleHTTPRequestHandler`` subclass (default: one that logs nothing).
    """
    handler = functools.partial(handler_class, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def run_chromium(
    *args: str, timeout: int = 120, chromium: str | None = None
) -> subprocess.CompletedProcess:
    """Run headless Chromium with a throw-away profile and ``args``; raises if it is not installed."""
    chromium = chromium or find_chromium()
    if chromium is None:
        raise RuntimeError(
            "chromium is not installed (Debian package 'chromium'; .ci/run installs it)"
        )
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


__all__ = ["CHROMIUM_FLAGS", "find_chromium", "run_chromium", "serve"]
