"""The phase of a long `specloom generate` run on a terminal's stderr (generator/progress.py):
shown past the delay on a terminal, erased at the end; never on a pipe, never with --quiet."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from specloom.generator.progress import TerminalProgress

PETS = Path(__file__).parent / "cli_fixtures" / "pets.yaml"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_shown_past_the_delay_with_the_phase_and_count_then_erased() -> None:
    stream = _Terminal()
    with TerminalProgress(stream, delay=0.05) as progress:
        progress("format", 3, 40)
        time.sleep(0.4)
        shown = stream.getvalue()
    assert "specloom: format 3/40 (" in shown
    assert stream.getvalue().endswith("\r\x1b[K")


def test_a_new_phase_past_the_delay_is_drawn_at_once() -> None:
    """A phase shorter than the redraw's interval is still seen (a fast run's phases)."""
    stream = _Terminal()
    with TerminalProgress(stream, delay=0) as progress:
        progress("load", 0, 0)
        progress("build", 0, 0)
        shown = stream.getvalue()  # no wait: drawn by the calls themselves
    assert "specloom: load" in shown and "specloom: build" in shown


def test_nothing_before_the_delay_nor_off_a_terminal_nor_when_disabled() -> None:
    quick = _Terminal()
    with TerminalProgress(quick, delay=5) as progress:
        progress("load", 0, 0)
    piped = io.StringIO()
    with TerminalProgress(piped, delay=0) as progress:
        progress("load", 0, 0)
        time.sleep(0.2)
    quiet = _Terminal()
    with TerminalProgress(quiet, enabled=False, delay=0) as progress:
        progress("load", 0, 0)
        time.sleep(0.2)
    assert (quick.getvalue(), piped.getvalue(), quiet.getvalue()) == ("", "", "")


def _generate_on_a_pty(tmp_path: Path, *extra: str) -> str:
    """`specloom generate` with stderr on a pseudo-terminal, the delay 0: what it drew there."""
    code = (
        "import sys; import specloom.generator.progress as p; p.DELAY = 0.0; "
        "from specloom.generator.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", code, "generate", str(PETS), "--out", "api", *extra],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    drawn = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        try:
            chunk = os.read(leader, 4096) if ready else b""
        except OSError:  # the follower side closed
            chunk = b""
        if not chunk:
            break
        drawn += chunk
    assert process.wait(timeout=120) == 0
    os.close(leader)
    return drawn.decode(errors="replace")


def test_a_terminal_sees_the_phases_and_quiet_silences_them(tmp_path: Path) -> None:
    drawn = _generate_on_a_pty(tmp_path)
    assert "specloom: " in drawn and any(
        f"specloom: {phase}" in drawn for phase in ("load", "build", "render", "format", "write")
    )
    assert drawn.count("\r\x1b[K") >= 2  # drawn, then erased at the end


def test_quiet_on_a_terminal_draws_nothing(tmp_path: Path) -> None:
    assert "specloom: " not in _generate_on_a_pty(tmp_path, "--quiet")
