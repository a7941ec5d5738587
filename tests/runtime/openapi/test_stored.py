"""The document kept on disk (`OpenAPIConfig(document_cache=...)`): read back only while the
code, config and routes it was built from are the same; otherwise built again."""

from __future__ import annotations

import contextlib
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


def _forget(name: str) -> None:
    """The package `name` and its modules out of `sys.modules` (imported again from disk)."""
    for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[loaded]


@contextlib.contextmanager
def _importable(tmp_path: Path, prefix: str) -> Iterator[tuple[str, Path]]:
    """A package of its own under `tmp_path`, importable for the block: its name and folder."""
    name = f"{prefix}_{abs(hash(tmp_path)) % 10**8}"
    root = tmp_path / "src" / name
    root.mkdir(parents=True)
    (root / "__init__.py").write_text("", encoding="utf-8")
    sys.path.insert(0, str(tmp_path / "src"))
    try:
        yield name, root
    finally:
        sys.path.remove(str(tmp_path / "src"))
        _forget(name)


def _reimported(name: str, module: str) -> ModuleType:
    """`name.module` imported again from disk."""
    _forget(name)
    importlib.invalidate_caches()
    return importlib.import_module(f"{name}.{module}")


@pytest.fixture
def package(tmp_path: Path) -> Iterator[Callable[[str], ModuleType]]:
    """Writes (or rewrites) a handler module in a package of its own and imports it fresh."""
    with _importable(tmp_path, "stored_pkg") as (name, root):

        def write(size: str) -> ModuleType:
            text = textwrap.dedent(HANDLERS.format(size=size))
            (root / "handlers.py").write_text(text, "utf-8")
            return _reimported(name, "handlers")

        yield write


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the documents built (not read back)."""
    counted: list[int] = []
    build = document_module._encoded_document

    def counting(app: Any, *kept: Any) -> bytes:
        counted.append(1)
        return build(app, *kept)

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


# the schemas kept apart: a handler's body edited (the common change while developing) reuses
# them; anything else they may derive from builds them again

MODELS = """
import msgspec


class Pet(msgspec.Struct):
    \"\"\"A pet.\"\"\"

    name: str
    age: {age}
"""

ROUTES = """
from __future__ import annotations

import msgspec

from specloom.runtime import get, post

from .models import Pet


class Tag(msgspec.Struct):
    label: {label}


@get("/pets")
async def pets(limit: int = 10) -> list[Pet]:
    {body}


@post("/tags")
async def tag(data: Tag) -> Tag:
    return data
"""

STUB = '"""Every pet."""\n    raise NotImplementedError'
WRITTEN = '"""The pets, by name."""\n    return [Pet(name="Rex", age=1)][:limit]'


@pytest.fixture
def two_modules(tmp_path: Path) -> Iterator[Callable[..., ModuleType]]:
    """Writes a package's models and routes modules and imports the routes fresh."""
    with _importable(tmp_path, "kept_pkg") as (name, root):

        def write(age: str = "int", label: str = "str", body: str = STUB) -> ModuleType:
            (root / "models.py").write_text(textwrap.dedent(MODELS.format(age=age)), "utf-8")
            routes = textwrap.dedent(ROUTES).format(label=label, body=body)
            (root / "routes.py").write_text(routes, "utf-8")
            return _reimported(name, "routes")

        yield write


@pytest.fixture
def generated(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the schema generations (`SchemaRegistry.finalize`), not restored ones."""
    counted: list[int] = []
    finalize = document_module.SchemaRegistry.finalize

    def counting(self: Any) -> dict[str, Any]:
        counted.append(1)
        return finalize(self)

    monkeypatch.setattr(document_module.SchemaRegistry, "finalize", counting)
    return counted


def _routes_app(module: ModuleType, folder: Path | None) -> App:
    config = OpenAPIConfig(title="Pets", document_cache=folder, runtime_answers=True)
    return App([module.pets, module.tag], openapi_config=config)


def _fresh(module: ModuleType) -> dict[str, Any]:
    return _routes_app(module, None).openapi()


def test_a_handler_body_edited_reuses_the_stored_schemas(
    two_modules: Callable[..., ModuleType], generated: list[int], tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    first = _routes_app(two_modules(), folder).openapi()
    assert len(generated) == 1
    assert "501" in first["paths"]["/pets"]["get"]["responses"], "a stub"
    module = two_modules(body=WRITTEN)  # the body (and its docstring) written
    edited = _routes_app(module, folder).openapi()
    assert len(generated) == 1, "the schemas restored, not generated"
    assert edited["paths"]["/pets"]["get"]["description"] == "The pets, by name."
    assert "501" not in edited["paths"]["/pets"]["get"]["responses"]
    assert edited != first
    assert edited == _fresh(module)
    assert len(generated) == 2  # the fresh build
    # and back: the first body's document again, the same as it was
    assert _routes_app(two_modules(), folder).openapi() == first


def test_a_model_edited_generates_the_schemas_again(
    two_modules: Callable[..., ModuleType], generated: list[int], tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    _routes_app(two_modules(), folder).openapi()
    module = two_modules(age="str")
    edited = _routes_app(module, folder).openapi()
    assert len(generated) == 2
    assert edited["components"]["schemas"]["Pet"]["properties"]["age"] == {"type": "string"}
    assert edited == _fresh(module)


def test_a_type_in_a_handler_module_or_a_signature_edited_generates_them_again(
    two_modules: Callable[..., ModuleType], generated: list[int], tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    _routes_app(two_modules(), folder).openapi()
    module = two_modules(label="int")  # a class of the handlers' module, outside any body
    edited = _routes_app(module, folder).openapi()
    assert len(generated) == 2
    assert edited["components"]["schemas"]["Tag"]["properties"]["label"] == {"type": "integer"}
    assert edited == _fresh(module)
    module = two_modules(label="int", body='return []\n\n\nPet.__doc__ = "Changed."')
    edited = _routes_app(module, folder).openapi()  # after the body: the module's own code
    assert len(generated) == 4
    assert edited["components"]["schemas"]["Pet"]["description"] == "Changed."


def test_stored_schemas_that_do_not_fit_are_generated_again(
    two_modules: Callable[..., ModuleType], generated: list[int], tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    module = two_modules()
    expected = _routes_app(module, folder).openapi()
    for path in folder.glob("openapi-*.json"):
        path.unlink()
    (kept,) = folder.glob("components-*.json")
    head = kept.read_bytes().partition(b"\n")[0]
    for damaged in (b'{"shape": [], "schemas": {}, "filled": []}', b"[1]", b"{"):
        kept.write_bytes(head + b"\n" + damaged)
        assert _routes_app(module, folder).openapi() == expected
        for path in folder.glob("openapi-*.json"):
            path.unlink()
    assert len(generated) == 4
