"""`specloom dev` and `specloom serve`: a generated package run on uvicorn.

`serve` is the production way: uvicorn with `--workers`. `dev` is the loop of a user editing the
spec: it serves the package with uvicorn's reloader (which restarts on a change under the
package's folder), watches the spec's files (the document and every file its `$ref`s read) and
regenerates when one changes, keeping the user's code and printing the change report; a spec
that cannot be read is reported and the server keeps serving the last good package.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import FrameType

__all__ = ["ServerMissing", "app_target", "run_dev", "run_serve", "watched_files"]

MOCK_VARIABLE = "SPECLOOM_MOCK"  # read by the runtime's App (runtime/mock.py)
# read by the runtime's App (runtime/response_validation.py)
VALIDATE_VARIABLE = "SPECLOOM_VALIDATE_RESPONSES"
POLL_SECONDS = 0.3  # how often the spec's files are looked at (their modification times)


class ServerMissing(Exception):
    """uvicorn is not installed: the `server` extra."""

    def __init__(self) -> None:
        super().__init__("serving needs uvicorn; install it with: pip install 'specloom[server]'")


def app_target(out: Path) -> tuple[str, Path]:
    """The import string of the package's app, and the folder it is imported from: the current
    folder when the package is under it (as `specloom generate` names it), else its parent."""
    resolved = out.resolve()
    try:
        parts = resolved.relative_to(Path.cwd().resolve()).parts
    except ValueError:
        parts = ()
    if parts and all(part.isidentifier() for part in parts):
        return ".".join(parts) + ".app:app", Path.cwd()
    return f"{resolved.name}.app:app", resolved.parent


def _require_uvicorn() -> None:
    try:
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise ServerMissing() from exc


def run_serve(out: Path, *, host: str, port: int, workers: int) -> int:
    """Serve the package with uvicorn, `workers` processes behind one port."""
    _require_uvicorn()
    import uvicorn

    target, app_dir = app_target(out)
    uvicorn.run(target, host=host, port=port, workers=workers, app_dir=str(app_dir))
    return 0


def watched_files(spec: str, spec_root: str | None = None) -> list[Path]:
    """The spec's files: the document and every file it `$ref`s (as far as it can be read)."""
    from .errors import SpecError
    from .loader import load_spec

    try:
        files = load_spec(spec, spec_root=spec_root).files
    except (SpecError, OSError):
        files = ()
    return sorted({Path(spec).resolve(), *(Path(name).resolve() for name in files)})


def _stamps(files: Iterable[Path]) -> dict[Path, int | None]:
    found: dict[Path, int | None] = {}
    for path in files:
        try:
            found[path] = path.stat().st_mtime_ns
        except OSError:
            found[path] = None
    return found


def _stop(process: subprocess.Popen[bytes]) -> int:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return 0


def _on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run_dev(
    spec: str,
    out: Path,
    *,
    host: str,
    port: int,
    regenerate: Callable[[], int],
    spec_root: str | None = None,
    mock: bool = False,
    validate_responses: str | None = None,
) -> int:
    """Serve with reload and regenerate whenever the spec's files change, until interrupted
    (Ctrl-C or SIGTERM stops the server too); `spec_root` as `generate` takes it. `mock`: the
    server runs with `SPECLOOM_MOCK=1`, so the app answers from the spec where a handler is not
    written yet. `validate_responses` (off, log, strict; None: `SPECLOOM_VALIDATE_RESPONSES`
    as set, else log): the server checks its responses against the spec."""
    _require_uvicorn()
    target, app_dir = app_target(out)
    command = [sys.executable, "-m", "uvicorn", target, "--app-dir", str(app_dir)]
    command += ["--host", host, "--port", str(port), "--reload", "--reload-dir", str(out)]
    files = watched_files(spec, spec_root)
    stamps = _stamps(files)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if mock:
        env[MOCK_VARIABLE] = "1"
    validation = validate_responses or env.get(VALIDATE_VARIABLE) or "log"
    env[VALIDATE_VARIABLE] = validation
    mode = " (mock mode: unwritten handlers answer from the spec)" if mock else ""
    mode += f" (response validation: {validation})"
    print(f"serving {target} on http://{host}:{port}{mode}; watching {len(files)} spec file(s)")
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, _on_sigterm)
    process = subprocess.Popen(command, env=env)
    try:
        while process.poll() is None:
            time.sleep(POLL_SECONDS)
            now = _stamps(files)
            if now == stamps:
                continue
            stamps = now  # taken before regenerating: an edit made meanwhile is seen next
            print(f"spec changed: regenerating {out}")
            regenerate()
            sys.stdout.flush()
            files = watched_files(spec, spec_root)  # a new `$ref` may read another file
            stamps = {**_stamps(files), **{f: t for f, t in stamps.items() if f in files}}
        return process.returncode or 0
    except KeyboardInterrupt:
        return _stop(process)
    finally:
        _stop(process)
