"""Generated packages are clean under ruff (the project's rules and ruff's defaults), black and
mypy --strict whatever text the spec holds, and that text is still served verbatim."""

from __future__ import annotations

import random
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from specloom.generator.generate import generate
from specloom.generator.naming import constant_name, snake_name
from specloom.generator.render.pyexpr import exports_order, literal
from specloom.generator.render.unambiguous import CHECKED_BLOCKS, is_plain_letter
from specloom.runtime.testing import TestClient

from .lint import RULE_SETS, VENV_BIN, ruff
from .served import import_app

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = FIXTURES / "lint_text.yaml"
# long names: a handler, its parameters' aliases, an enum member, a title, a model in a
# response's content, each made from spec text longer than a line
LINT_FIXTURES = ("lint_text.yaml", "lint_names.yaml")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lint") / "lint_pkg"
    generate(FIXTURE, out)
    return out


@pytest.fixture(scope="module", params=LINT_FIXTURES)
def linted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    fixture = FIXTURES / request.param
    out = tmp_path_factory.mktemp("lint") / fixture.stem
    generate(fixture, out)
    return out


@pytest.mark.parametrize("rules", sorted(RULE_SETS))
def test_spec_text_leaves_ruff_nothing_to_report(linted: Path, rules: str) -> None:
    package = linted
    run = ruff(package.parent, package.name, *RULE_SETS[rules])
    assert run.returncode == 0, run.stdout + run.stderr


