"""Helpers that generate_bench.py runs under specloom's own interpreter, one per process.

``describe SPEC [ROOT]``: version, operations and schemas as JSON; ``convert SPEC OUT [ROOT]``:
SPEC as JSON, read with specloom's lenient loader (it reads YAML that PyYAML refuses, such as a
bare ``=``), its $refs bundled; ROOT: the folder its $refs may read under (default: its own);
``import MODULE``: seconds ``import MODULE`` takes in this fresh interpreter.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path
from typing import Any

VERBS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def load(path: str, root: str | None = None) -> dict[str, Any]:
    from specloom.generator.loader import load_spec

    return load_spec(path, spec_root=root).document


def describe(doc: dict[str, Any]) -> dict[str, Any]:
    version = f"OpenAPI {doc['openapi']}" if "openapi" in doc else f"Swagger {doc.get('swagger')}"
    paths = doc.get("paths") or {}
    operations = sum(
        verb in VERBS for item in paths.values() if isinstance(item, dict) for verb in item
    )
    schemas = (doc.get("components") or {}).get("schemas") or doc.get("definitions") or {}
    return {"version": version, "operations": operations, "schemas": len(schemas)}


def main(argv: list[str]) -> int:
    sys.path[0] = str(Path.cwd())  # not this file's folder: import from the working directory
    command, *rest = argv
    if command == "describe":
        print(json.dumps(describe(load(rest[0], *rest[1:2]))))
    elif command == "convert":
        Path(rest[1]).write_text(json.dumps(load(rest[0], *rest[2:3]), default=str))
    elif command == "import":
        start = time.perf_counter()
        importlib.import_module(rest[0])
        print(time.perf_counter() - start)
    else:
        raise SystemExit(f"unknown command {command!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
