"""Values made from JSON Schemas validate against them (random schemas, checked by jsonschema)."""

from __future__ import annotations

import random
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specloom.runtime.mock_values import MAX_DEPTH, MockValues

FORMATS = ["date", "date-time", "time", "uuid", "email", "uri", "hostname", "ipv4", "ipv6"]
NAMES = st.sampled_from(["a", "b", "c", "id", "name", "kind"])


def check(schema: Any, value: Any, document: dict[str, Any] | None = None) -> None:
    root = {**(document or {}), **schema} if isinstance(schema, dict) else schema
    validator = jsonschema.Draft202012Validator(
        root, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [error.message for error in validator.iter_errors(value)]
    assert not errors, (schema, value, errors)


@st.composite
def integers(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer"}
    low = draw(st.none() | st.integers(-1000, 1000))
    if low is not None:
        key = draw(st.sampled_from(["minimum", "exclusiveMinimum"]))
        schema[key] = low
    if draw(st.booleans()):
        schema["maximum"] = (low if low is not None else 0) + draw(st.integers(2, 500))
    if draw(st.booleans()):
        schema["multipleOf"] = draw(st.integers(1, 7))
        schema.pop("exclusiveMinimum", None)
        if "maximum" in schema:
            schema["maximum"] = schema.get("minimum", 0) + 7 * draw(st.integers(1, 20))
    return schema


@st.composite
def numbers(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "number"}
    low = draw(st.none() | st.floats(-1e6, 1e6))
    if low is not None:
        schema[draw(st.sampled_from(["minimum", "exclusiveMinimum"]))] = low
    if draw(st.booleans()):
        schema["exclusiveMaximum"] = (low or 0.0) + draw(st.floats(0.5, 1e4))
    return schema


@st.composite
def strings(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if draw(st.booleans()):
        schema["format"] = draw(st.sampled_from(FORMATS))
        return schema
    low = draw(st.integers(0, 30))
    if draw(st.booleans()):
        schema["minLength"] = low
    if draw(st.booleans()):
        schema["maxLength"] = low + draw(st.integers(0, 10))
    return schema


def leaves() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        integers(),
        numbers(),
        strings(),
        st.just({"type": "boolean"}),
        st.just({"type": "null"}),
        st.lists(st.integers() | st.text(max_size=5), min_size=1, max_size=4).map(
            lambda values: {"enum": values}
        ),
        st.integers().map(lambda value: {"const": value}),
        st.just({"type": ["string", "null"], "maxLength": 3}),
    )


def objects(
    children: st.SearchStrategy[dict[str, Any]], names: st.SearchStrategy[str], closed: bool
) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda props, required, close: {
            "type": "object",
            "properties": props,
            "required": sorted(set(required) & set(props)),
            **({"additionalProperties": False} if close and closed else {}),
        },
        st.dictionaries(names, children, max_size=4),
        st.lists(names, max_size=4),
        st.booleans(),
    )


def containers(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[Any]:
    """Satisfiable schemas: an allOf's parts name different properties and are open."""
    closable = objects(children, NAMES, True)
    arrays = st.builds(
        lambda items, low, extra: {
            "type": "array",
            "items": items,
            "minItems": low,
            **({"maxItems": low + extra} if extra is not None else {}),
        },
        children,
        st.integers(0, 4),
        st.none() | st.integers(0, 3),
    )
    unique = st.builds(
        lambda low: {
            "type": "array",
            "items": {"type": "integer"},
            "uniqueItems": True,
            "minItems": low,
        },
        st.integers(0, 5),
    )
    any_of = st.lists(children, min_size=1, max_size=3).map(lambda members: {"anyOf": members})
    parts = st.tuples(
        objects(children, st.sampled_from(["a", "b", "c"]), False),
        objects(children, st.sampled_from(["id", "name", "kind"]), False),
    )
    all_of = parts.map(lambda pair: {"allOf": list(pair)})
    return st.one_of(closable, arrays, unique, any_of, all_of)


SCHEMAS = st.recursive(leaves(), containers, max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SCHEMAS, st.integers(0, 2**32), st.booleans())
def test_a_value_made_from_a_random_schema_validates(
    schema: dict[str, Any], seed: int, fixed: bool
) -> None:
    value = MockValues({}).value(schema, random.Random(seed), fixed)
    check(schema, value)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["A", "B", "C"]), SCHEMAS, min_size=1), st.integers())
def test_refs_into_components_are_resolved(components: dict[str, Any], seed: int) -> None:
    document = {"components": {"schemas": components}}
    name = sorted(components)[0]
    schema = {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}, "minItems": 2}
    value = MockValues(document).value(schema, random.Random(seed))
    check(schema, value, document)


