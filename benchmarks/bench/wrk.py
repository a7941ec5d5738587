"""Run wrk pinned to one core and parse its --latency report."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


@dataclass(frozen=True)
class WrkResult:
    rps: float
    p99_ms: float
    requests: int
    errors: int  # connect/read/write errors + non-2xx/3xx responses
    timeouts: int  # requests slower than wrk's 2 s timeout: a slow server, not a broken one

    @classmethod
    def parse(cls, text: str) -> WrkResult:
        rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
        p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        reqs = re.search(r"(\d+) requests in", text)
        if not (rps and p99 and reqs):
            raise ValueError(f"cannot parse wrk output:\n{text}")
        errors = sum(int(n) for n in re.findall(r"(?:connect|read|write) (\d+)", text))
        timeouts = re.search(r"timeout (\d+)", text)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        errors += int(non2xx.group(1)) if non2xx else 0
        p99_ms = float(p99.group(1)) * UNITS_MS[p99.group(2)]
        timeouts_n = int(timeouts.group(1)) if timeouts else 0
        return cls(float(rps.group(1)), p99_ms, int(reqs.group(1)), errors, timeouts_n)


def run_wrk(
    url: str, duration: float, connections: int, core: int, script: Path | None = None
) -> WrkResult:
    cmd = ["taskset", "-c", str(core), "wrk", "-t1", f"-c{connections}", f"-d{duration:g}s"]
    cmd += ["--latency", *(["-s", str(script)] if script else []), url]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr or proc.stdout}")
    return WrkResult.parse(proc.stdout)
