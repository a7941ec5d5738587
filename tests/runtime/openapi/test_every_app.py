"""openapi-spec-validator accepts the document of every app the test suite and examples define.

Every module under `tests/` and `examples/` is imported; each module-level `App` is validated,
and so is an app of each module-level handler, controller and router (one at a time, since test
modules reuse paths). The apps the OpenAPI tests build are validated by `helpers.validated`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from openapi_spec_validator import validate

from specloom.runtime import App, Controller, HTTPRouteHandler, Router
from specloom.runtime.exceptions import ImproperlyConfiguredException

ROOT = Path(__file__).resolve().parents[3]


def _modules() -> Iterator[str]:
    for package in ("tests", "examples"):
        if not (ROOT / package).is_dir():
            continue
        yield package
        for info in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            yield info.name


def _apps(module: ModuleType, seen: set[int]) -> Iterator[tuple[str, App]]:
    for name, value in sorted(vars(module).items()):
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, App):
            yield name, value
        elif isinstance(value, HTTPRouteHandler | Router) or (
            isinstance(value, type) and issubclass(value, Controller) and value is not Controller
        ):
            try:
                yield name, App([value])
            except (ImproperlyConfiguredException, TypeError):
                continue  # a deliberately broken handler (start-up error tests)


def _collect() -> list[Any]:
    found: list[Any] = []
    seen: set[int] = set()
    for module_name in _modules():
        try:
            module = importlib.import_module(module_name)
        except Exception:  # optional dependencies of a module: it has its own tests
            continue
        for name, app in _apps(module, seen):
            found.append(pytest.param(app, id=f"{module_name}.{name}"))
    return found


APPS = _collect()


def test_apps_were_found() -> None:
    assert len(APPS) > 20


@pytest.mark.parametrize("app", APPS)
def test_document_validates(app: App) -> None:
    validate(app.openapi())