def test_recursion_is_bounded() -> None:
    document = {
        "components": {
            "schemas": {
                "Node": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string"},
                        "children": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Node"},
                        },
                        "parent": {"$ref": "#/components/schemas/Node"},
                    },
                }
            }
        }
    }
    schema = {"$ref": "#/components/schemas/Node"}
    value = MockValues(document).value(schema, random.Random(1))
    check(schema, value, document)
    assert MockValues(document).value({"$ref": "#/x"}, random.Random(1), depth=MAX_DEPTH) == {}


def test_a_discriminated_one_of_carries_its_tag() -> None:
    document = {
        "components": {
            "schemas": {
                "Cat": {
                    "type": "object",
                    "required": ["kind", "lives"],
                    "properties": {"kind": {"type": "string"}, "lives": {"type": "integer"}},
                },
                "Dog": {
                    "type": "object",
                    "required": ["barks"],
                    "properties": {"kind": {"type": "string"}, "barks": {"type": "boolean"}},
                },
            }
        }
    }
    schema = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}},
    }
    value = MockValues(document).value(schema, random.Random(1))
    assert value["kind"] == "cat"
    assert isinstance(value["lives"], int)


def test_the_schemas_own_fitting_example_comes_first_and_a_pattern_is_tried() -> None:
    values = MockValues({})
    assert values.value({"type": "string", "example": "Tom"}, random.Random(1)) == "Tom"
    unfit = {"type": "string", "maxLength": 2, "example": "Tom"}
    assert len(values.value(unfit, random.Random(1))) <= 2
    digits = {"type": "string", "pattern": "^[0-9]+$"}
    value = values.value(digits, random.Random(1))
    check(digits, value)


def test_an_optional_property_no_value_fits_is_left_out() -> None:
    schema = {
        "allOf": [
            {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}},
            {"properties": {"a": {"type": "string"}}, "additionalProperties": False},
        ]
    }
    value = MockValues({}).value(schema, random.Random(3))
    assert value == {}
    check(schema, value)


def test_allof_merges_properties_required_and_bounds() -> None:
    schema = {
        "allOf": [
            {"type": "object", "required": ["a"], "properties": {"a": {"minimum": 5}}},
            {"required": ["b"], "properties": {"a": {"maximum": 6}, "b": {"type": "string"}}},
        ]
    }
    value = MockValues({}).value(schema, random.Random(3))
    check(schema, value)
    assert 5 <= value["a"] <= 6


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SCHEMAS, st.integers(0, 2**32))
def test_what_is_made_fits_by_the_example_check_too(schema: dict[str, Any], seed: int) -> None:
    values = MockValues({})
    assert values.mismatch(values.value(schema, random.Random(seed)), schema) is None


def test_the_example_check_says_where_and_why() -> None:
    values = MockValues({"components": {"schemas": {"Pet": PET}}})
    pet = {"$ref": "#/components/schemas/Pet"}
    assert values.mismatch({"id": 1, "name": "Tom"}, pet) is None
    assert values.mismatch({"name": "Tom"}, pet) == "/: the required property 'id' is missing"
    assert values.mismatch([{"id": "1", "name": "a"}], {"type": "array", "items": pet}) == (
        "/0/id: '1' does not fit {type: 'integer'}"
    )
    assert values.mismatch({"id": 1, "name": "a", "x": 1}, {**PET, "additionalProperties": False})
    assert values.mismatch(3, {"anyOf": [{"type": "string"}, {"minimum": 1}]}) is None


PET = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}


def test_a_one_of_value_is_one_that_a_single_member_accepts() -> None:
    schema = {"oneOf": [{"type": "string", "maxLength": 3}, {"type": "string"}]}
    for seed in range(20):
        value = MockValues({}).value(schema, random.Random(seed), fixed=bool(seed % 2))
        check(schema, value)


def test_an_example_of_the_wrong_format_does_not_fit() -> None:
    values = MockValues({})
    uuid_schema = {"type": "string", "format": "uuid"}
    assert values.mismatch("f4c26630-5d26-4cd1-a57e-g7834e72cb99", uuid_schema)
    assert values.mismatch("f4c26630-5d26-4cd1-a57e-a7834e72cb99", uuid_schema) is None
    assert values.mismatch("Wed Jun 20 2018", {"type": "string", "format": "date-time"})
    assert values.mismatch("::1", {"type": "string", "format": "ipv4"})
    made = values.value({**uuid_schema, "example": "not-a-uuid"}, random.Random(2))
    check(uuid_schema, made)
