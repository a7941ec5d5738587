"""benchmarks/synthetic_spec.py: deterministic, valid documents with the shapes of large specs."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "specloom_synthetic_spec", REPO / "benchmarks" / "synthetic_spec.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    methods = {"get", "put", "post", "delete", "patch"}
    return [op for item in doc["paths"].values() for m, op in item.items() if m in methods]


@pytest.mark.parametrize("openapi", ["3.0", "3.1"])
def test_document_is_valid_and_has_the_constructs(openapi: str) -> None:
    from openapi_spec_validator import validate

    doc = _module().synthetic_document(60, seed=3, openapi=openapi)
    validate(doc)
    ops = _operations(doc)
    assert len(ops) == 60
    schemas = doc["components"]["schemas"]
    assert 60 <= len(schemas) <= 75  # about one component schema per operation
    assert any("discriminator" in s for s in schemas.values())
    assert any("anyOf" in s for s in schemas.values())
    assert any(len(s.get("oneOf", [])) >= 8 for s in schemas.values())  # a wide union

    # an allOf chain several links deep
    def depth(name: str) -> int:
        first = schemas[name].get("allOf", [{}])[0].get("$ref", "")
        return 1 + depth(first.rsplit("/", 1)[1]) if first else 0

    assert max(depth(n) for n in schemas) >= 5
    assert len(doc["components"]["parameters"]) >= 15
    assert all(
        sum("$ref" in p for p in op["parameters"]) >= 4 and len(op["responses"]) >= 3 for op in ops
    )
    assert any("requestBody" in op for op in ops)


def test_same_arguments_same_bytes_and_yaml_equals_json(tmp_path: Path) -> None:
    mod = _module()
    for name in ("a.json", "b.json"):
        mod.main(["--operations", "40", "--out", str(tmp_path / name), "--seed", "5"])
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    mod.main(["--operations", "40", "--out", str(tmp_path / "c.yaml"), "--seed", "5"])
    from_yaml = yaml.safe_load((tmp_path / "c.yaml").read_text())
    assert from_yaml == json.loads((tmp_path / "a.json").read_text())
    mod.main(["--operations", "40", "--out", str(tmp_path / "d.json"), "--seed", "6"])
    assert (tmp_path / "d.json").read_bytes() != (tmp_path / "a.json").read_bytes()


def test_size_grows_with_operations() -> None:
    mod = _module()
    small = len(mod.render(mod.synthetic_document(50), "json"))
    large = len(mod.render(mod.synthetic_document(200), "json"))
    assert 3 < large / small < 5
    assert 8_000 < large / 200 < 14_000  # about 11 KB of JSON per operation
