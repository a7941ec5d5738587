"""Loading: paths, text, stdin, multi-file `$ref` bundling, and errors with positions."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from specloom.generator.errors import SpecError
from specloom.generator.loader import load_spec, resolve_pointer

from .public_specs import public_root, public_spec

MINIMAL = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"


def test_load_from_path_text_and_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(MINIMAL)
    assert load_spec(spec).document["info"]["title"] == "T"
    assert load_spec(str(spec)).source_name == str(spec)
    assert load_spec(MINIMAL).source_name == "<string>"
    monkeypatch.setattr("sys.stdin", io.StringIO(MINIMAL))
    loaded = load_spec("-")
    assert loaded.source_name == "<stdin>" and loaded.version == "3.1"


def test_multi_file_refs_are_bundled(fixtures: Path) -> None:
    loaded = load_spec(fixtures / "multifile" / "root.yaml")
    doc = loaded.document
    schemas = doc["components"]["schemas"]
    assert sorted(schemas) == ["Local", "Owner", "Problem", "pet"]
    op = doc["paths"]["/pets"]["get"]
    assert op["parameters"] == [{"$ref": "#/components/parameters/limit"}]
    assert op["responses"]["default"] == {"$ref": "#/components/responses/Error"}
    # refs inside other files now point into the root document, cycles included
    assert schemas["pet"]["properties"]["friends"]["items"] == {"$ref": "#/components/schemas/pet"}
    assert schemas["Owner"]["properties"]["pets"]["items"] == {"$ref": "#/components/schemas/pet"}
    assert schemas["Local"]["properties"]["pet"] == {"$ref": "#/components/schemas/pet"}
    assert len(loaded.files) == 5
    # positions of bundled content point into the file it came from
    where = loaded.source_map.locate("/components/schemas/Owner/properties/pets")
    assert where is not None and where.file.endswith("owner.yaml") and where.line == 5


def test_public_petstore_separate(fixtures: Path) -> None:
    """Its `$ref`s read `../common/Error.yaml`: outside the document's folder, so refused by
    default and read under the corpus source's folder (the rule of every public document)."""
    relative = "OAI__learn.openapis.org/examples/v2.0/yaml/petstore-separate/spec/swagger.yaml"
    spec = public_spec(relative)
    with pytest.raises(SpecError, match="outside the spec's root folder") as info:
        load_spec(spec, source_name="swagger.yaml")
    assert info.value.file == "swagger.yaml" and info.value.line is not None
    assert info.value.pointer is not None and info.value.pointer.startswith("/paths/")
    doc = load_spec(spec, spec_root=public_root(relative)).document
    assert sorted(doc["definitions"]) == ["Error", "NewPet", "Pet"]
    assert doc["definitions"]["NewPet"]["allOf"][0] == {"$ref": "#/definitions/Pet"}
    assert sorted(doc["parameters"]) == ["limitsParam", "tagsParam"]


def test_unresolvable_ref_names_file_line_and_pointer(fixtures: Path) -> None:
    with pytest.raises(SpecError) as info:
        load_spec(fixtures / "badref.yaml", source_name="spec.yaml")
    error = info.value
    assert error.pointer == "/paths/~1pets/get/responses/200/content/application~1json/schema"
    assert (error.file, error.line, error.column) == ("spec.yaml", 12, 17)
    assert str(error) == (
        "spec.yaml:12:17: #/paths/~1pets/get/responses/200/content/application~1json/schema: "
        "unresolvable $ref '#/components/schemas/Nope'"
    )


def test_missing_external_file(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        MINIMAL.replace(
            "paths: {}",
            "paths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: 'nope.yaml#/R'}\n",
        )
    )
    with pytest.raises(SpecError, match=r"unresolvable \$ref 'nope\.yaml#/R'") as info:
        load_spec(spec)
    assert info.value.line == 7


