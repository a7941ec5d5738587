"""Python names from spec strings: valid, not reserved, unique and stable (with hypothesis)."""

from __future__ import annotations

import keyword
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specloom.generator.naming import (
    MAX_CLASS_NAME,
    MAX_FUNCTION_NAME,
    MAX_MEMBER_NAME,
    RESERVED_CLASS,
    RESERVED_FIELD,
    RESERVED_FUNCTION,
    RESERVED_PARAMETER,
    assign_unique,
    capped_name,
    component_keys,
    constant_name,
    function_name,
    is_identifier,
    paginator_name,
    pascal_name,
    snake_name,
)

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@pytest.mark.parametrize(
    ("text", "snake", "pascal"),
    [
        ("listPets", "list_pets", "ListPets"),
        ("get-board", "get_board", "GetBoard"),
        ("find pet by id", "find_pet_by_id", "FindPetById"),
        ("getHTTPStatus", "get_http_status", "GetHTTPStatus"),
        ("search#items", "search_items", "SearchItems"),
        ("messaging.v1.alpha_sender", "messaging_v1_alpha_sender", "MessagingV1AlphaSender"),
        ("16x16", "n16x16", "N16x16"),
        ("from", "from_", "From"),
        ("class", "class_", "Class"),
        ("max-results", "max_results", "MaxResults"),
        ("Ünïcode", "unicode", "Unicode"),
    ],
)
def test_examples(text: str, snake: str, pascal: str) -> None:
    assert snake_name(text) == snake
    assert pascal_name(text) == pascal


def test_reserved_names() -> None:
    assert snake_name("list") == "list_"  # would shadow `list[...]` in annotations
    assert snake_name("id") == "id"  # harmless as a field
    assert snake_name("data", RESERVED_PARAMETER) == "data_"  # the handler's body argument
    assert snake_name("get", RESERVED_FUNCTION) == "get_"  # the runtime's route decorator
    assert snake_name("print", RESERVED_FUNCTION) == "print_"
    assert pascal_name("Any") == "AnyModel" and pascal_name("none") == "NoneModel"
    assert snake_name("match") == "match_" and snake_name("type") == "type_"


def test_non_ascii_only_text_gets_a_stable_hash_name() -> None:
    first = snake_name("用户")
    assert first == snake_name("用户") and first != snake_name("名字")
    assert re.match(r"^u[0-9a-f]{8}$", first)
    assert re.match(r"^U[0-9a-f]{8}$", pascal_name(""))


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("in progress", "IN_PROGRESS"),
        ("=", "EQ"),
        ("!=", "NOT_EQ"),
        ("-name", "MINUS_NAME"),
        ("+name", "PLUS_NAME"),
        ("", "EMPTY"),
        ("16x16", "VALUE_16X16"),
        (1, "VALUE_1"),
        (-1, "VALUE_MINUS_1"),
    ],
)
def test_constant_names(value: object, name: str) -> None:
    assert constant_name(value) == name


def test_assign_unique_orders_colliders_by_their_own_key() -> None:
    items = [("b", "pet", "/components/schemas/pet"), ("a", "pet", "/components/schemas/Pet")]
    assert assign_unique(items) == {"a": "pet", "b": "pet_2"}
    # input order does not matter
    assert assign_unique(list(reversed(items))) == {"a": "pet", "b": "pet_2"}
    # a suffix never takes a name another item wants
    items.append(("c", "pet_2", "/x"))
    assert assign_unique(items) == {"a": "pet", "b": "pet_3", "c": "pet_2"}
    assert assign_unique([("k", "Pet", "1"), ("j", "Pet", "2")], separator="") == {
        "k": "Pet",
        "j": "Pet2",
    }
    assert assign_unique([("k", "V1", "1"), ("j", "V1", "2")], separator="")["j"] == "V1_2"
    assert assign_unique([("k", "from_", "1"), ("j", "from_", "2")])["j"] == "from_2"
    assert assign_unique([("k", "x", "1")], taken={"x"}) == {"k": "x_2"}


_texts = st.text(max_size=12)


@given(st.lists(_texts, max_size=12, unique=True))
def test_random_identifiers_give_valid_unique_names(texts: list[str]) -> None:
    for reserved, make in (
        (RESERVED_FIELD, snake_name),
        (RESERVED_PARAMETER, lambda t: snake_name(t, RESERVED_PARAMETER)),
        (RESERVED_FUNCTION, lambda t: snake_name(t, RESERVED_FUNCTION)),
        (RESERVED_CLASS, pascal_name),
    ):
        names = assign_unique((t, make(t), t) for t in texts)
        assert sorted(names) == sorted(texts)
        assert len(set(names.values())) == len(texts)
        for name in names.values():
            assert IDENTIFIER.match(name) and is_identifier(name)
            assert not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
            assert name not in reserved


