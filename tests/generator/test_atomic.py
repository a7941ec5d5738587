"""All or nothing: a run killed (SIGKILL) at any instant leaves the package entirely old or
entirely new once the next run has started, and no litter.

One child process writes two versions of a package in turn, again and again, and is killed
after a random delay; hundreds of kills land everywhere in the write (staging, the journal,
the moves). Then whole `specloom generate` runs on a public spec are killed at random points.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from specloom.generator.atomic import JOURNAL, STAGING, atomic_write, recover

from .public_specs import public_spec

KILLS = int(os.environ.get("SPECLOOM_KILLS", "300"))

# a package of 30 files in three folders; version "b" of each differs, plus a file only in "b"
FILES = [f"{folder}/m{n}.py" for folder in ("", "handlers", "_generated") for n in range(10)]


def _version(tag: str) -> dict[str, str]:
    files = {name.lstrip("/"): f"# {tag} {name}\n" + "x = 1\n" * 200 for name in FILES}
    if tag == "b":
        files["handlers/new.py"] = "# b only\n"
    return files


# fsync guards against power loss, not kills; without it staging and moving take similar time,
# so random kills land in both phases
WRITER = """
import os, sys
os.fsync = lambda descriptor: None
from pathlib import Path
from specloom.generator.atomic import atomic_write
root = Path(sys.argv[1])
versions = {tag: {root / name: text for name, text in v.items()} for tag, v in %r.items()}
print("ready", flush=True)
while True:
    for tag in ("a", "b"):
        atomic_write(root, versions[tag])
"""


def _state(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _is_one_version(state: dict[str, str], a: dict[str, str], b: dict[str, str]) -> bool:
    """Entirely a or entirely b ("b only" files stay once written: a run never deletes)."""
    shared = {name: text for name, text in state.items() if name != "handlers/new.py"}
    extra = state.get("handlers/new.py")
    return extra in (None, b["handlers/new.py"]) and shared in (
        {k: v for k, v in a.items()},
        {k: v for k, v in b.items() if k != "handlers/new.py"},
    )


def test_a_write_killed_at_any_instant_is_old_or_new_after_recovery(tmp_path: Path) -> None:
    a, b = _version("a"), _version("b")
    root = tmp_path / "pkg"
    for name, text in a.items():  # the package as a first run left it
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    source = WRITER % {"a": a, "b": b}
    rng = random.Random(20261207)
    outcomes = {"completed": 0, "cleaned": 0, "clean": 0}
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", source, str(root)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0, 0.02))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        outcome = recover(root)
        outcomes[outcome or "clean"] += 1
        state = _state(root)
        assert _is_one_version(state, a, b), sorted(state)[:5]
        assert not (root / JOURNAL).exists() and not (root / STAGING).exists()
    # the kills landed in every phase: before the commit point, after it, and between runs
    assert min(outcomes.values()) > 0, outcomes


def _generated_state(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_generate_killed_at_random_points_is_completed_or_undone(tmp_path: Path) -> None:
    spec = public_spec("Redocly__museum-openapi-example/openapi.yaml")  # skips without them
    old_spec, new_spec = tmp_path / "old.yaml", tmp_path / "new.yaml"
    text = spec.read_text()
    old_spec.write_text(text)
    new_spec.write_text(text.replace("operationId: getMuseumHours", "operationId: getOpenHours"))
    command = [sys.executable, "-m", "specloom.generator.cli", "generate"]
    reference = tmp_path / "reference" / "pkg"  # one folder name: the package's import name
    for source in (old_spec, new_spec):
        subprocess.run([*command, str(source), "--out", str(reference)], check=True, timeout=300)
    new_state = _generated_state(reference)
    started = time.perf_counter()
    base = tmp_path / "base" / "pkg"
    subprocess.run([*command, str(old_spec), "--out", str(base)], check=True, timeout=300)
    old_state = _generated_state(base)
    seconds = time.perf_counter() - started
    rng = random.Random(7)
    for round_ in range(int(os.environ.get("SPECLOOM_GENERATE_KILLS", "6"))):
        work = tmp_path / f"w{round_}" / "pkg"
        shutil.copytree(base, work)
        child = subprocess.Popen([*command, str(new_spec), "--out", str(work)])
        time.sleep(rng.uniform(0.2, 1.2) * seconds)
        child.send_signal(signal.SIGKILL)
        child.wait()
        recover(work)
        assert _generated_state(work) in (old_state, new_state)
        finish = subprocess.run(
            [*command, str(new_spec), "--out", str(work)], capture_output=True, text=True
        )
        assert finish.returncode == 0, finish.stderr
        assert _generated_state(work) == new_state


def test_nothing_to_write_writes_nothing(tmp_path: Path) -> None:
    atomic_write(tmp_path / "pkg", {})
    assert not (tmp_path / "pkg").exists()
