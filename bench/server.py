"""Start and stop the production server setup (Gunicorn, DEBUG off) on loopback for the HTTP benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gunicorn_args(port: int, workers: int, threads: int) -> list[str]:
    """The README's production command: Gunicorn with threaded workers, no access log on the hot path."""
    return [
        str(GUNICORN),
        "hwallyu.wsgi:application",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--backlog",
        "2048",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]


@contextmanager
def running_server(*, workers: int = 4, threads: int = 4, settings: str = "benchsite.settings") -> Iterator[str]:
    """Gunicorn with ``settings`` (the app's settings + the bench-only baseline view), yielding its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "DEBUG": "False",
        "SECURE_COOKIES": "False",  # plain http on loopback
    }
    proc = subprocess.Popen(gunicorn_args(port, workers, threads), env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("Gunicorn did not start") from None
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