def test_spec_text_leaves_black_and_mypy_nothing_to_report(linted: Path) -> None:
    package = linted
    black = [str(VENV_BIN / "black"), "--check", "--diff", "-q", "-l", "100", package.name]
    run = subprocess.run(black, cwd=package.parent, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr
    # an allOf that redeclares an inherited enum as its own: a subclass would not type-check
    mypy = [str(VENV_BIN / "mypy"), "--strict", "--no-incremental", package.name]
    run = subprocess.run(mypy, cwd=package.parent, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr


def test_no_line_is_too_long_and_nothing_is_waived(linted: Path) -> None:
    package = linted
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "noqa" not in text, path
        # as E501: a line of one long name (a handler named by a long operationId) can't split
        long = [line for line in text.splitlines() if len(line) > 100 and " " in line.strip()]
        assert not long, (path, long)


def test_spec_text_is_served_verbatim(package: Path) -> None:
    spec: dict[str, Any] = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    handlers = next(package.glob("handlers/a_tag_*.py"))
    text = handlers.read_text(encoding="utf-8")
    models = (package / "_generated" / "models.py").read_text(encoding="utf-8")
    dash = next(line for line in models.splitlines() if line.endswith(' = "\\u2013"'))
    member = dash.split("=")[0].strip()  # the enum member of the value "\u2013"
    body = f"return m.Item10(name=f'{{item_id}}:{{l_}}', note=None, choice=m.Item10Choice.{member})"
    handlers.write_text(text.replace("raise NotImplementedError", body, 1), encoding="utf-8")
    app = import_app(package)
    document = app.openapi()
    assert document["info"]["description"] == spec["info"]["description"]
    operation = document["paths"]["/items/{item_id}"]["get"]
    source = spec["paths"]["/items/{item_id}"]["get"]
    assert (operation["summary"], operation["description"]) == (
        source["summary"],
        source["description"],
    )
    item = spec["components"]["schemas"]["Item10"]
    served = document["components"]["schemas"]["Item10"]
    assert served["description"] == item["description"]
    assert served["properties"]["name"]["description"] == item["properties"]["name"]["description"]
    with TestClient(app) as client:
        response = client.get("/items/a\u2013b", params={"l": "7"})
    assert response.status_code == 200, response.text
    assert response.json() == {"name": "a\u2013b:7", "note": None, "choice": "\u2013"}


def test_every_letter_kept_as_written_is_unambiguous_to_ruff(tmp_path: Path) -> None:
    """The letters `unambiguous` keeps (the rest is escaped) are the ones ruff lets pass."""
    kept = [
        chr(code)
        for low, high in CHECKED_BLOCKS
        for code in range(low, high + 1)
        if is_plain_letter(chr(code))
    ]
    # beside ASCII letters, where ruff looks at every character of a word
    lines = [f'x{index} = "x{char}x"\n' for index, char in enumerate(kept)]
    (tmp_path / "kept.py").write_text("".join(lines), encoding="utf-8")
    run = ruff(tmp_path, "kept.py", "--select", "RUF001", "--output-format", "concise")
    assert run.returncode == 0, run.stdout[:4000]


def test_escaped_text_of_many_scripts_is_unambiguous_to_ruff(tmp_path: Path) -> None:
    pieces = [
        "\u2013",
        "\u2019",
        "\u201c",
        "\u00a0",
        "\u043e\u043a\u043e",
        "\u041a\u043e\u0448\u043a\u0430",
    ]
    pieces += [
        "\u0391\u03b8\u03ae\u03bd\u03b1",
        "\u4e2d\u6587\uff0c",
        "caf\u00e9",
        "\u03bcs",
        "\u0131",
    ]
    pieces += [
        "\U0001f600",
        "x\u0301",
        "\u05e9\u05dc\u05d5\u05dd",
        "\u0645\u0631\u062d\u0628\u0627",
    ]
    chooser = random.Random(7)
    texts = [
        " ".join(chooser.choices(pieces, k=8)) + "".join(chooser.choices(pieces, k=3))
        for _ in range(300)
    ]
    lines = [f"x{index} = {literal(text)}\n" for index, text in enumerate(texts)]
    (tmp_path / "texts.py").write_text("".join(lines), encoding="utf-8")
    run = ruff(tmp_path, "texts.py", "--select", "RUF001", "--output-format", "concise")
    assert run.returncode == 0, run.stdout[:4000]
    namespace: dict[str, Any] = {}
    exec(compile("".join(lines), "texts.py", "exec"), namespace)  # the values are the texts
    assert [namespace[f"x{index}"] for index in range(len(texts))] == texts


def test_exports_are_sorted_as_ruff_sorts_them(tmp_path: Path) -> None:
    chooser = random.Random(3)
    alphabet = "aAbBzZ_0019"
    names = {
        chooser.choice("aAbZ_x") + "".join(chooser.choices(alphabet, k=chooser.randint(0, 7)))
        for _ in range(2000)
    }
    ordered = sorted(names, key=exports_order)
    body = "".join(f'    "{name}",\n' for name in ordered)
    (tmp_path / "exports.py").write_text(f"__all__ = [\n{body}]\n", encoding="utf-8")
    run = ruff(tmp_path, "exports.py", "--select", "RUF022")
    assert run.returncode == 0, run.stdout[:4000]


def test_names_pycodestyle_calls_ambiguous_are_not_given_out() -> None:
    assert snake_name("l") == "l_"
    assert (constant_name("o"), constant_name("I"), constant_name("l")) == ("O_", "I_", "L")


def test_a_list_default_is_the_runtimes_not_a_shared_python_default(tmp_path: Path) -> None:
    """B006: a list as a function default is one object for every call. The default goes in the
    parameter's marker; the runtime gives it when the query has none, and serves it."""
    out = tmp_path / "names_pkg"
    generate(FIXTURES / "lint_names.yaml", out)
    handlers = out / "handlers" / "default.py"
    text = handlers.read_text(encoding="utf-8")
    assert "sort: op." in text and "= [" not in text
    body = (
        "import uuid\n\n    return m.API2ControllersWebAPIGroceryListControllerDepartmentModel("
        "uuid_=uuid.UUID(int=1), variant_uuids=[], name=','.join(sort))"
    )
    handlers.write_text(text.replace("raise NotImplementedError", body, 1), encoding="utf-8")
    app = import_app(out)
    operation = app.openapi()["paths"]["/groceryLists/{groceryListIdentifier}/departments"]["post"]
    sort = next(p for p in operation["parameters"] if p["name"] == "sort")
    assert sort["schema"]["default"] == ["-cycle", "name"] and not sort.get("required")
    with TestClient(app) as client:
        for query, expected in (("", "-cycle,name"), ("?sort=a&sort=b", "a,b")):
            sent = {"uuid": str(uuid.UUID(int=2)), "variantUuids": [], "name": "x"}
            response = client.post(f"/groceryLists/1/departments{query}", json=sent)
            assert response.status_code == 200, response.text
            assert response.json()["name"] == expected
            assert response.json()["uuid"] == str(uuid.UUID(int=1))  # a field `uuid_` in Python
