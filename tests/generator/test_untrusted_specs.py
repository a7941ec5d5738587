"""Loading an untrusted spec is bounded (`generator/limits.py`, `generator/yaml_extent.py`), a
`$ref` stays under the spec's root folder (`--spec-root` widens it), and every degradation
while loading (a `$ref` loop, an unknown YAML tag) is a warning: each error and warning names
the file, the line and the JSON pointer, through `specloom generate` or `load_spec`."""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from specloom.generator import limits
from specloom.generator.cli import main
from specloom.generator.errors import SpecError
from specloom.generator.generate import generate
from specloom.generator.loader import load_spec
from specloom.generator.sources import read_document

FIXTURES = Path(__file__).parent / "fixtures" / "untrusted"
HEAD = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"


def _refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The error `specloom` prints for a run that must be refused (exit 2)."""
    assert main(list(argv)) == 2
    return capsys.readouterr().err


# -- YAML aliases ------------------------------------------------------------------------------


def test_billion_laughs_is_refused_fast_and_small(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = FIXTURES / "laughs.yaml"  # 342 bytes: 9**6 strings once its aliases are expanded
    started = time.process_time()
    err = _refused(capsys, "generate", str(spec), "--out", str(tmp_path / "out"))
    assert time.process_time() - started < 5
    assert f"{spec}:10:6: #/x-g: YAML aliases expand this value to 5,380,840 values" in err
    assert "anchored at line 9" in err and "nothing was written" in err
    tracemalloc.start()
    try:
        with pytest.raises(SpecError) as info:
            load_spec(spec, source_name="laughs.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000
    assert (info.value.file, info.value.line, info.value.pointer) == ("laughs.yaml", 10, "/x-g")


def test_aliases_within_the_bound_are_expanded() -> None:
    """Sharing is fine: 200 uses of a 1,000-value anchor stay under the floor."""
    values = ", ".join(str(n) for n in range(999))
    uses = "\n".join(f"  u{n}: *big" for n in range(200))
    text = f"{HEAD}x-big: &big [{values}]\nx-uses:\n{uses}\n"
    loaded = load_spec(text)
    assert loaded.document["x-uses"]["u199"] == list(range(999))


def test_alias_expansion_is_bounded_relative_to_the_document(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large document may repeat more (ten times what it writes), but no more: the floor is
    lowered to 100 values here, so that a document of 200 values plays a large one."""
    monkeypatch.setattr(limits, "MAX_ALIAS_VALUES", 100)
    values = ", ".join(str(n) for n in range(200))
    text = f"{HEAD}x-big: &big [{values}]\nx-uses: [*big, *big, *big, *big, *big, *big, *big]\n"
    assert len(load_spec(text).document["x-uses"]) == 7
    many = ", ".join(["*big"] * 11)
    with pytest.raises(SpecError, match=r"expand this value to 2,2\d\d values") as info:
        load_spec(f"{HEAD}x-big: &big [{values}]\nx-uses: [{many}]\n", source_name="s.yaml")
    assert (info.value.line, info.value.pointer) == (5, "/x-uses")


def test_a_recursive_alias_is_still_an_error() -> None:
    with pytest.raises(SpecError, match="recursive YAML alias") as info:
        load_spec(f"{HEAD}x-a: &a\n  self: *a\n", source_name="s.yaml")
    assert info.value.file == "s.yaml" and info.value.line == 4


# -- nesting -----------------------------------------------------------------------------------


def _nested_schema_example(levels: int) -> str:
    """A 3.1 document whose deepest value (an example) is `levels` containers deep."""
    inner: object = 1
    # the example's containers: levels minus those around it (root, components, schemas,
    # Deep, example)
    for _ in range(levels - 4):
        inner = {"a": inner}
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Deep": {"type": "object", "example": inner}}},
    }
    return json.dumps(doc)


