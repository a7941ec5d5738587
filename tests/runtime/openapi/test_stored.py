"""The document kept on disk (`OpenAPIConfig(document_cache=...)`): read back only while the
code, config and routes it was built from are the same; otherwise built again."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec
import pytest

from specloom.runtime import App
from specloom.runtime.openapi import OpenAPIConfig, stored
from specloom.runtime.openapi import document as document_module

HANDLERS = """
from __future__ import annotations

import msgspec

from specloom.runtime import get


class Item(msgspec.Struct):
    name: str
    size: {size}


@get("/items", description="The items.")
async def items() -> list[Item]:
    return []
"""


@pytest.fixture
def package(tmp_path: Path) -> Iterator[Callable[[str], ModuleType]]:
    """Writes (or rewrites) a handler module in a package of its own and imports it fresh."""
    name = f"stored_pkg_{abs(hash(tmp_path)) % 10**8}"
    root = tmp_path / "src" / name
    root.mkdir(parents=True)
    (root / "__init__.py").write_text("", encoding="utf-8")
    sys.path.insert(0, str(tmp_path / "src"))

    def write(size: str) -> ModuleType:
        (root / "handlers.py").write_text(textwrap.dedent(HANDLERS.format(size=size)), "utf-8")
        for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[loaded]
        importlib.invalidate_caches()
        return importlib.import_module(f"{name}.handlers")

    yield write
    sys.path.remove(str(tmp_path / "src"))
    for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[loaded]


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the documents built (not read back)."""
    counted: list[int] = []
    build = document_module._encoded_document

    def counting(app: Any) -> bytes:
        counted.append(1)
        return build(app)

    monkeypatch.setattr(document_module, "_encoded_document", counting)
    return counted


def _app(module: ModuleType, folder: Path | None, title: str = "Store") -> App:
    config = OpenAPIConfig(title=title, document_cache=folder)
    return App([module.items], openapi_config=config)


def _stored_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("openapi-*.json"))


def test_a_second_app_of_the_same_code_reads_the_stored_document(
    package: Callable[[str], ModuleType], builds: list[int], tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    module = package("int")
    first = _app(module, folder).openapi()
    assert len(builds) == 1 and len(_stored_files(folder)) == 1
    second = _app(module, folder).openapi()  # a new app: its own per-app cache is empty
    assert len(builds) == 1, "read back, not built"
    assert second == first
    assert second["components"]["schemas"]["Item"]["properties"]["size"] == {"type": "integer"}


def test_changed_code_is_never_served_the_stored_document(
    package: Callable[[str], ModuleType], builds: list[int], tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    _app(package("int"), folder).openapi()
    changed = _app(package("str"), folder).openapi()  # the handler module's bytes changed
    assert len(builds) == 2
    assert changed["components"]["schemas"]["Item"]["properties"]["size"] == {"type": "string"}
    assert len(_stored_files(folder)) == 2


def test_a_changed_config_or_route_list_builds_again(
    package: Callable[[str], ModuleType], builds: list[int], tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    module = package("int")
    _app(module, folder).openapi()
    assert _app(module, folder, title="Other").openapi()["info"]["title"] == "Other"
    config = OpenAPIConfig(title="Store", document_cache=folder)
    assert App([], openapi_config=config).openapi()["paths"] == {}
    assert len(builds) == 3


def test_no_folder_stores_nothing(
    package: Callable[[str], ModuleType], builds: list[int], tmp_path: Path
) -> None:
    module = package("int")
    _app(module, None).openapi()
    _app(module, None).openapi()
    assert len(builds) == 2
    assert not list(tmp_path.rglob("openapi-*.json"))


def test_a_damaged_stored_file_is_built_again_and_replaced(
    package: Callable[[str], ModuleType], builds: list[int], tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    module = package("int")
    expected = _app(module, folder).openapi()
    (path,) = _stored_files(folder)
    head = path.read_bytes().partition(b"\n")[0]
    for damaged in (b"", head, b"something else\n{}", head + b"\n"):
        path.write_bytes(damaged)
        assert _app(module, folder).openapi() == expected
    assert len(builds) == 5
    assert msgspec.json.decode(path.read_bytes().partition(b"\n")[2]) == expected


def test_a_folder_that_cannot_be_written_still_serves_the_document(
    package: Callable[[str], ModuleType], builds: list[int], tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    module = package("int")
    document = _app(module, blocked / "cache").openapi()
    assert document["paths"]["/items"]["get"]["description"] == "The items."
    assert stored.store(blocked / "cache", "0" * 64, b"{}") is False


def test_only_the_most_recently_used_documents_are_kept(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    for number in range(7):
        assert stored.store(folder, f"{number:064d}", b'{"n": %d}' % number)
    kept = _stored_files(folder)
    assert len(kept) == stored._KEEP
    assert stored.load(folder, f"{6:064d}") == b'{"n": 6}'
    assert stored.load(folder, f"{0:064d}") is None
    assert not list(folder.glob(".openapi-*")), "no temporary file left behind"
    # a folder it creates ignores itself in git, as the generator's does
    assert (folder / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
