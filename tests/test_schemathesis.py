"""Schemathesis (`--checks all`, every phase) against the example pet store and three servers
generated from the public corpus, each on uvicorn at 127.0.0.1: no failure, 501 from a stub
expected. Few examples per operation here; benchmarks/schemathesis_bench.py runs more."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = 2  # per operation and phase: the run stays within a couple of minutes
CORPUS_SERVERS = ("museum", "petstore-expanded", "tictactoe")


def _bench() -> ModuleType:
    path = REPO / "benchmarks" / "schemathesis_bench.py"
    spec = importlib.util.spec_from_file_location("schemathesis_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bench = _bench()
pytestmark = pytest.mark.skipif(
    shutil.which("schemathesis", path=str(Path(sys.executable).parent)) is None,
    reason="schemathesis is not installed (the dev extra)",
)


def _assert_clean(row: dict[str, object]) -> None:
    assert row["checks_run"], row
    assert row["failures"] == 0 and not row["errors"], json.dumps(row, indent=2)


def test_petstore_passes_every_check() -> None:
    _assert_clean(bench.run_server(bench.PETSTORE, EXAMPLES))


@pytest.mark.parametrize("name", CORPUS_SERVERS)
def test_generated_server_passes_every_check(name: str) -> None:
    server = next(s for s in bench.CORPUS if s.name == name)
    if not bench.PUBLIC.is_dir():
        pytest.skip(f"the public corpus is not at {bench.PUBLIC} (SPECLOOM_PUBLIC_SPECS)")
    _assert_clean(bench.run_server(server, EXAMPLES))


def test_event_stream_paths_are_found() -> None:
    document = {
        "paths": {
            "/events": {"get": {"responses": {"200": {"content": {"text/event-stream": {}}}}}},
            "/pets": {"get": {"responses": {"200": {"content": {"application/json": {}}}}}},
        }
    }
    assert bench.streams(document) == ["/events"]