def test_nesting_at_the_limit_generates(tmp_path: Path) -> None:
    """MAX_DEPTH holds what the rest of the generator can write: Python's parser stops at 200
    nested brackets, and examples are written as literals."""
    spec = tmp_path / "deep.json"
    spec.write_text(_nested_schema_example(limits.MAX_DEPTH))
    generate(spec, tmp_path / "deep_api")
    items: dict[str, object] = {"type": "integer"}
    for _ in range(limits.MAX_DEPTH - 12):
        items = {"type": "array", "items": items}
    body = {"content": {"application/json": {"schema": items}}}
    operation = {"requestBody": body, "responses": {"204": {"description": "none"}}}
    doc = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}}
    doc["paths"] = {"/deep": {"post": operation}}
    spec.write_text(json.dumps(doc))
    generate(spec, tmp_path / "items_api")


def test_json_nested_beyond_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "deep.json"
    spec.write_text(_nested_schema_example(limits.MAX_DEPTH + 1))
    err = _refused(capsys, "generate", str(spec), "--out", str(tmp_path / "out"))
    pointer = "#/components/schemas/Deep/example" + "/a" * (limits.MAX_DEPTH - 4)
    assert f"{spec}:1:" in err and pointer + ":" in err
    assert f"nested more than {limits.MAX_DEPTH} objects or arrays deep" in err
    # far deeper than Python's recursion limit: json.loads gives up, the error is the same
    text = '{"openapi": "3.1.0",\n "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(SpecError, match="nested more than") as info:
        load_spec(text, source_name="s.json")
    assert (info.value.line, info.value.pointer) == (2, "/x" + "/0" * (limits.MAX_DEPTH - 1))


def test_yaml_nested_beyond_the_limit_in_text_or_through_aliases() -> None:
    depth = limits.MAX_DEPTH
    text = HEAD + "x-deep: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(SpecError, match="nested more than") as info:
        load_spec(text, source_name="s.yaml")
    assert (info.value.line, info.value.pointer) == (4, "/x-deep" + "/0" * (depth - 1))
    # each anchor is shallow; the alias chain makes it deep
    third = depth // 3 + 1
    text = (
        HEAD
        + f"x-a: &a {'[' * third}1{']' * third}\n"
        + f"x-b: &b {'[' * third}*a{']' * third}\n"
        + f"x-c: {'[' * third}*b{']' * third}\n"
    )
    with pytest.raises(SpecError, match="through the alias here") as info:
        load_spec(text, source_name="s.yaml")
    assert info.value.line == 5 and info.value.pointer == "/x-c" + "/0" * third


# -- sizes and files ---------------------------------------------------------------------------


def test_a_file_beyond_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    (tmp_path / "big.yaml").write_text("Big:\n  description: '" + "x" * 2000 + "'\n")
    spec = tmp_path / "spec.yaml"
    spec.write_text(HEAD + "components:\n  schemas:\n    Big: {$ref: 'big.yaml#/Big'}\n")
    with pytest.raises(SpecError, match=r"larger than 1,000 bytes.*MAX_FILE_BYTES") as info:
        load_spec(spec, source_name="spec.yaml")
    assert (info.value.file, info.value.line) == ("spec.yaml", 6)
    assert info.value.pointer == "/components/schemas/Big"
    (tmp_path / "root.yaml").write_text(HEAD + "x-pad: '" + "x" * 2000 + "'\n")
    with pytest.raises(SpecError, match=r"cannot read the spec: .* larger than"):
        load_spec(tmp_path / "root.yaml")
    with pytest.raises(SpecError, match="larger than"):
        load_spec(HEAD + "x-pad: '" + "x" * 2000 + "'\n")


