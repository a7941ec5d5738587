"""Project configuration: the `[tool.specloom]` table of pyproject.toml.

Read from the current folder upwards (the nearest pyproject.toml that has the table), so that
`specloom generate` needs no arguments in a project. Paths in it are relative to the
pyproject.toml's folder; the command line's flags override it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["ConfigError", "ProjectConfig", "find_config"]

# key -> (type, what it sets); the options of `specloom generate` that belong to a project
KEYS: dict[str, tuple[type, str]] = {
    "spec": (str, "the OpenAPI document, relative to pyproject.toml"),
    "out": (str, "the package folder to write, relative to pyproject.toml"),
    "quiet": (bool, "print only errors"),
    "report": (str, "write each run's report as JSON to this file, relative to pyproject.toml"),
    "ignore_base_path": (bool, "serve routes at the spec's paths, not under its servers' path"),
    "spec_root": (str, "the folder the spec's $refs may read under, relative to pyproject.toml"),
}
PATHS = ("spec", "out", "report", "spec_root")


class ConfigError(Exception):
    """The `[tool.specloom]` table cannot be used; the message says which file and key."""


@dataclass(frozen=True)
class ProjectConfig:
    """The `[tool.specloom]` table found, its paths made absolute."""

    path: Path  # the pyproject.toml it came from
    values: dict[str, Any]

    def get(self, key: str) -> Any:
        return self.values.get(key)


def _table(pyproject: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{pyproject}: cannot read it: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{pyproject}: not valid TOML: {exc}") from exc
    table = data.get("tool", {}).get("specloom")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.specloom] must be a table")
    return table


def _checked(pyproject: Path, table: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            known = ", ".join(sorted(KEYS))
            raise ConfigError(f"{pyproject}: [tool.specloom] {key}: unknown key (known: {known})")
        expected, _ = KEYS[key]
        if not isinstance(value, expected):
            raise ConfigError(
                f"{pyproject}: [tool.specloom] {key}: expected a {expected.__name__}, "
                f"got {type(value).__name__} {value!r}"
            )
        values[key] = str(pyproject.parent / str(value)) if key in PATHS else value
    return values


def find_config(start: Path | None = None) -> ProjectConfig | None:
    """The nearest `[tool.specloom]` table from `start` (the current folder) upwards."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        pyproject = candidate / "pyproject.toml"
        if not pyproject.is_file():
            continue
        table = _table(pyproject)
        if table is not None:
            return ProjectConfig(pyproject, _checked(pyproject, table))
    return None
