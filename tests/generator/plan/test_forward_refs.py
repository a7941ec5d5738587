"""The models module is evaluated as it is read: each model after those it names, and only a
field that closes a cycle (or reads a name its class body has bound) written as a string."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import msgspec
import pytest

from specloom.generator.generate import generate
from specloom.generator.plan import forward_refs
from specloom.generator.plan.model_order import definition_order
from specloom.runtime.testing import TestClient

from ..lint import RULE_SETS, VENV_BIN, ruff
from ..served import fill_handlers, import_app

SPEC = Path(__file__).parents[1] / "fixtures" / "recursive_models.yaml"
BODIES = {
    "POST /nodes": "return data",
    "GET /people": 'return m.Person(name="p", employer=m.Company(chief=m.Person(name="c")))',
    "GET /animals": 'return m.Dog(name="d", firstborn=m.Dog(name="e", breed="b"))',
    "POST /folders": "return data",
    "GET /records": "return m.Record()",
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("forward") / "recursive_api"
    generate(SPEC, folder)
    fill_handlers(folder, BODIES)
    return folder


def _string_fields(package: Path) -> dict[str, list[str]]:
    """class -> the fields whose annotation is a string."""
    tree = ast.parse((package / "_generated" / "models.py").read_text())
    found: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            found[node.name] = [
                item.target.id
                for item in node.body
                if isinstance(item, ast.AnnAssign)
                and isinstance(item.target, ast.Name)
                and isinstance(item.annotation, ast.Constant)
            ]
    return {name: fields for name, fields in found.items() if fields}


def test_only_the_fields_that_close_a_cycle_are_strings(package: Path) -> None:
    text = (package / "_generated" / "models.py").read_text()
    assert "from __future__" not in text
    assert _string_fields(package) == {
        "Company": ["chief", "staff"],  # Person comes after it
        "Animal": ["firstborn"],  # Dog is built on Animal: it must come after
        "Folder": ["entries"],  # Entry is a union of Folder and File
        "Node": ["parent", "children"],  # itself
        # `Record.uuid` is `uuid_: uuid.UUID` (a field is never named after a module the class
        # body names); `number_format = "plain"` is bound before `count` calls number_format()
        "Record": ["count"],
    }


def test_recursive_values_are_served_and_the_spec_given_back(package: Path) -> None:
    app = import_app(package)
    tree = {"name": "a", "children": [{"name": "b", "parent": {"name": "a"}, "children": []}]}
    folder = {"name": "f", "entries": [{"name": "g", "entries": [{"name": "h", "size": 3}]}]}
    with TestClient(app) as client:
        assert client.post("/nodes", json=tree).json() == tree
        assert client.post("/folders", json=folder).json() == folder
        assert client.get("/people").json() == {
            "name": "p",
            "employer": {"chief": {"name": "c"}},
        }
        assert client.get("/animals").json()["firstborn"] == {"name": "e", "breed": "b"}
        assert client.get("/records").json() == {"key": "none", "numberFormat": "plain"}
        assert client.post("/nodes", json={"children": []}).status_code == 400
    document = app.openapi()
    node = document["components"]["schemas"]["Node"]
    assert node["properties"]["parent"] == {"$ref": "#/components/schemas/Node"}


def test_the_module_is_clean_under_ruff_black_and_mypy(package: Path) -> None:
    for rules in RULE_SETS.values():
        run = ruff(package.parent, package.name, *rules)
        assert run.returncode == 0, run.stdout + run.stderr
    black = [str(VENV_BIN / "black"), "--check", "--diff", "-q", "-l", "100", package.name]
    run = subprocess.run(black, cwd=package.parent, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    mypy = [str(VENV_BIN / "mypy"), "--strict", "--no-incremental", package.name]
    run = subprocess.run(mypy, cwd=package.parent, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


def test_definition_order_keeps_what_must_come_first_and_breaks_cycles_late() -> None:
    must = {"A": [], "B": ["A"], "C": [], "D": []}
    should = {"A": ["B"], "B": [], "C": ["D"], "D": ["C"]}
    # B is built on A, so A's field that names B closes the cycle; C and D: C first (given
    # first), then D; nothing else moves
    assert definition_order(["A", "B", "C", "D"], must, should) == ["A", "B", "C", "D"]
    should = {"A": ["D"], "B": [], "C": [], "D": ["C"]}
    assert definition_order(["A", "B", "C", "D"], must, should) == ["C", "D", "A", "B"]


def test_a_long_chain_is_ordered_without_recursion() -> None:
    names = [f"M{index:05}" for index in range(5000)]
    should = {
        name: [names[index + 1]] if index + 1 < len(names) else []
        for index, name in enumerate(names)
    }
    order = definition_order(names, {name: [] for name in names}, should)
    assert order == names[::-1]
    assert msgspec.json.decode(msgspec.json.encode(order)) == order


def _uses_by_search(annotation: str, bound: set[str]) -> bool:
    """`_uses` as it was: any bound name in the text, then the parse (the reference)."""
    if not any(name in annotation for name in bound):
        return False
    tree = ast.parse(annotation, mode="eval")
    return any(isinstance(node, ast.Name) and node.id in bound for node in ast.walk(tree))


def test_uses_finds_what_the_search_and_parse_did() -> None:
    annotations = [
        "uuid.UUID",
        "list[m.Pet] | None",
        "Annotated[str, Meta(pattern='id')]",
        "Literal['date', 'time']",
        "dict[str, datetime.date]",
        "int",
        "\u00e9t\u00e9 | None",
    ]
    names = ["uuid", "UUID", "Pet", "m", "id", "date", "time", "datetime", "in", "\u00e9t\u00e9"]
    many = {f"padding{index}" for index in range(forward_refs._SEARCHED)}  # words looked up
    for annotation in annotations:
        for first in names:
            for second in names:
                for bound in ({first, second}, {first, second} | many):
                    assert forward_refs._uses(annotation, bound) == _uses_by_search(
                        annotation, bound
                    ), (annotation, bound)