def test_a_ref_to_something_that_is_not_a_file(tmp_path: Path) -> None:
    """A fifo (or a device) is never opened: it could block or never end."""
    os.mkfifo(tmp_path / "fifo.yaml")
    spec = tmp_path / "spec.yaml"
    spec.write_text(HEAD + "components:\n  schemas:\n    A: {$ref: 'fifo.yaml#/A'}\n")
    with pytest.raises(SpecError, match="is not a regular file") as info:
        load_spec(spec, source_name="spec.yaml")
    assert (info.value.line, info.value.pointer) == (6, "/components/schemas/A")


def test_the_number_of_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_FILES", 3)
    for n in range(4):  # part0 -> part1 -> part2 -> part3
        (tmp_path / f"part{n}.yaml").write_text(
            f"P:\n  type: object\n  properties:\n    next: {{$ref: 'part{n + 1}.yaml#/P'}}\n"
            if n < 3
            else "P: {type: string}\n"
        )
    spec = tmp_path / "spec.yaml"
    spec.write_text(HEAD + "components:\n  schemas:\n    A: {$ref: 'part0.yaml#/P'}\n")
    with pytest.raises(SpecError, match=r"beyond the 3 that specloom reads") as info:
        load_spec(spec, source_name="spec.yaml")
    assert info.value.file == "part1.yaml" and info.value.line == 4
    assert info.value.pointer == "/components/schemas/P2/properties/next"


# -- the spec's root folder --------------------------------------------------------------------


def test_a_ref_may_not_leave_the_spec_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = FIXTURES / "escape" / "spec" / "root.yaml"
    out = tmp_path / "escape_api"
    err = _refused(capsys, "generate", str(spec), "--out", str(out))
    assert (
        f"{spec}:12:17: #/paths/~1things/get/responses/200/content/application~1json/schema:" in err
    )
    assert "$ref '../shared.yaml#/components/schemas/Thing' reads " in err
    assert f"outside the spec's root folder {spec.parent}" in err
    assert "pass --spec-root DIR (or set spec_root in [tool.specloom])" in err
    assert not out.exists()
    # widened: the folder that holds both
    assert (
        main(["generate", str(spec), "--out", str(out), "--spec-root", str(spec.parents[1])]) == 0
    )
    assert "class Thing" in (out / "_generated" / "models.py").read_text()


def test_the_unchanged_rerun_knows_the_spec_root(tmp_path: Path) -> None:
    """A run that read outside the spec's folder (allowed then) is not reused by one that
    does not allow it."""
    spec = FIXTURES / "escape" / "spec" / "root.yaml"
    out = tmp_path / "escape_api"
    generate(spec, out, spec_root=spec.parents[1])
    assert generate(spec, out, spec_root=spec.parents[1]).written == []
    with pytest.raises(SpecError, match="outside the spec's root folder"):
        generate(spec, out)


def test_system_files_absolute_paths_and_symbolic_links(tmp_path: Path) -> None:
    folder = tmp_path / "api"
    folder.mkdir()
    (tmp_path / "outside.yaml").write_text("A: {type: string}\n")
    (folder / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    spec = folder / "spec.yaml"
    up = "../" * (len(folder.parts) + 2)
    for ref, reads in [
        (f"{up}etc/hostname", "/etc/hostname"),
        ("/etc/passwd", "/etc/passwd"),
        ("link.yaml#/A", str(tmp_path / "outside.yaml")),
    ]:
        spec.write_text(HEAD + f"components:\n  schemas:\n    A: {{$ref: '{ref}'}}\n")
        with pytest.raises(SpecError) as info:
            load_spec(spec, source_name="spec.yaml")
        assert (info.value.file, info.value.line) == ("spec.yaml", 6), ref
        assert info.value.pointer == "/components/schemas/A"
        assert f"reads {reads}, outside the spec's root folder {folder}" in info.value.message
    # the link is allowed once its target is under the root given
    schemas = load_spec(spec, spec_root=tmp_path).document["components"]["schemas"]
    assert schemas["A2"] == {"type": "string"}


def test_the_spec_root_must_hold_the_spec(tmp_path: Path) -> None:
    spec = FIXTURES / "escape" / "spec" / "root.yaml"
    with pytest.raises(SpecError, match="does not hold the spec"):
        load_spec(spec, spec_root=tmp_path)
    with pytest.raises(SpecError, match="is not a folder"):
        load_spec(spec, spec_root=tmp_path / "nowhere")


def test_spec_root_of_the_project_and_of_diff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = FIXTURES / "escape" / "spec" / "root.yaml"
    (tmp_path / "pyproject.toml").write_text(
        f"[tool.specloom]\nspec = '{spec}'\nout = 'api'\nspec_root = '{spec.parents[1]}'\n"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "--quiet"]) == 0 and (tmp_path / "api" / "app.py").is_file()
    assert "outside the spec's root folder" in _refused(capsys, "diff", str(spec), str(spec))
    assert main(["diff", str(spec), str(spec), "--spec-root", str(spec.parents[1])]) == 0


