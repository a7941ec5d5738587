"""Test helpers for generated packages: fill in handlers, let every credential in, import."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any


def fill_handlers(
    package: Path, bodies: dict[str, str], module: str = "default", imports: str = ""
) -> None:
    """Replace the stubs of `handlers/<module>.py` ("POST /path" -> one line of body).

    `imports` is added below the stub module's own imports (what the bodies use).
    """
    handlers = package / "handlers" / f"{module}.py"
    text = handlers.read_text()
    for route, body in bodies.items():
        marker = f'    """{route}"""\n    raise NotImplementedError'
        assert marker in text, f"no stub for {route}"
        text = text.replace(marker, f'    """{route}"""\n    {body}')
    if imports:
        anchor = "from .._generated import operations as op"
        text = text.replace(anchor, f"{anchor}\n{imports}")
    handlers.write_text(text)


def allow_every_credential(package: Path) -> None:
    """Edit the user-owned `security.py` so that every verifier accepts (they deny by default)."""
    security = package / "security.py"
    security.write_text(security.read_text().replace("return False", "return True"))


def import_app(package: Path) -> Any:
    """The `app` of a generated package, imported from the folder that holds it."""
    sys.path.insert(0, str(package.parent))
    try:
        return importlib.import_module(f"{package.name}.app").app
    finally:
        sys.path.remove(str(package.parent))
