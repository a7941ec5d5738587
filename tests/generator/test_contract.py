"""The handler contract the change report compares: each type shown as its kind writes it."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from specloom.generator.contract import _type_change
from specloom.generator.generate import generate
from specloom.generator.ir import ListType, ModelRef, PrimitiveType, TupleType, UnionType


def _raw(type_: object) -> object:
    return msgspec.to_builtins(type_)


def test_a_type_change_is_shown_in_the_kinds_own_words() -> None:
    old = ListType(PrimitiveType("int"))
    new = TupleType((PrimitiveType("int"), UnionType((ModelRef("Pet"), PrimitiveType("str")))))
    assert _type_change(_raw(old), _raw(new)) == "type list[int] -> tuple[int, Pet | str]"


def test_a_changed_constraint_alone_says_so() -> None:
    assert _type_change(_raw(PrimitiveType("int")), _raw(PrimitiveType("int", format="int64"))) == (
        "type int (format or constraints changed)"
    )


def test_what_is_no_type_is_shown_as_json() -> None:
    assert _type_change({"weird": 1}, _raw(PrimitiveType("str"))) == 'type {"weird": 1} -> str'


SECURED = """\
openapi: 3.0.3
info: {title: Keys, version: "1"}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    oauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: "https://auth.example/token", scopes: {read: r, write: w}}
paths:
  /things:
    get:
      operationId: listThings
      security: [{key: []}]
      parameters:
        - {name: ids, in: query, schema: {type: array, items: {type: integer}}}
      responses: {"204": {description: none}}
"""


def _report(tmp_path: Path, new: str) -> list[tuple[str, str, bool]]:
    (tmp_path / "v1.yaml").write_text(SECURED)
    package = tmp_path / "keys"
    generate(tmp_path / "v1.yaml", package)
    (tmp_path / "v2.yaml").write_text(new)
    changes = generate(tmp_path / "v2.yaml", package, check=True).changes
    return [(c.kind, c.detail, c.breaking) for c in changes]


@pytest.mark.parametrize(
    "old, new, line",
    [
        (
            "security: [{key: []}]",
            "security: [{key: []}, {oauth: [read]}]",
            ("security_changed", "security key -> key or oauth[read]", False),
        ),
        (
            "security: [{key: []}]",
            "security: [{oauth: [read, write]}]",
            ("security_changed", "security key -> oauth[read write]", True),
        ),
        (
            "security: [{key: []}]",
            "security: []",
            ("security_changed", "security key -> (none)", False),
        ),
        (
            "{name: ids, in: query, schema",
            "{name: ids, in: query, style: pipeDelimited, schema",
            ("parameter_changed", "parameter 'ids' style (default) -> pipeDelimited", True),
        ),
    ],
)
def test_security_and_parameter_style_changes_are_reported(
    tmp_path: Path, old: str, new: str, line: tuple[str, str, bool]
) -> None:
    assert _report(tmp_path, SECURED.replace(old, new)) == [line]
    (tmp_path / "same").mkdir()
    assert _report(tmp_path / "same", SECURED) == []
