"""Test helpers for generated packages: let every credential in, import the app."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any


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
