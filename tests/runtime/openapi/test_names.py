"""Component renames and inlining: what an inlined schema gives each of its uses."""

from __future__ import annotations

from specloom.runtime.openapi import names


class _Inline:
    """A class marked `@inline_schema`."""


names.inline_schema(_Inline)


class _Named:
    """A class documented as a component."""


def _ref(name: str) -> dict[str, str]:
    return {"$ref": names.REF_PREFIX + name}


def test_inline_components_are_expanded_in_place_alike_where_shared() -> None:
    # one schema object in two places (the registry puts a leaf's schema in a component:
    # extra keys' additionalProperties): expanded once, both places read the same
    shared = {"type": "array", "items": {**_ref("Inner"), "description": "a use"}}
    inner = {"type": "object", "properties": {"n": {"type": "integer"}}}
    components = {
        "Inner": inner,
        "Outer": {"type": "object", "additionalProperties": shared, "properties": {}},
        "Mapped": {"oneOf": [_ref("Other")], "discriminator": {"mapping": {"o": "#/x"}}},
    }
    schemas = [shared, _ref("Inner"), [_ref("Inner")]]
    classes = {"Inner": _Inline, "Outer": _Named, "Mapped": _Named}
    got_schemas, got_components = names.rewrite_components(classes, schemas, components)
    expanded = {"type": "object", "properties": {"n": {"type": "integer"}}}
    assert got_schemas == [
        {"type": "array", "items": {**expanded, "description": "a use"}},
        expanded,
        [expanded],
    ]
    assert got_components["Outer"]["additionalProperties"] == got_schemas[0]
    assert "Inner" not in got_components
    uses = [got_schemas[1], got_schemas[2][0], got_schemas[0]["items"]]
    assert len({id(use) for use in uses}) == 3  # each use its own dict


def test_an_inline_component_a_mapping_names_stays() -> None:
    components = {
        "Inner": {"type": "object"},
        "Union": {
            "oneOf": [_ref("Inner")],
            "discriminator": {"propertyName": "k", "mapping": {"i": names.REF_PREFIX + "Inner"}},
        },
    }
    classes = {"Inner": _Inline, "Union": _Named}
    _, got = names.rewrite_components(classes, [_ref("Inner")], components)
    assert got["Inner"] == {"type": "object"}
    assert got["Union"]["oneOf"] == [_ref("Inner")]


def test_inline_components_that_reach_themselves_stay() -> None:
    components = {
        "Tree": {"type": "object", "properties": {"kids": {"items": _ref("Tree")}}},
        "Leaf": {"type": "string"},
    }
    classes = {"Tree": _Inline, "Leaf": _Inline}
    got_schemas, got = names.rewrite_components(classes, [_ref("Tree"), _ref("Leaf")], components)
    assert got_schemas == [_ref("Tree"), {"type": "string"}]
    assert set(got) == {"Tree"}