# -- degradations are warnings -----------------------------------------------------------------


def test_ref_loops_are_warnings_at_each_ref(tmp_path: Path) -> None:
    spec = FIXTURES / "ref_loops.yaml"
    result = generate(spec, tmp_path / "loops_api")
    loops = {(w.file, w.line, w.pointer): w.message for w in result.warnings if "loop" in w.message}
    response = loops[(str(spec), 14, "/paths/~1z/get/responses/200/$ref")]
    assert response == (
        "this $ref leads into a $ref loop ('#/components/responses/R1' -> "
        "'#/components/responses/R2' -> '#/components/responses/R1') that never reaches a "
        "definition; it is read as an empty response"
    )
    assert "is in a $ref loop" in loops[(str(spec), 32, "/components/responses/R1/$ref")]
    assert "empty pathItem" in loops[(str(spec), 5, "/paths/~1x/$ref")]
    assert (str(spec), 30, "/components/requestBodies/B1/$ref") in loops
    assert len(loops) == 16  # every $ref of the fixture is in a loop or leads into one


def test_unknown_yaml_tags_are_warnings_and_never_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = FIXTURES / "tags.yaml"
    result = generate(spec, tmp_path / "tags_api")
    tags = {(w.line, w.pointer): w.message for w in result.warnings if "YAML tag" in w.message}
    assert tags[(3, "/info/title")] == (
        "unknown YAML tag 'tag:yaml.org,2002:python/object:builtins.dict'; read as a plain "
        "mapping (tags are not applied)"
    )
    assert "read as a plain sequence" in tags[(11, "/components/schemas/Run/properties/a")]
    assert "read as a string" in tags[(12, "/components/schemas/Run/properties/b")]
    assert "'tag:yaml.org,2002:set'" in tags[(13, "/components/schemas/Run/properties/c")]
    assert all(w.file == str(spec) for w in result.warnings if "YAML tag" in w.message)
    assert not (tmp_path / "pwned_by_spec").exists()


def test_json_duplicate_keys_are_warnings(tmp_path: Path) -> None:
    """json.loads keeps the last of two equal keys silently; YAML's reader already warned."""
    spec = tmp_path / "dup.json"
    spec.write_text(
        '{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {},\n'
        ' "components": {"schemas": {"A": {"type": "string",\n'
        '  "type": "integer"}}}}'
    )
    result = generate(spec, tmp_path / "dup_api")
    found = [w for w in result.warnings if "duplicate key" in w.message]
    assert [(w.file, w.line, w.column, w.pointer) for w in found] == [
        (str(spec), 3, 3, "/components/schemas/A/type")
    ]
    assert found[0].message == "duplicate key 'type'; the last one is used"


def test_read_document_refuses_deep_json_without_recursing() -> None:
    with pytest.raises(SpecError) as info:
        read_document("[" * 300 + "]" * 300, "d.json")
    assert info.value.pointer == "/0" * limits.MAX_DEPTH
