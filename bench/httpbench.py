"""HTTP side of the benchmarks: `postdesk serve` as a subprocess, a keep-alive client, stats."""

from __future__ import annotations

import http.client
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def p50_ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 3)


def p95_ms(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return round(ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000, 3)


class Client:
    """One HTTP/1.1 connection, reused while the server keeps it open; bearer token."""

    def __init__(self, port: int, token: str, timeout: float = 60):
        self.port = port
        self.timeout = timeout
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def connect(self) -> None:
        self.conn.connect()

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, bytes, float]:
        """(status, body, seconds). Connection errors come back as status 0."""
        headers = dict(self.headers)
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        began = time.perf_counter()
        try:
            self.conn.request(method, path, body=payload, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
            status = response.status
        except (ConnectionError, http.client.HTTPException, TimeoutError) as exc:
            self.conn.close()
            return 0, str(exc).encode(), time.perf_counter() - began
        return status, data, time.perf_counter() - began

    def close(self) -> None:
        self.conn.close()


class Server:
    """`postdesk serve --workers N` on a free loopback port, with the bench's environment."""

    def __init__(
        self, env: dict[str, str], workers: int, log_path: Path, threads: int | None = None
    ):
        self.env = env
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self, token: str, timeout: float = 90) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "postdesk.cli",
                "serve",
                "--workers",
                str(self.workers),
                *(["--threads", str(self.threads)] if self.threads is not None else []),
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"postdesk serve exited; see {self.log_path}")
            client = Client(self.port, token, timeout=5)
            status, _, _ = client.call("GET", "/healthz")
            client.close()
            if status == 200:
                return
            time.sleep(0.2)
        raise RuntimeError(f"postdesk serve did not answer in {timeout}s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # serve exec's gunicorn, so this pid is the gunicorn master: TERM stops its workers.
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
