"""The change report on models: what a new spec changes in the models the handlers build."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import get_args

import jsonschema
import pytest

from specloom.generator.contract import ReportKind
from specloom.generator.generate import generate
from specloom.generator.merge import ChangeKind
from specloom.generator.model_contract import Builds, ModelReportKind, model_changes

REPO = Path(__file__).resolve().parents[2]

V1 = """\
openapi: 3.0.3
info: {title: Hours, version: "1"}
paths:
  /hours:
    get:
      operationId: getHours
      tags: [hours]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Hours"}
components:
  schemas:
    Hours:
      type: object
      required: [date, timeClose]
      properties:
        date: {type: string}
        timeClose: {type: string}
        kind: {$ref: "#/components/schemas/Kind"}
    Kind:
      type: string
      enum: [open, closed]
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "v1.yaml").write_text(V1)
    package = tmp_path / "hours_pkg"
    generate(tmp_path / "v1.yaml", package)
    handler = package / "handlers" / "hours.py"
    filled = 'return m.Hours(date="2026-12-07", time_close="18:00")'
    handler.write_text(handler.read_text().replace("raise NotImplementedError", filled))
    return package


def _lines(result: object) -> list[tuple[str, str, str, bool, str]]:
    return [
        (c.kind, c.function, c.detail, c.breaking, c.pointer)
        for c in result.changes  # type: ignore[attr-defined]
    ]


def test_an_unchanged_spec_reports_nothing(tmp_path: Path) -> None:
    package = _project(tmp_path)
    assert generate(tmp_path / "v1.yaml", package, check=True).changes == []


def test_a_renamed_property_is_reported_with_the_code_that_builds_it(tmp_path: Path) -> None:
    package = _project(tmp_path)
    (tmp_path / "v2.yaml").write_text(V1.replace("timeClose", "closingTime"))
    lines = _lines(generate(tmp_path / "v2.yaml", package, check=True))
    assert lines == [
        (
            "field_renamed",
            "Hours",
            "field 'time_close' (timeClose) renamed to 'closing_time' (closingTime); "
            f"breaks the code at {package}/handlers/hours.py:15",
            True,
            "/components/schemas/Hours/properties/closingTime",
        )
    ]


def test_removed_added_retyped_and_enum_changes(tmp_path: Path) -> None:
    package = _project(tmp_path)
    v2 = (
        V1.replace("timeClose: {type: string}", "timeClose: {type: integer}")
        .replace("[open, closed]", "[open, shut]")
        .replace("        date: {type: string}\n", "        day: {type: boolean}\n")
        .replace("required: [date, timeClose]", "required: [day, timeClose]")
    )
    (tmp_path / "v2.yaml").write_text(v2)
    lines = _lines(generate(tmp_path / "v2.yaml", package, check=True))
    assert [(kind, subject, breaking) for kind, subject, _, breaking, _ in lines] == [
        ("field_removed", "Hours", True),
        ("field_added", "Hours", True),
        ("field_changed", "Hours", True),
        ("enum_changed", "Kind", True),
    ]
    assert f"breaks the code at {package}/handlers/hours.py:15" in lines[0][2]
    assert lines[1][2] == (
        "field 'day' (day) added: bool, required; breaks the code at "
        f"{package}/handlers/hours.py:15"
    )
    assert lines[2][2] == (
        f"field 'time_close' (timeClose) type str -> int; breaks the code at {package}/"
        "handlers/hours.py:15"
    )
    assert lines[3][2] == "values removed ['closed'], values added ['shut']"


def test_a_rename_is_only_guessed_when_one_pair_of_a_type_fits() -> None:
    def struct(**fields: str) -> dict[str, object]:
        return {
            "kind": "struct",
            "pointer": "/components/schemas/M",
            "fields": {k: {"name": k, "type": t, "required": True} for k, t in fields.items()},
        }

    ambiguous = model_changes({"M": struct(a="str", b="str")}, {"M": struct(c="str", d="str")}, {})
    assert sorted(c.kind for c in ambiguous) == [
        "field_added",
        "field_added",
        "field_removed",
        "field_removed",
    ]
    [renamed] = model_changes({"M": struct(a="str", b="int")}, {"M": struct(c="str", b="int")}, {})
    assert (renamed.kind, renamed.detail) == ("field_renamed", "field 'a' (a) renamed to 'c' (c)")


def test_models_added_and_removed_and_a_lock_without_models() -> None:
    old = {"A": {"kind": "struct", "pointer": "/a", "fields": {}}}
    new = {"B": {"kind": "enum", "pointer": "/b", "values": ["x"]}}
    assert [(c.kind, c.function, c.breaking) for c in model_changes(old, new, {})] == [
        ("model_removed", "A", True),
        ("model_added", "B", False),
    ]
    assert model_changes({}, new, {}) == []


def test_builds_finds_model_calls_and_their_keywords() -> None:
    code = "x = m.Pet(name='a')\ny = Pet(\n    name='b', age=1)\nz = Pet(**kw)\nbroken = (\n"
    assert Builds({"h.py": code}).calls == {}  # a module that does not parse is skipped
    builds = Builds({"h.py": code.rsplit("\nbroken", 1)[0]})
    assert builds.of("Pet") == ["h.py:1", "h.py:2", "h.py:4"]
    assert builds.passing("Pet", "age") == ["h.py:2", "h.py:4"]  # **kw may pass it
    assert builds.omitting("Pet", "age") == ["h.py:1"]


