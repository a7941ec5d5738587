"""Start a uvicorn server pinned to one core, watch its CPU time, stop it by PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")


def core_idle_seconds(core: int) -> float:
    """Idle + iowait time of one CPU core, from /proc/stat."""
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith(f"cpu{core} "):
            fields = line.split()
            return (int(fields[4]) + int(fields[5])) / CLK_TCK
    raise ValueError(f"no cpu{core} in /proc/stat")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``taskset -c CORE uvicorn apps.<module>:<attr>``; taskset execs, so the PID is uvicorn's."""

    def __init__(self, venv: Path, app_dir: Path, target: str, core: int, log: Path) -> None:
        self.port = free_port()
        self.log = log
        cmd = [
            "taskset",
            "-c",
            str(core),
            str(venv / "bin" / "uvicorn"),
            target,
            "--app-dir",
            str(app_dir),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--http",
            "httptools",
            "--loop",
            "uvloop",
            "--workers",
            "1",
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("wb") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 60.0) -> str | None:
        """Wait for the port to accept connections; return an error text if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return f"server exited with {self.proc.returncode}: {self.log_tail()}"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return None
            except OSError:
                time.sleep(0.1)
        return f"port {self.port} not open after {timeout:.0f}s: {self.log_tail()}"

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process (all threads), from /proc/<pid>/stat."""
        stat = Path(f"/proc/{self.proc.pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime

    def log_tail(self, chars: int = 1500) -> str:
        return self.log.read_text(errors="replace")[-chars:].strip()

    def stop(self, grace: float = 5.0) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
