"""Shared test helpers: a real uvicorn server on 127.0.0.1, started and stopped by PID."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def uvicorn_server(
    app: str,
    cwd: Path = REPO,
    timeout: float = 20.0,
    env: Mapping[str, str] | None = None,
    args: Sequence[str] = (),
    log: Path | None = None,
) -> Iterator[str]:
    """Run `uvicorn <app> <args>` on a free loopback port, with `env` added to the environment
    and its output in `log` when given; yield its base URL; stop it by PID."""
    port = free_port()
    output = log.open("wb") if log is not None else None
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            *args,
        ],
        cwd=cwd,
        stdout=output or subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {}), "PYTHONPATH": str(cwd)},
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                text = process.stdout.read().decode() if process.stdout else ""
                if log is not None:
                    text = log.read_text(errors="replace")
                raise RuntimeError(f"uvicorn exited with {process.returncode}:\n{text}")
            try:
                httpx.get(base_url + "/", timeout=0.5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"uvicorn did not start on {base_url}") from None
                time.sleep(0.1)
        yield base_url
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        if process.stdout:
            process.stdout.close()
        if output is not None:
            output.close()
