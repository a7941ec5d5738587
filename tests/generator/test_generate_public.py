"""Every public spec generates a package that is lint- and type-clean, imports and routes all
its operations (the stubs answer 501, bad input 400, secured operations 401)."""

from __future__ import annotations

import hashlib
import importlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from specloom.generator.generate import GenerateResult, generate
from specloom.generator.ir import (
    Api,
    ListType,
    ModelRef,
    Operation,
    Parameter,
    PrimitiveType,
    without_none,
)
from specloom.generator.unchanged import CACHE
from specloom.runtime.testing import TestClient

from .lint import RULE_SETS, ruff
from .public_specs import DOCUMENTS, public_root, public_spec, spec_id

VENV_BIN = Path(sys.executable).parent
_SAMPLES = {
    "int": "1",
    "float": "1.5",
    "bool": "true",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
    "date": "2024-01-02",
    "datetime": "2024-01-02T03:04:05Z",
    "time": "03:04:05",
    "decimal": "1.5",
}


class Generated:
    """One generated package: where it is, its IR and the run's result."""

    def __init__(self, root: Path, package: str, result: GenerateResult, seconds: float) -> None:
        self.root, self.package, self.result, self.seconds = root, package, result, seconds

    @property
    def api(self) -> Api:
        assert self.result.api is not None
        return self.result.api

    def app(self) -> Any:
        if str(self.root) not in sys.path:
            sys.path.insert(0, str(self.root))
        return importlib.import_module(f"{self.package}.app").app


@pytest.fixture(scope="module", params=DOCUMENTS, ids=spec_id)
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    spec = public_spec(request.param)
    package = "gen_" + hashlib.sha256(request.param.encode()).hexdigest()[:10]
    root = tmp_path_factory.mktemp(package)
    started = time.perf_counter()
    result = generate(spec, root / package, spec_root=public_root(request.param))
    seconds = time.perf_counter() - started
    return Generated(root, package, result, seconds)


@pytest.mark.parametrize("rules", sorted(RULE_SETS))
def test_generated_code_passes_ruff(generated: Generated, rules: str) -> None:
    """The project's rules (no first-party setting) and ruff's own defaults: nothing waived."""
    run = ruff(generated.root, generated.package, *RULE_SETS[rules])
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr


def test_generated_code_is_black_formatted(generated: Generated) -> None:
    # ruff formats the generated code (formatting.py); black must find nothing to change
    command = [str(VENV_BIN / "black"), "--check", "--diff", "-q", "-l", "100", generated.package]
    run = subprocess.run(command, cwd=generated.root, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_generated_code_is_as_ruff_formats_it(generated: Generated) -> None:
    """A second formatting changes nothing (ruff, with the settings generation uses)."""
    command = [str(VENV_BIN / "ruff"), "format", "--check", "--diff", "--isolated", "--no-cache"]
    command += ["--line-length", "100", "--target-version", "py311", generated.package]
    run = subprocess.run(command, cwd=generated.root, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_generated_code_passes_mypy_strict(generated: Generated) -> None:
    command = [str(VENV_BIN / "mypy"), "--strict", "--no-incremental", generated.package]
    run = subprocess.run(command, cwd=generated.root, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def _sample(api: Api, parameter: Parameter) -> tuple[str, bool]:
    """A value for the parameter, and whether it surely validates (no constraint to meet)."""
    inner = without_none(parameter.type)
    if isinstance(inner, ListType):
        inner = without_none(inner.item)
    if isinstance(inner, ModelRef):
        model = api.model(inner.name)
        if model.enum_members:
            return str(model.enum_members[0].value), True
        return "x", False
    if isinstance(inner, PrimitiveType):
        return _SAMPLES.get(inner.kind, "x"), inner.constraints is None
    return "x", False


def _request(api: Api, op: Operation) -> tuple[dict[str, Any], bool]:
    # served under the servers' base path (`/api/v3`), as the spec means its paths
    path, query, headers, cookies, safe = api.base_path + op.path, {}, {}, {}, True
    for parameter in op.parameters:
        if parameter.location != "path" and not parameter.required:
            continue
        value, surely_valid = _sample(api, parameter)
        safe = safe and surely_valid
        if parameter.location == "path":
            path = path.replace("{" + parameter.name + "}", value)
        elif parameter.location == "query":
            query[parameter.name] = value
        elif parameter.location == "header":
            headers[parameter.name] = value
        else:
            cookies[parameter.name] = value
    request = {"method": op.method.upper(), "url": path, "params": query, "headers": headers}
    if cookies:
        request["headers"]["cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return request, safe


def _secured(op: Operation) -> bool:
    return bool(op.security) and all(alternative for alternative in op.security)


def test_every_operation_is_routed(generated: Generated) -> None:
    api = generated.api
    operations = [op for op in api.operations if op.kind == "operation" and op.routable]
    raw_count = sum(1 for op in api.operations if op.kind == "operation")
    assert len(operations) == raw_count, "an operation was left unrouted"
    app = generated.app()
    assert len(app.compiled_handlers) == len(operations)
    with TestClient(app) as client:
        for op in operations:
            request, safe = _request(api, op)
            response = client.request(**request)
            where = f"{op.method.upper()} {op.path}"
            # JSON, or the JSON media type the spec declares for the status (problem+json)
            media_type = response.headers.get("content-type", "").split(";")[0]
            assert media_type == "application/json" or media_type.endswith("+json"), where
            if _secured(op):
                assert response.status_code == 401, where  # denied before anything else
            elif op.body is not None and op.body.required:
                assert response.status_code in (400, 415), where
            elif safe:
                assert response.status_code == 501, (where, response.text)
            else:
                assert response.status_code in (400, 501), (where, response.text)


def test_invalid_numeric_parameters_are_a_400_naming_them(generated: Generated) -> None:
    """Every unsecured int/number path or query parameter rejects text with a 400 naming it."""
    api = generated.api
    checked = 0
    with TestClient(generated.app()) as client:
        for op in api.operations:
            if op.kind != "operation" or _secured(op):
                continue
            for parameter in op.parameters:
                inner = without_none(parameter.type)
                numeric = isinstance(inner, PrimitiveType) and inner.kind in ("int", "float")
                if parameter.location not in ("path", "query") or not numeric:
                    continue
                request, _ = _request(api, op)
                if parameter.location == "path":
                    url = api.base_path + op.path.replace(
                        "{" + parameter.name + "}", "not-a-number"
                    )
                    for other in op.parameters:
                        if other.location == "path" and other is not parameter:
                            url = url.replace("{" + other.name + "}", _sample(api, other)[0])
                    request["url"] = url
                else:
                    request["params"] = {**request["params"], parameter.name: "not-a-number"}
                response = client.request(**request)
                assert response.status_code == 400, response.text
                answer = response.json()
                if "extra" in answer:  # the runtime's own error object, or problem details
                    assert parameter.name in [entry["key"] for entry in answer["extra"]]
                else:  # the spec's declared error type: its text names the parameter
                    assert f" {parameter.name}: " in json.dumps(answer), answer
                checked += 1
    # specs without such a parameter check nothing here; the others check every one
    numeric_params = [
        p
        for op in api.operations
        if op.kind == "operation" and not _secured(op)
        for p in op.parameters
        if p.location in ("path", "query")
        and isinstance(without_none(p.type), PrimitiveType)
        and without_none(p.type).kind in ("int", "float")  # type: ignore[union-attr]
    ]
    assert checked == len(numeric_params)


def test_regenerating_changes_nothing(generated: Generated) -> None:
    package = generated.root / generated.package
    shutil.rmtree(package / CACHE, ignore_errors=True)  # a full run, not the unchanged skip
    relative = _document_of(generated)
    again = generate(public_spec(relative), package, check=True, spec_root=public_root(relative))
    assert again.written == []
    assert again.changes == [], "an unchanged spec reports no change"


def _document_of(generated: Generated) -> str:
    for relative in DOCUMENTS:
        if generated.package == "gen_" + hashlib.sha256(relative.encode()).hexdigest()[:10]:
            return relative
    raise AssertionError(generated.package)