def test_a_change_cites_only_the_calls_it_breaks() -> None:
    def struct(**fields: tuple[str, bool]) -> dict[str, object]:
        return {
            "kind": "struct",
            "pointer": "/p",
            "fields": {k: {"name": k, "type": t, "required": r} for k, (t, r) in fields.items()},
        }

    builds = Builds({"h.py": "a = M(x=1)\nb = M(x=1, y='s')\n"})
    old = {"M": struct(x=("int", True), y=("str", False))}
    wider = {"M": struct(x=("int | None", True), y=("str", True))}
    [x, y] = model_changes(old, wider, builds)
    assert x.detail == "field 'x' (x) type int -> int | None"  # what was built still builds
    assert y.detail == "field 'y' (y) now required; breaks the code at h.py:1"
    narrower = {"M": struct(x=("bool", True), y=("str", False))}
    [x] = model_changes(old, narrower, builds)
    assert x.detail == "field 'x' (x) type int -> bool; breaks the code at h.py:1, h.py:2"
    [gone] = model_changes(old, {}, builds)
    assert gone.detail == "model removed; breaks the code at h.py:1, h.py:2"


PAGED = """\
openapi: 3.0.3
info: {title: Pages, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: offset, in: query, schema: {type: integer}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [items, total]
                properties:
                  items: {type: array, items: {type: string}}
                  total: {type: integer}
  /other:
    get:
      operationId: getOther
      responses: {"204": {description: none}}
"""


def test_code_left_behind_by_a_removed_operation_is_listed_where_it_is(tmp_path: Path) -> None:
    (tmp_path / "v1.yaml").write_text(PAGED)
    package = tmp_path / "paged"
    generate(tmp_path / "v1.yaml", package)
    paginators = (package / "paginators.py").read_text().splitlines()
    line = 1 + next(i for i, text in enumerate(paginators) if "class ListThingsPaginator" in text)
    without = PAGED.split("  /things:")[0] + "  /other:" + PAGED.split("  /other:")[1]
    (tmp_path / "v2.yaml").write_text(without)
    lines = _lines(generate(tmp_path / "v2.yaml", package, check=True))
    kinds = [(kind, subject, breaking) for kind, subject, _, breaking, _ in lines]
    assert ("removed", "list_things", True) in kinds
    [left] = [detail for kind, _, detail, _, _ in lines if kind == "left_behind"]
    assert left == (
        f"paginator ListThingsPaginator of the removed operation is kept at "
        f"{package / 'paginators.py'}:{line}"
    )
    [removed] = [detail for kind, _, detail, _, _ in lines if kind == "removed"]
    assert removed.endswith(f"{package / 'handlers' / 'default.py'}:14")


def test_the_report_follows_its_documented_schema(tmp_path: Path) -> None:
    schema = json.loads((REPO / "docs" / "report.schema.json").read_text())
    kinds = {*get_args(ChangeKind), *get_args(ReportKind), *get_args(ModelReportKind)}
    assert set(schema["properties"]["changes"]["items"]["properties"]["kind"]["enum"]) == kinds
    package = _project(tmp_path)
    (tmp_path / "v2.yaml").write_text(V1.replace("timeClose", "closingTime"))
    report = generate(tmp_path / "v2.yaml", package, check=True).report()
    jsonschema.validate(report, schema)
    assert report["summary"] == {"breaking": {"field_renamed": 1}, "other": {}}
    broken = {**report, "summary": {"breaking": {"field_renamed": 0}, "other": {}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_check_prints_counts_by_kind_then_the_breaking_lines(tmp_path: Path) -> None:
    package = _project(tmp_path)
    v2 = V1.replace("timeClose", "closingTime").replace(
        "        date: {type: string}\n",
        "        date: {type: string}\n        note: {type: integer}\n",
    )
    (tmp_path / "v2.yaml").write_text(v2)
    command = [
        sys.executable,
        "-m",
        "specloom.generator.cli",
        "generate",
        str(tmp_path / "v2.yaml"),
    ]
    run = subprocess.run(
        [*command, "--out", str(package), "--check"], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "2 change(s), 1 breaking: field_renamed 1 (breaking), field_added 1"
    assert lines[1].startswith("field_renamed: Hours: field 'time_close'")
    assert lines[2] == "    spec #/components/schemas/Hours/properties/closingTime"
    assert lines[3].startswith("would change")


def test_an_enum_widened_to_its_base_and_a_type_of_a_removed_model_cite_no_call() -> None:
    def struct(kind: str) -> dict[str, object]:
        field = {"name": "k", "type": kind, "required": True}
        return {"kind": "struct", "pointer": "/p", "fields": {"k": field}}

    enum = {"kind": "enum", "pointer": "/e", "values": ["a"], "base": "str"}
    builds = Builds({"h.py": "M(k=Kind.a)\nx: Old\n"})
    [widened] = model_changes(
        {"M": struct("Kind"), "Kind": enum}, {"M": struct("str"), "Kind": enum}, builds
    )
    assert widened.breaks == ()  # a str enum's members are str
    old = {"M": struct("Old"), "Old": {"kind": "struct", "pointer": "/o", "fields": {}}}
    changed, removed = model_changes(old, {"M": struct("str")}, builds)
    assert changed.breaks == ()  # the call breaks where the user names Old: the removal says so
    assert (removed.kind, removed.breaks) == ("model_removed", ("h.py:2",))
    as_struct = {"Kind": {"kind": "struct", "pointer": "/e", "fields": {}}}
    [kind] = model_changes({"Kind": enum}, as_struct, builds)
    assert kind.breaks == ("h.py:1",)  # `Kind.a` reads a member; an annotation would still hold
