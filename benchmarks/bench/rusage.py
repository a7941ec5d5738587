"""Run one command in a fresh wrapper process and report its wall time, CPU time and peak RSS.

``python3 bench/rusage.py --log FILE --cwd DIR [--timeout S] -- CMD...`` runs CMD (output to
FILE) and prints one JSON object. The figures come from ``resource.getrusage(RUSAGE_CHILDREN)``
in the wrapper, so they cover CMD and every process it waited for, and nothing of an earlier run.
CMD runs in a session of its own: at the time limit its whole process group is killed (and the
CPU it spent until then is still counted).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

SCRIPT = Path(__file__).resolve()


@dataclass(frozen=True)
class ChildRun:
    returncode: int
    wall_s: float
    cpu_s: float  # user + system
    max_rss_mb: float  # the largest resident set of CMD or any of its children, MiB
    timed_out: bool = False  # killed at the time limit (returncode is then -9)


def measure(cmd: list[str], cwd: Path, log: Path, timeout: float = 1800.0) -> ChildRun:
    """Run ``cmd`` in its own wrapper process (this file) and return what the wrapper saw; the
    wrapper kills ``cmd``'s process group after ``timeout`` seconds. ``cmd`` runs with Python's
    bytecode cache on, as an installed tool does (`PYTHONDONTWRITEBYTECODE`, exported by some
    shells, would make every run of an editable install compile its modules again)."""
    wrapper = [sys.executable, str(SCRIPT), "--log", str(log), "--cwd", str(cwd)]
    wrapper += ["--timeout", str(timeout), "--", *cmd]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.run(
        wrapper, capture_output=True, text=True, timeout=timeout + 60, check=True, env=env
    )
    return ChildRun(**json.loads(proc.stdout))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--log", type=Path, required=True, help="CMD's stdout and stderr")
    p.add_argument("--cwd", type=Path, required=True)
    p.add_argument("--timeout", type=float, default=None, help="seconds; CMD's group is killed")
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    args = p.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    with args.log.open("wb") as out:
        start = time.perf_counter()
        child = subprocess.Popen(
            cmd, cwd=args.cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        timed_out = False
        try:
            code = child.wait(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            code, timed_out = child.wait(), True
        wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # ru_maxrss: KiB on Linux
    cpu = usage.ru_utime + usage.ru_stime
    run = ChildRun(code, round(wall, 3), round(cpu, 3), round(usage.ru_maxrss / 1024, 1), timed_out)
    print(json.dumps(asdict(run)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
