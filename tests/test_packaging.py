"""The distribution maps every source package: a forgotten one would be missing when installed."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROOTS = {
    "entry": "specloom",
    "runtime": "specloom.runtime",
    "generator": "specloom.generator",
    "templates": "specloom.templates",
}


def test_every_package_folder_is_listed_in_pyproject() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed, mapping = set(config["packages"]), config["package-dir"]
    found = set()
    for folder, package in ROOTS.items():
        for init in (REPO / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(REPO / folder)
            found.add(".".join([package, *relative.parts]))
    assert found - listed == set(), "add these packages to [tool.setuptools] packages"
    for package in found:
        assert package in mapping, f"map {package} in [tool.setuptools.package-dir]"
        assert (REPO / mapping[package] / "__init__.py").is_file()


def test_the_version_is_the_metadatas() -> None:
    """The generator reads `specloom.__version__` (the lock, the key of an unchanged rerun);
    the installed metadata takes its version from it."""
    import importlib.metadata

    import specloom

    assert specloom.__version__ == importlib.metadata.version("specloom")
