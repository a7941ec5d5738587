"""`specloom dev` and `specloom serve` on real uvicorn servers on 127.0.0.1, stopped by PID.

`dev` serves the package, regenerates it when the spec changes (the user's code kept, the change
report printed) and the reloaded server serves the new operation; SIGTERM stops it and its
server. `serve --workers 2` spreads requests over two processes behind one port, and each runs
the background tasks of the requests it answered.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import yaml

from specloom.generator.generate import generate

from ..live_server import free_port

pytest.importorskip("uvicorn", reason="serving needs the server extra (uvicorn)")

PETS = Path(__file__).parent / "cli_fixtures" / "pets.yaml"


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def status(url: str) -> int | None:
    try:
        return httpx.get(url, timeout=2).status_code
    except httpx.TransportError:
        return None


def port_closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@contextmanager
def specloom(cwd: Path, *args: str, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m specloom ARGS` in its own session (its server with it); killed at the end."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "specloom", *args],
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_dev_regenerates_on_a_spec_change_and_serves_the_new_operation(tmp_path: Path) -> None:
    shutil.copy(PETS, tmp_path / "pets.yaml")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specloom]\nspec = "pets.yaml"\nout = "pets_api"\n', encoding="utf-8"
    )
    port, log = free_port(), tmp_path / "dev.log"
    base = f"http://127.0.0.1:{port}"
    with specloom(tmp_path, "dev", "--port", str(port), log=log) as dev:
        wait_until(lambda: status(base + "/pets") == 501, 60, "the stub to answer")
        handlers = tmp_path / "pets_api" / "handlers" / "pets.py"
        handlers.write_text(handlers.read_text() + "\n# a line of mine\n", encoding="utf-8")
        # the reloader restarts on the edit; then the operation the spec lacks is not served
        time.sleep(1)
        wait_until(lambda: status(base + "/toys") == 404, 60, "the reloaded server")
        doc = yaml.safe_load((tmp_path / "pets.yaml").read_text())
        doc["paths"]["/toys"] = {
            "get": {
                "operationId": "listToys",
                "tags": ["pets"],
                "responses": {"204": {"description": "none"}},
            }
        }
        (tmp_path / "pets.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
        wait_until(lambda: status(base + "/toys") == 501, 60, "the new operation to be served")
        printed = log.read_text()
        assert "spec changed: regenerating" in printed
        assert "added: list_toys: new operation: handler stub added" in printed
        assert "# a line of mine" in handlers.read_text()
        dev.send_signal(signal.SIGTERM)
        assert dev.wait(timeout=20) == 0
        wait_until(lambda: port_closed(port), 10, "the server to stop with dev")


def test_a_spec_that_breaks_is_reported_and_the_last_package_keeps_serving(
    tmp_path: Path,
) -> None:
    shutil.copy(PETS, tmp_path / "pets.yaml")
    port, log = free_port(), tmp_path / "dev.log"
    base = f"http://127.0.0.1:{port}"
    args = ("dev", "pets.yaml", "--out", "pets_api", "--port", str(port))
    with specloom(tmp_path, *args, log=log) as dev:
        wait_until(lambda: status(base + "/pets") == 501, 60, "the stub to answer")
        (tmp_path / "pets.yaml").write_text("openapi: [unclosed\n", encoding="utf-8")
        wait_until(lambda: "specloom: error:" in log.read_text(), 30, "the error to be printed")
        assert "pets.yaml:2:1: invalid YAML" in log.read_text()
        assert "Traceback" not in log.read_text()
        assert status(base + "/pets") == 501
        assert dev.poll() is None


def test_dev_mock_serves_the_unwritten_stubs_from_the_spec(tmp_path: Path) -> None:
    shutil.copy(PETS, tmp_path / "pets.yaml")
    port, log = free_port(), tmp_path / "dev.log"
    base = f"http://127.0.0.1:{port}"
    args = ("dev", "pets.yaml", "--out", "pets_api", "--port", str(port), "--mock")
    with specloom(tmp_path, *args, log=log) as dev:
        wait_until(lambda: status(base + "/pets") == 200, 60, "the mock answer")
        response = httpx.get(base + "/pets", timeout=5)
        assert response.headers["x-specloom-mock"] == "schema"
        assert isinstance(response.json(), list)
        assert "X-Rate-Limit".lower() in response.headers
        missing = httpx.get(base + "/pets/1", headers={"Prefer": "code=418"}, timeout=5)
        assert missing.status_code == 400  # the operation documents no 418
        assert "mock mode" in log.read_text()
        assert "(response validation: log)" in log.read_text()
        dev.send_signal(signal.SIGTERM)
        assert dev.wait(timeout=20) == 0


HANDLER = '''
import os
from pathlib import Path

from specloom.runtime import Response
from specloom.runtime.background_tasks import BackgroundTask


def _record(folder: str, pid: int) -> None:
    (Path(folder) / f"{pid}-{os.urandom(4).hex()}").write_text("ran")


@op.show_pet
async def show_pet(pet_id: op.ShowPetPetId) -> m.Pet:
    """GET /pets/{petId}"""
    pid = os.getpid()
    task = BackgroundTask(_record, os.environ["TASKS"], pid)
    return Response(m.Pet(id=pid, name="worker"), background=task)  # type: ignore[return-value]
'''


def test_serve_spreads_requests_over_workers_that_each_run_their_background_tasks(
    tmp_path: Path,
) -> None:
    out = tmp_path / "pets_api"
    generate(PETS, out)
    handlers = out / "handlers" / "pets.py"
    text = handlers.read_text()
    start = text.index("@op.show_pet")
    handlers.write_text(text[:start] + HANDLER.lstrip("\n"), encoding="utf-8")
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    port, log = free_port(), tmp_path / "serve.log"
    base = f"http://127.0.0.1:{port}"
    os.environ["TASKS"] = str(tasks)
    try:
        with specloom(
            tmp_path, "serve", "--out", "pets_api", "--port", str(port), "--workers", "2", log=log
        ) as server:
            wait_until(lambda: status(base + "/pets/1") == 200, 60, "the workers to answer")
            pids: set[int] = set()
            deadline = time.monotonic() + 60
            while len(pids) < 2 and time.monotonic() < deadline:
                with httpx.Client() as client:  # a new connection each time
                    pids.add(client.get(base + "/pets/1").json()["id"])
            assert len(pids) == 2, log.read_text()
            wait_until(
                lambda: {int(p.name.split("-")[0]) for p in tasks.iterdir()} >= pids,
                20,
                "each worker's background tasks",
            )
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        assert port_closed(port)
    finally:
        del os.environ["TASKS"]
