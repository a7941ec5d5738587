"""ruff as the tests run it on generated packages: the project's rules and ruff's defaults."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
# the project's rules without its first-party setting, and ruff's own defaults
PROJECT_RULES = ["--line-length", "100", "--target-version", "py311"]
PROJECT_RULES += ["--select", "E,F,W,I,B,UP,SIM,RUF", "--ignore", "B008,RUF012"]
RULE_SETS = {"project": PROJECT_RULES, "defaults": []}


def ruff(folder: Path, target: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """`ruff check --isolated` on `target` (relative to `folder`), with `arguments`."""
    command = [str(VENV_BIN / "ruff"), "check", "--no-cache", "--isolated", *arguments, target]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120)