def test_remote_refs_are_not_fetched() -> None:
    text = MINIMAL.replace(
        "paths: {}", "components:\n  schemas:\n    A: {$ref: 'https://example.com/a.json'}\n"
    )
    with pytest.raises(SpecError, match=r"remote \$ref"):
        load_spec(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n- b\n", "top level is a list"),
        ("title: x\nother: y\n", "no 'openapi' or 'swagger' field"),
        ("swagger: '1.2'\ninfo: {}\n", "unsupported OpenAPI version"),
        ("openapi: 4.0.0\ninfo: {}\n", "unsupported OpenAPI version"),
    ],
)
def test_documents_that_cannot_be_understood(text: str, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        load_spec(text)


def test_bad_yaml_file(fixtures: Path) -> None:
    with pytest.raises(SpecError) as info:
        load_spec(fixtures / "bad.yaml", source_name="bad.yaml")
    assert str(info.value).startswith("bad.yaml:4:")


def test_later_minor_versions_are_read_as_31() -> None:
    loaded = load_spec(MINIMAL.replace("3.1.0", "3.2.0"))
    assert loaded.version == "3.1"
    assert "read as 3.1" in loaded.warnings[0].message


def test_resolve_pointer() -> None:
    doc = {"a": [{"b/c": {"~d": 1}}]}
    assert resolve_pointer(doc, "/a/0/b~1c/~0d") == 1
    assert resolve_pointer(doc, "") is doc
    assert resolve_pointer(doc, "/a/1") is not None  # the sentinel, not a value


# -- the check of local `$ref`s: after bundling, or on the objects the bundler walked ----------

_BAD_REFS = """openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /a:
    get:
      parameters:
        - $ref: '#/components/parameters/P'
      responses:
        '200': {$ref: 'SELF#/components/responses/Missing'}
        '404': {$ref: '#/components/responses/AlsoMissing'}
components:
  parameters:
    P: {name: p, in: query, schema: {type: string}}
"""


def test_the_first_bad_local_ref_in_document_order_is_refused(tmp_path: Path) -> None:
    """Nothing bundled (a `$ref` naming the root file itself is local): the first
    unresolvable `$ref` of the document is the one refused, as written after bundling."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(_BAD_REFS.replace("SELF", "spec.yaml"))
    with pytest.raises(SpecError) as info:
        load_spec(spec, source_name="spec.yaml")
    assert str(info.value) == (
        "spec.yaml:9:17: #/paths/~1a/get/responses/200: "
        "unresolvable $ref '#/components/responses/Missing'"
    )


def test_a_bad_local_ref_beside_bundled_content_is_refused(tmp_path: Path) -> None:
    """Content bundled from another file: the bundled document is checked all the same."""
    (tmp_path / "other.yaml").write_text("Q: {name: q, in: query, schema: {type: string}}\n")
    spec = tmp_path / "spec.yaml"
    text = _BAD_REFS.replace("SELF", "").replace("'#/components/parameters/P'", "'other.yaml#/Q'")
    spec.write_text(text)
    with pytest.raises(SpecError) as info:
        load_spec(spec, source_name="spec.yaml")
    assert str(info.value) == (
        "spec.yaml:9:17: #/paths/~1a/get/responses/200: "
        "unresolvable $ref '#/components/responses/Missing'"
    )


def test_a_bad_ref_inside_bundled_content_is_refused_where_it_was_written(
    tmp_path: Path,
) -> None:
    (tmp_path / "other.yaml").write_text("R:\n  $ref: '#/Nowhere'\n")
    spec = tmp_path / "spec.yaml"
    spec.write_text(MINIMAL.replace("paths: {}", "paths:\n  /a: {$ref: 'other.yaml#/R'}\n"))
    with pytest.raises(SpecError, match=r"unresolvable \$ref '#/Nowhere'") as info:
        load_spec(spec, source_name="spec.yaml")
    assert (info.value.file, info.value.line) == ("other.yaml", 2)


_LOOP = """openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /a:
    get:
      responses:
        '200': {$ref: '#/components/responses/R1'}
components:
  responses:
    R1: {$ref: '#/components/responses/R2'}
    R2: {$ref: 'SELF#/components/responses/R1'}
"""


@pytest.mark.parametrize("self_name", ["", "spec.yaml"])
def test_ref_loops_are_found_whether_or_not_a_ref_names_the_root_file(
    tmp_path: Path, self_name: str
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(_LOOP.replace("SELF", self_name))
    warnings = load_spec(spec, source_name="spec.yaml").warnings
    assert [(w.pointer, w.line) for w in warnings] == [
        ("/paths/~1a/get/responses/200/$ref", 7),
        ("/components/responses/R1/$ref", 10),
        ("/components/responses/R2/$ref", 11),
    ]


def test_a_document_with_nothing_to_bundle_is_walked_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check reads the `$ref`s the bundler found; with bundled content it walks again."""
    from specloom.generator import loader

    walks: list[str] = []
    walk_document = loader.walk_document

    def counted(doc: dict[str, object], version: str | None = None) -> object:
        walks.append(version or "")
        return walk_document(doc, version)

    monkeypatch.setattr(loader, "walk_document", counted)
    spec = tmp_path / "spec.yaml"
    spec.write_text(_LOOP.replace("SELF", "spec.yaml"))
    assert len(load_spec(spec).warnings) == 3
    assert len(walks) == 1
    (tmp_path / "other.yaml").write_text("R: {description: d}\n")
    spec.write_text(_LOOP.replace("SELF#/components/responses/R1", "other.yaml#/R"))
    assert load_spec(spec).warnings == []
    assert len(walks) == 3
