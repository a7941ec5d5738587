"""The change report on models: what a new spec changes in the models the handlers build."""

from __future__ import annotations

from pathlib import Path

from specloom.generator.generate import generate
from specloom.generator.model_contract import field_uses, model_changes

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
        (c.kind, c.function, c.detail, c.breaking, getattr(c, "pointer", ""))
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
            "built with it at handlers/hours.py:15",
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
    assert "built with it at handlers/hours.py:15" in lines[0][2]
    assert lines[1][2] == "field 'day' (day) added: bool, required"
    assert lines[2][2] == "field 'time_close' (timeClose) type str -> int"
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


def test_field_uses_finds_keyword_construction_in_any_form() -> None:
    code = "x = m.Pet(name='a')\ny = Pet(\n    name='b', age=1)\nz = other(**kw)\nbroken = (\n"
    assert field_uses({"h.py": code}) == {}  # a module that does not parse is skipped
    uses = field_uses({"h.py": code.rsplit("\nbroken", 1)[0]})
    assert uses[("Pet", "name")] == ["h.py:1", "h.py:2"]
    assert uses[("Pet", "age")] == ["h.py:2"]