@given(st.lists(st.one_of(_texts, st.integers()), max_size=10, unique=True))
def test_random_enum_values_give_valid_unique_members(values: list[object]) -> None:
    names = assign_unique((i, constant_name(v), repr(v)) for i, v in enumerate(values))
    assert len(set(names.values())) == len(values)
    for name in names.values():
        assert IDENTIFIER.match(name) and not name.startswith("_")


@given(st.lists(_texts, max_size=10, unique=True), _texts)
def test_names_are_stable(texts: list[str], extra: str) -> None:
    before = assign_unique((t, snake_name(t), t) for t in texts)
    # deterministic, whatever the order
    assert assign_unique((t, snake_name(t), t) for t in reversed(texts)) == before
    # an unrelated addition (wanting a name nobody has or wants) renames nothing
    wanted = snake_name(extra)
    if extra not in texts and wanted not in set(before.values()) | {snake_name(t) for t in texts}:
        after = assign_unique((t, snake_name(t), t) for t in [*texts, extra])
        assert {t: after[t] for t in texts} == before


def test_component_keys_rename_what_openapi_3_refuses_in_document_order() -> None:
    names = ["Item[Attribute]", "Ref (of Bundle)", "Ref_(of_Bundle)", "Item_Attribute_", "ok.v1"]
    assert component_keys(names) == {
        "Item[Attribute]": "Item_Attribute__2",  # the valid name keeps its own key
        "Ref (of Bundle)": "Ref__of_Bundle_",
        "Ref_(of_Bundle)": "Ref__of_Bundle__2",  # the second refused one, in the order given
    }
    assert component_keys(["a b", "a_b_2", "a_b"]) == {"a b": "a_b_3"}  # skips taken keys
    assert component_keys(["", "x\\y", "fine-name_1.0"]) == {"": "_", "x\\y": "x_y"}
    assert component_keys(reversed(names)) == {
        "Ref_(of_Bundle)": "Ref__of_Bundle_",
        "Ref (of Bundle)": "Ref__of_Bundle__2",
        "Item[Attribute]": "Item_Attribute__2",
    }


@given(st.lists(st.text(max_size=8), max_size=12))
def test_component_keys_are_valid_and_unique(names: list[str]) -> None:
    renamed = component_keys(names)
    keys = [renamed.get(name, name) for name in dict.fromkeys(names)]
    assert all(re.fullmatch(r"[a-zA-Z0-9.\-_]+", key) for key in keys)
    assert len(set(keys)) == len(keys)
    assert component_keys(names) == renamed  # deterministic


def test_a_long_class_name_keeps_its_first_word_and_its_end() -> None:
    long = "GetDeviceAssociationsV2TrackingIdGeofencesResponseDataItemGeofenceOption3" + (
        "TrainingStatusMetadataCoordinate"
    )
    assert capped_name(long) == "GetGeofencesResponseDataItemGeofenceOption3" + (
        "TrainingStatusMetadataCoordinate"
    )
    assert capped_name("ListPetsResponse") == "ListPetsResponse"


def test_long_names_of_handlers_members_and_paginators_are_capped() -> None:
    operation = "postDepartmentToTheGroceryListOfTheAuthenticatedUserWithinTheirMonetaryAccountNow"
    assert function_name(operation) == (
        "post_grocery_list_of_the_authenticated_user_within_their_monetary_account_now"
    )
    assert function_name("listPets") == "list_pets"
    assert function_name("class") == "class_"  # still reserved-safe
    sentence = "Calendar Event (subject|description|location|start|end|all day event true or false)"
    member = "CALENDAR_EVENT_SUBJECT_DESCRIPTION_LOCATION_START_END_ALL_DAY"
    assert constant_name(sentence) == member
    assert len(paginator_name(snake_name(operation))) <= MAX_CLASS_NAME
    assert paginator_name("list_pets") == "ListPetsPaginator"
    # a module a class body's annotations name is not a field's name (`uuid: uuid.UUID`)
    assert (snake_name("uuid"), snake_name("datetime"), snake_name("name")) == (
        "uuid_",
        "datetime_",
        "name",
    )


@given(st.text(min_size=1, max_size=300))
def test_capped_function_and_member_names_fit(text: str) -> None:
    name = function_name(text)
    assert len(name) <= MAX_FUNCTION_NAME and name.isidentifier() and not keyword.iskeyword(name)
    member = constant_name(text)
    assert len(member) <= MAX_MEMBER_NAME + len("VALUE_U") and member.isidentifier()


@given(st.text(min_size=1, max_size=300))
def test_capped_names_fit_and_stay_names(text: str) -> None:
    name = pascal_name(text)
    capped = capped_name(name)
    assert len(capped) <= MAX_CLASS_NAME
    assert capped.isidentifier() and capped[0].isupper()
    assert capped_name(capped) == capped
    assert capped == name or len(name) > MAX_CLASS_NAME
