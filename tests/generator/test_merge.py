"""The merge of regenerated user-owned modules: spec parts rewritten, every user line kept."""

from __future__ import annotations

import contextlib
import itertools
import keyword
import textwrap
from collections.abc import Mapping, Sequence

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specloom.generator.merge import (
    REMOVED_MARKER,
    MergeChange,
    MergeError,
    MergeResult,
    merge_module,
    requote_removed,
)

HEADER = '''\
"""Handlers for the `pets` tag. Fill in the bodies; regeneration keeps them."""

from typing import Annotated

from specloom.runtime import Response

from .._generated import operations as op
from .._generated.models import Error, Pet, Pets
'''


def handler(
    name: str,
    params: str,
    returns: str,
    doc: str,
    *,
    decorator: str | None = None,
    header: str = "",
) -> str:
    """A generated handler stub, as the generator writes it."""
    return (
        f"\n\n{header}@{decorator or 'op.' + name}\nasync def {name}({params}) -> {returns}:\n"
        f'    """{doc}"""\n    raise NotImplementedError\n'
    )


LIST_PETS = handler("list_pets", "limit: op.ListPetsLimit = None", "Pets", "List all pets.")
SHOW_PET = handler(
    "show_pet_by_id", "pet_id: op.ShowPetByIdPetId", "Pet", "Info for a specific pet."
)
GENERATED = HEADER + LIST_PETS + SHOW_PET
PREVIOUS = {"list_pets": ["limit"], "show_pet_by_id": ["pet_id"]}

# the generated module after a user filled it in: extra imports, decorators, dependencies,
# comments everywhere, bodies and docstrings of their own
USER = HEADER + '''\

from ..db import Database, Request, cached, get_db  # mine


# cache the listing: it is hot
@cached(ttl=30)
@op.list_pets
async def list_pets(
    limit: op.ListPetsLimit = None,
    # a pool per request
    db: Annotated[Database, get_db] = None,  # injected
) -> Pets:
    """List all pets.

    Pages through the table, newest first.
    """
    rows = await db.fetch("select * from pets limit $1", limit or 100)  # hot path
    # build the page

    return Pets([Pet(**row) for row in rows])


@op.show_pet_by_id
async def show_pet_by_id(pet_id: op.ShowPetByIdPetId, request: Request) -> Pet:
    """Info for a specific pet."""
    pet = PETS.get(pet_id)  # noqa: F821
    if pet is None:
        raise LookupError(f"no pet {pet_id!r} for {request.client}")
    return pet
'''
# the spec adds a required header parameter to show_pet_by_id
WITH_X_TRACE = (
    HEADER
    + LIST_PETS
    + handler("show_pet_by_id", "pet_id: op.ShowPetByIdPetId, x_trace: str", "Pet", "Info.")
)


def merge(
    existing: str,
    generated: str,
    previous: Mapping[str, Sequence[str]] = PREVIOUS,
    renames: Mapping[str, str] | None = None,
) -> MergeResult:
    """Merge, and check what every merge must satisfy: valid, idempotent, stable report."""
    result = merge_module(existing, generated, previous_spec_params=previous, renames=renames or {})
    compile(result.text, "<merged>", "exec")
    again = merge_module(result.text, generated, previous_spec_params=result.spec_params)
    assert again.text == result.text
    assert again.changes == []
    return result


def function(text: str, name: str) -> cst.FunctionDef:
    for statement in cst.parse_module(text).body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
            return statement
    raise AssertionError(f"no def {name}")


def body_text(text: str, name: str) -> str:
    """A def's body exactly as written (docstring, comments and blank lines included)."""
    return cst.Module([]).code_for_node(function(text, name).body)


def signature(text: str, name: str) -> str:
    """A def's header, from `def` to the colon, as one string."""
    node = function(text, name).with_changes(
        body=cst.IndentedBlock([]), decorators=[], leading_lines=[], lines_after_decorators=[]
    )
    return cst.Module([]).code_for_node(node).split(":\n")[0] + ":"


USER_LINES = (
    "from ..db import Database, Request, cached, get_db  # mine",
    "# cache the listing: it is hot",
    "@cached(ttl=30)",
)


def assert_user_code_kept(result: MergeResult, names: Sequence[str] = ("list_pets",)) -> None:
    for name in names:
        assert body_text(result.text, name) == body_text(USER, name)
    for line in USER_LINES:
        assert line in result.text


# -- nothing to do -----------------------------------------------------------------------------


def test_unchanged_spec_leaves_the_user_file_byte_for_byte() -> None:
    result = merge(USER, GENERATED)
    assert result.text == USER
    assert result.changes == []
    assert result.spec_params == {"list_pets": ["limit"], "show_pet_by_id": ["pet_id"]}


@pytest.mark.parametrize("previous", [{}, PREVIOUS])
def test_generated_merged_into_itself_is_unchanged(previous: Mapping[str, Sequence[str]]) -> None:
    result = merge(GENERATED, GENERATED, previous)
    assert result.text == GENERATED
    assert result.changes == []


def test_reformatted_spec_parts_are_no_change() -> None:
    # black may change quotes and spacing; that is not a change of the spec
    existing = HEADER + handler("f", "a: Annotated[int, 'x'] = 1", "Pet", "F.", decorator="op.f")
    generated = HEADER + handler("f", 'a: Annotated[int,"x"]=1', "Pet", "F.")
    assert merge(existing, generated, {"f": ["a"]}).text == existing


# -- parameters --------------------------------------------------------------------------------


def test_optional_parameter_added_before_the_users_params() -> None:
    generated = (
        HEADER
        + handler(
            "list_pets", "limit: op.ListPetsLimit = None, owner: str | None = None", "Pets", "X."
        )
        + SHOW_PET
    )
    result = merge(USER, generated)
    assert signature(result.text, "list_pets") == textwrap.dedent("""\
        async def list_pets(
            limit: op.ListPetsLimit = None,
            owner: str | None = None,
            # a pool per request
            db: Annotated[Database, get_db] = None,  # injected
        ) -> Pets:""")
    assert result.changes == [
        MergeChange(
            "list_pets",
            "parameter_added",
            "parameter 'owner' added: owner: str | None = None",
            False,
            "owner",
        )
    ]
    assert result.spec_params["list_pets"] == ["limit", "owner"]
    assert_user_code_kept(result, ["list_pets", "show_pet_by_id"])


def test_user_params_written_first_keep_their_place() -> None:
    existing = (
        HEADER
        + LIST_PETS
        + handler("show_pet_by_id", "request: Request, pet_id: op.ShowPetByIdPetId", "Pet", "I.")
    )
    # the spec did not change: the file does not either (and `--check` finds nothing)
    unchanged = merge(existing, GENERATED)
    assert unchanged.text == existing and unchanged.changes == []
    # a new spec parameter goes right after the spec parameter it follows in the spec
    result = merge(existing, WITH_X_TRACE)
    assert signature(result.text, "show_pet_by_id") == (
        "async def show_pet_by_id(request: Request, pet_id: op.ShowPetByIdPetId, x_trace: str)"
        " -> Pet:"
    )
    assert result.spec_params["show_pet_by_id"] == ["pet_id", "x_trace"]


@pytest.mark.parametrize(
    ("user", "spec", "spec_params", "expected"),
    [
        pytest.param(  # a defaulted spec param joins before `a`: still valid, `request` first
            "request: Request, a: int",
            "b: int = 1, a: int = 2",
            ["a"],
            "request: Request, b: int = 1, a: int = 2",
            id="user-params-first-stay-first-while-valid",
        ),
        pytest.param(
            "request: Request, a: int, b: int",
            "b: int, a: int",
            ["a", "b"],
            "b: int, a: int, request: Request",
            id="spec-reordering-gives-the-canonical-order",
        ),
        pytest.param(
            "a: int, request: Request",
            "a: int = 1",
            ["a"],
            "a: int = 1, *, request: Request",
            id="keyword-only-marker-on-one-line-when-it-fits",
        ),
        pytest.param(
            "a: int, request: Request",
            "a: int, *, b: int = 1",
            ["a"],
            "a: int, *, b: int = 1, request: Request",
            id="spec-keyword-only-params-before-the-users",
        ),
        pytest.param(
            "a: int, *deps: object, flag: bool, **extra: object",
            "a: int = 0, b: str = ''",
            ["a"],
            "a: int = 0, b: str = '', *deps: object, flag: bool, **extra: object",
            id="users-star-args-and-kwargs-keep-their-places",
        ),
    ],
)
def test_parameter_order_of_a_merged_signature(
    user: str, spec: str, spec_params: list[str], expected: str
) -> None:
    existing = HEADER + handler("f", user, "Pet", "F.")
    generated = HEADER + handler("f", spec, "Pet", "F.")
    result = merge(existing, generated, {"f": spec_params})
    assert signature(result.text, "f") == f"async def f({expected}) -> Pet:"


def test_required_parameter_added_is_breaking() -> None:
    result = merge(USER, WITH_X_TRACE)
    assert signature(result.text, "show_pet_by_id") == (
        "async def show_pet_by_id(pet_id: op.ShowPetByIdPetId, x_trace: str, request: Request)"
        " -> Pet:"
    )
    assert result.changes == [
        MergeChange(
            "show_pet_by_id",
            "parameter_added",
            "parameter 'x_trace' added: x_trace: str",
            True,
            "x_trace",
        )
    ]
    assert_user_code_kept(result, ["list_pets", "show_pet_by_id"])


def test_user_param_without_default_after_a_defaulted_spec_param_becomes_keyword_only() -> None:
    generated = (
        HEADER
        + LIST_PETS
        + handler(
            "show_pet_by_id", "pet_id: op.ShowPetByIdPetId, verbose: bool = False", "Pet", "Info."
        )
    )
    result = merge(USER, generated)
    # too long for one line, so one parameter per line (black's shape)
    assert signature(result.text, "show_pet_by_id") == textwrap.dedent("""\
        async def show_pet_by_id(
            pet_id: op.ShowPetByIdPetId,
            verbose: bool = False,
            *,
            request: Request,
        ) -> Pet:""")
    assert_user_code_kept(result, ["show_pet_by_id"])


def test_parameter_removed_keeps_user_params_and_comments() -> None:
    generated = HEADER + handler("list_pets", "", "Pets", "List all pets.") + SHOW_PET
    result = merge(USER, generated)
    assert signature(result.text, "list_pets") == textwrap.dedent("""\
        async def list_pets(
            # a pool per request
            db: Annotated[Database, get_db] = None,  # injected
        ) -> Pets:""")
    assert result.changes == [
        MergeChange("list_pets", "parameter_removed", "parameter 'limit' removed", True, "limit")
    ]
    assert result.spec_params["list_pets"] == []
    assert_user_code_kept(result)


def test_comments_of_a_removed_param_move_to_the_next_one() -> None:
    existing = (
        HEADER + "\n\n@op.f\ndef f(\n    # old\n    a: int,  # was a\n    b: int,\n):\n    pass\n"
    )
    generated = HEADER + handler("f", "", "None", "F.")
    result = merge(existing, generated, {"f": ["a"]})
    assert "    # old\n    # was a\n    b: int,\n" in result.text


def test_type_changed_is_edited_in_place() -> None:
    generated = HEADER + handler("list_pets", "limit: int = 20", "Pets", "X.") + SHOW_PET
    result = merge(USER, generated)
    assert result.text == USER.replace("limit: op.ListPetsLimit = None,", "limit: int = 20,")
    assert result.changes == [
        MergeChange(
            "list_pets",
            "parameter_changed",
            "parameter 'limit' type op.ListPetsLimit -> int, default None -> 20",
            True,
            "limit",
        )
    ]


def test_default_only_change_is_not_breaking() -> None:
    generated = HEADER + handler("list_pets", "limit: op.ListPetsLimit = 10", "Pets", "X.")
    result = merge(USER, generated + SHOW_PET)
    assert result.changes == [
        MergeChange(
            "list_pets", "parameter_changed", "parameter 'limit' default None -> 10", False, "limit"
        )
    ]


def test_spec_param_taking_a_user_params_name_is_reported() -> None:
    generated = (
        HEADER
        + LIST_PETS
        + handler("show_pet_by_id", "pet_id: op.ShowPetByIdPetId, request: op.Req", "Pet", "I.")
    )
    result = merge(USER, generated)
    assert "pet_id: op.ShowPetByIdPetId, request: op.Req) -> Pet:" in result.text
    assert [change.kind for change in result.changes] == ["parameter_added"]
    assert "replaces the user's parameter" in result.changes[0].detail


def test_without_a_lock_entry_the_generated_names_are_the_specs() -> None:
    generated = (
        HEADER
        + LIST_PETS
        + handler(
            "show_pet_by_id", "pet_id: op.ShowPetByIdPetId, verbose: bool = False", "Pet", "I."
        )
    )
    result = merge(USER, generated, previous={})
    assert "request: Request" in signature(result.text, "show_pet_by_id")
    assert [change.kind for change in result.changes] == ["parameter_added"]


def test_return_annotation_changed() -> None:
    generated = HEADER + handler("list_pets", "limit: op.ListPetsLimit = None", "list[Pet]", "X")
    result = merge(USER, generated + SHOW_PET)
    assert result.text == USER.replace(") -> Pets:", ") -> list[Pet]:")
    assert result.changes == [
        MergeChange("list_pets", "return_changed", "return Pets -> list[Pet]", True)
    ]


def test_conflicting_star_args_is_a_merge_error() -> None:
    existing = HEADER + handler("f", "*args: int", "Pet", "F")
    generated = HEADER + handler("f", "*items: str", "Pet", "F")
    with pytest.raises(MergeError, match=r"\*args"):
        merge_module(existing, generated, previous_spec_params={"f": []})


# -- decorators --------------------------------------------------------------------------------


def test_decorator_changed_keeps_user_decorators_and_comments() -> None:
    generated = (
        HEADER
        + handler(
            "list_pets", "limit: op.ListPetsLimit = None", "Pets", "X", decorator="op.list_pets_v2"
        )
        + SHOW_PET
    )
    result = merge(USER, generated)
    assert result.text == USER.replace("@op.list_pets\n", "@op.list_pets_v2\n")
    assert result.changes == [
        MergeChange(
            "list_pets", "decorator_changed", "decorator @op.list_pets -> @op.list_pets_v2", False
        )
    ]


def test_decorator_between_user_decorators_stays_in_place() -> None:
    existing = HEADER + "\n\n@first\n@op.f  # routed\n@last\ndef f() -> None:\n    pass\n"
    generated = HEADER + handler("f", "", "None", "F.", decorator="op.f(status=201)")
    result = merge(existing, generated, {"f": []})
    assert "@first\n@op.f(status=201)  # routed\n@last\ndef f() -> None:\n    pass\n" in result.text


# -- operations --------------------------------------------------------------------------------


def test_operation_added_is_appended_with_its_imports() -> None:
    create = handler("create_pet", "body: NewPet", "Pet", "Create a pet.")
    generated = (
        HEADER.replace("Error, Pet, Pets", "Error, NewPet, Pet, Pets")
        + LIST_PETS
        + SHOW_PET
        + create
    )
    result = merge(USER, generated)
    expected = USER.replace("Error, Pet, Pets", "Error, Pet, Pets, NewPet") + create
    assert result.text == expected
    assert result.changes == [
        MergeChange("create_pet", "added", "new operation: handler stub added", False)
    ]
    assert result.spec_params["create_pet"] == ["body"]


def test_operation_removed_is_unrouted_and_marked_once() -> None:
    result = merge(USER, HEADER + SHOW_PET)
    expected = USER.replace(
        "# cache the listing: it is hot\n@cached(ttl=30)\n@op.list_pets\n",
        f"# cache the listing: it is hot\n{REMOVED_MARKER}\n@cached(ttl=30)\n",
    )
    assert result.text == expected
    assert result.changes == [
        MergeChange(
            "list_pets",
            "removed",
            "no longer in the spec: unrouted and marked; the def is kept at <module>:16",
            True,
        )
    ]
    assert USER.splitlines()[15].startswith("async def list_pets"), "the line of the def"
    assert "list_pets" not in result.spec_params
    # a user who routes it again by hand gets it unrouted again, still with one marker
    rerouted = result.text.replace("@cached(ttl=30)\n", "@cached(ttl=30)\n@op.list_pets\n")
    again = merge_module(rerouted, HEADER + SHOW_PET, previous_spec_params=result.spec_params)
    assert again.text == result.text
    assert again.text.count(REMOVED_MARKER) == 1


def test_a_removed_handlers_spec_annotations_are_quoted_and_unquoted_again() -> None:
    """Its `op.`/`m.` names left `_generated/` with its operation: quoted, the module imports."""
    routed = "@op.show_pet\nasync def show_pet(pet_id: op.ShowPetId) -> m.Pet:\n    ...\n"
    removed = (
        f"{REMOVED_MARKER}\n"
        "async def find(tag: op.FindTag, limit: int = 1, *rest: op.Rest) -> list[m.Pet]:\n"
        "    ...\n"
    )
    text = f"{HEADER}\n\n{routed}\n\n{removed}"
    quoted = requote_removed(text, quote=True)
    assert quoted == text.replace(
        "(tag: op.FindTag, limit: int = 1, *rest: op.Rest) -> list[m.Pet]:",
        '(tag: "op.FindTag", limit: int = 1, *rest: "op.Rest") -> "list[m.Pet]":',
    )
    assert requote_removed(quoted, quote=False) == text
    assert requote_removed(quoted, quote=True) == quoted
    plain = f"{HEADER}\n\n{routed}"
    assert requote_removed(plain, quote=True) == plain  # no removed handler: left as it is


def test_removed_operation_coming_back_is_routed_again() -> None:
    removed = merge(USER, HEADER + SHOW_PET)
    result = merge(removed.text, GENERATED, removed.spec_params)
    assert REMOVED_MARKER not in result.text
    assert "@op.list_pets\n@cached(ttl=30)\nasync def list_pets(" in result.text
    assert [change.kind for change in result.changes] == ["added"]
    assert_user_code_kept(result)


def test_operation_renamed() -> None:
    renamed = handler(
        "list_all_pets", "limit: op.ListAllPetsLimit = None", "Pets", "List all pets."
    )
    result = merge(USER, HEADER + renamed + SHOW_PET, renames={"list_pets": "list_all_pets"})
    assert result.text == (
        USER.replace(
            "@op.list_pets\nasync def list_pets(", "@op.list_all_pets\nasync def list_all_pets("
        ).replace("limit: op.ListPetsLimit", "limit: op.ListAllPetsLimit")
    )
    assert [change.kind for change in result.changes] == [
        "renamed",
        "decorator_changed",
        "parameter_changed",
    ]
    assert result.changes[0].detail == "renamed 'list_pets' -> 'list_all_pets'"
    assert "list_all_pets" in result.spec_params
    assert body_text(result.text, "list_all_pets") == body_text(USER, "list_pets")


def test_user_definition_with_a_handlers_name_is_a_merge_error() -> None:
    existing = HEADER + "\n\ndef helper() -> None:\n    pass\n"
    generated = HEADER + handler("helper", "", "None", "H.")
    with pytest.raises(MergeError) as caught:
        merge_module(existing, generated, previous_spec_params={}, path="handlers/pets.py")
    assert caught.value.path == "handlers/pets.py"
    assert caught.value.line == existing.splitlines().index("def helper() -> None:") + 1


# -- plain items (paginators.py, security.py) --------------------------------------------------

PAGINATORS = '''\
"""Paginators: fill in the data access."""

from specloom.runtime.pagination import AbstractSyncCursorPaginator

from ._generated.models import Pet


class PetsPaginator(AbstractSyncCursorPaginator[str, Pet]):
    """Cursor pages of pets."""

    def get_items(self, cursor: str | None, results_per_page: int) -> tuple[list[Pet], str | None]:
        raise NotImplementedError
'''


def test_plain_items_are_appended_when_missing_and_never_touched() -> None:
    user = PAGINATORS.replace("raise NotImplementedError", "return db.page(cursor)  # mine")
    owners = '''

class OwnersPaginator(AbstractSyncCursorPaginator[str, Owner]):
    """Cursor pages of owners."""
'''
    generated = PAGINATORS.replace("Pet\n", "Owner, Pet\n") + owners
    result = merge(user, generated, {})
    assert result.text == user.replace("import Pet\n", "import Pet, Owner\n") + owners
    assert result.changes == [MergeChange("OwnersPaginator", "added", "new class", False)]
    assert result.spec_params == {}


# -- imports -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        pytest.param(
            "from .m import (\n    A,  # first\n    B,\n)\n",
            "from .m import (\n    A,  # first\n    B,\n    C,\n    D as E,\n)\n",
            id="parenthesized with trailing comma",
        ),
        pytest.param(
            "from .m import (\n    A,\n    B  # last\n)\n",
            "from .m import (\n    A,\n    B,\n    C,\n    D as E  # last\n)\n",
            id="parenthesized without trailing comma",
        ),
        pytest.param(
            "from .m import (A, B,)\n", "from .m import (A, B, C, D as E,)\n", id="one line"
        ),
        pytest.param("from .m import B\n", "from .m import B, A, C, D as E\n", id="plain"),
        pytest.param(
            '"""Doc."""\n\nimport os\n',
            '"""Doc."""\n\nimport os\nfrom .m import A, B, C, D as E\n',
            id="after the last import",
        ),
        pytest.param(
            '"""Doc."""\n\nX = 1\n',
            '"""Doc."""\n\nfrom .m import A, B, C, D as E\n\nX = 1\n',
            id="after the docstring",
        ),
        pytest.param("", "from .m import A, B, C, D as E\n", id="empty module"),
        pytest.param(
            "from other import A, B, C, D as E\n",
            "from other import A, B, C, D as E\n",
            id="names bound elsewhere",
        ),
    ],
)
def test_missing_imported_names_are_added(existing: str, expected: str) -> None:
    uses = "\n\nUSES = (A, B, C, E)\n" if existing else "USES = (A, B, C, E)\n"
    result = merge(existing + uses, "from .m import A, B, C, D as E\n", {})
    assert result.text == expected + uses  # (only names the module refers to are imported)


def test_an_import_only_the_stub_needed_is_not_added() -> None:
    existing = HEADER + handler("f", "a: int", "Pet", "F.").replace(
        "raise NotImplementedError", "return Pet()"
    )
    generated = (
        "from .. import paginators\n"
        + HEADER
        + handler("f", "a: int", "Pet", "F.").replace(
            "raise NotImplementedError", "return await paginators.FPaginator()()"
        )
    )
    result = merge(existing, generated, {"f": ["a"]})
    assert result.text == existing  # the user's body does not page: no import of paginators


def test_long_import_is_wrapped_and_future_imports_go_first() -> None:
    long_names = ", ".join(f"Model{i:02}" for i in range(14))
    uses = "\n\nUSES = (Model99, j)\n"
    existing = f'"""Doc."""\n\nimport os\nfrom .models import {long_names}\n{uses}'
    generated = (
        "from __future__ import annotations\n\nfrom .models import Model99\nimport json as j\n"
    )
    result = merge(existing, generated, {})
    names = "".join(f"    Model{i:02},\n" for i in range(14))
    assert result.text == (
        '"""Doc."""\n\nfrom __future__ import annotations\n\nimport os\n'
        f"from .models import (\n{names}    Model99,\n)\nimport json as j\n{uses}"
    )


# -- robustness --------------------------------------------------------------------------------


def test_syntax_error_in_the_users_file_is_a_merge_error() -> None:
    broken = USER.replace("async def show_pet_by_id(", "async def show_pet_by_id((")
    with pytest.raises(MergeError) as caught:
        merge_module(broken, GENERATED, previous_spec_params=PREVIOUS, path="handlers/pets.py")
    assert caught.value.path == "handlers/pets.py"
    assert (
        caught.value.line
        == USER.splitlines().index(
            "async def show_pet_by_id(pet_id: op.ShowPetByIdPetId, request: Request) -> Pet:"
        )
        + 1
    )
    assert str(caught.value).startswith(f"handlers/pets.py:{caught.value.line}: ")


def test_syntax_error_in_the_generated_module_names_it() -> None:
    with pytest.raises(MergeError, match=r"\(generated\)"):
        merge_module(USER, "def (:\n", previous_spec_params={})


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_any_text_merges_or_raises_merge_error(text: str) -> None:
    with contextlib.suppress(MergeError):
        merge_module(text, GENERATED, previous_spec_params={})


# -- property: bodies survive exactly ----------------------------------------------------------

_identifiers = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda name: not keyword.iskeyword(name) and name not in {"match", "case", "type", "_"}
)
_strings = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(repr)
_comments = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30).map(
    lambda text: "#" + text.rstrip()
)
_expressions = st.one_of(
    _identifiers,
    _strings,
    st.integers().map(str),
    st.tuples(_identifiers, _strings).map(lambda pair: f"{pair[0]}({pair[1]})"),
    st.tuples(_identifiers, _identifiers).map(lambda pair: f"[{pair[0]} for {pair[1]} in ()]"),
)


def _statements(depth: int) -> st.SearchStrategy[list[str]]:
    simple = st.one_of(
        st.tuples(_identifiers, _expressions).map(lambda pair: [f"{pair[0]} = {pair[1]}"]),
        st.tuples(_expressions, _comments).map(lambda pair: [f"{pair[0]}  {pair[1]}"]),
        _comments.map(lambda comment: [comment]),
        _expressions.map(lambda expression: [f"return {expression}"]),
        st.just([""]),
        st.just(["pass"]),
    )
    if depth == 0:
        return simple
    block = st.tuples(_expressions, st.lists(_statements(depth - 1), min_size=1, max_size=3))
    nested = block.map(
        lambda pair: [
            f"if {pair[0]}:",
            *("    " + line for lines in pair[1] for line in lines),
            "    pass",
        ]
    )
    return st.one_of(simple, nested)


_bodies = st.lists(_statements(2), min_size=1, max_size=8).map(
    lambda groups: "".join(
        f"    {line}\n".replace("    \n", "\n") for group in groups for line in group
    )
)

_SPEC_CHANGES = [
    handler("f", "a: int, b: str | None = None", "Pet", "F."),  # parameter added
    handler("f", "", "Pet", "F."),  # parameter removed
    handler("f", "a: str", "Pet", "F."),  # type changed
    handler("f", "a: int", "Pets", "F.", decorator="op.g"),  # return and decorator changed
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=_bodies, docstring=_strings, spec=st.sampled_from(_SPEC_CHANGES))
def test_random_bodies_survive_byte_for_byte(body: str, docstring: str, spec: str) -> None:
    existing = (
        HEADER
        + "\n\n# above\n@op.f\ndef f(a: int, request: Request = None) -> Pet:  # head\n"
        + f"    {docstring}\n{body}"
    )
    cst.parse_module(existing)  # the grammar only makes valid code
    result = merge(existing, HEADER + spec, {"f": ["a"]})
    assert body_text(result.text, "f") == body_text(existing, "f")
    assert result.text.endswith(f"Pet:  # head\n    {docstring}\n{body}") or result.text.endswith(
        f"Pets:  # head\n    {docstring}\n{body}"
    )
    assert "request: Request = None" in signature(result.text, "f")


# -- property: any signature change gives a valid signature with the user's params intact -------

_param_names = st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=5)


@st.composite
def _signatures(draw: st.DrawFn) -> tuple[list[str], list[str], list[str]]:
    """Old spec params, new spec params and user params, each as code."""
    names = draw(st.permutations("abcdefghijkl"))
    old, new, user = draw(_param_names), draw(_param_names), draw(st.integers(0, 3))
    rename = dict(zip("abcdefgh", names, strict=False))

    def render(letters: list[str], defaulted_from: int) -> list[str]:
        return [
            f"{rename[x]}: int" + (" = 0" if i >= defaulted_from else "")
            for i, x in enumerate(letters)
        ]

    old_code = render(old, draw(st.integers(0, len(old))))
    new_code = render(new, draw(st.integers(0, len(new))))
    user_code = [f"u{i}: str" + (" = 'x'" if draw(st.booleans()) else "") for i in range(user)]
    return old_code, new_code, user_code


@settings(max_examples=200, deadline=None)
@given(_signatures(), st.booleans())
def test_any_signature_change_stays_valid(
    signatures: tuple[list[str], list[str], list[str]], user_keyword_only: bool
) -> None:
    old, new, user = signatures
    user_part = (["*"] if user_keyword_only and user else []) + user
    valid_old = _valid(old, user_part)
    existing = HEADER + handler("f", ", ".join(valid_old), "Pet", "F.")
    result = merge(existing, HEADER + handler("f", ", ".join(new), "Pet", "F."), {"f": _names(old)})
    header = signature(result.text, "f")
    for param in user:
        assert param in header
    order = [param.name.value for param in _params(function(result.text, "f").params)]
    assert [name for name in order if name in _names(new)] == _names(new)
    assert [name for name in order if name.startswith("u")] == _names(user)
    assert result.spec_params["f"] == _names(new)


def _params(params: cst.Parameters) -> list[cst.Param]:
    star = [params.star_arg] if isinstance(params.star_arg, cst.Param) else []
    return [*params.posonly_params, *params.params, *star, *params.kwonly_params]


def _names(params: Sequence[str]) -> list[str]:
    return [param.split(":")[0].strip() for param in params]


def _valid(spec: list[str], user: list[str]) -> list[str]:
    """A valid signature of spec then user params: users after a default become keyword-only."""
    defaulted = [("=" in param) for param in [*spec, *user]]
    if "*" not in user and any(a and not b for a, b in itertools.pairwise(defaulted)):
        user = ["*", *user]
    return [*spec, *user]


# -- property: comments in the parameter list survive reordering -------------------------------

_SPEC_POOL = ["a: int", "b: str = ''", "c: float", "d: int | None = None", "a: str", "e: bytes"]
_USER_POOL = ["request: Request", "db: Database = None", "*deps: object", "**extra: object", "s: S"]


def _valid_order(params: Sequence[str]) -> list[str]:
    """Arrange params into a valid signature: `*args`/`**kwargs` in place, kw-only when needed."""
    plain = [param for param in params if not param.startswith("*")]
    star = [param for param in params if param.startswith("*") and not param.startswith("**")]
    kwargs = [param for param in params if param.startswith("**")]
    positional: list[str] = []
    keyword: list[str] = []
    for param in plain:
        (
            keyword if positional and "=" in positional[-1] and "=" not in param else positional
        ).append(param)
    return positional + (star or (["*"] if keyword else [])) + keyword + kwargs


@st.composite
def _commented_signatures(draw: st.DrawFn) -> tuple[list[str], list[str], str]:
    """Old spec params, new spec params, and the user's commented multi-line def."""
    by_name = st.lists(st.sampled_from(_SPEC_POOL), unique_by=lambda p: p.split(":")[0], max_size=4)
    old, new = draw(by_name), draw(by_name)
    user = draw(st.lists(st.sampled_from(_USER_POOL), unique=True, max_size=4))
    order = _valid_order(draw(st.permutations(old + user)))
    lines = [
        f"    {param},  # c{i}" if draw(st.booleans()) else f"    # above {i}\n    {param},"
        for i, param in enumerate(order)
    ]
    existing = HEADER + "\n\n@op.f\nasync def f(\n" + "\n".join(lines) + "\n) -> None:\n    pass\n"
    return old, new, existing


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_commented_signatures())
def test_parameter_list_comments_survive(case: tuple[list[str], list[str], str]) -> None:
    old, new, existing = case
    generated = HEADER + handler("f", ", ".join(_valid_order(new)), "None", "F.")
    try:
        result = merge(existing, generated, {"f": _names(old)})
    except MergeError as error:  # both sides declare *args: refused, and nothing is lost
        assert "both declare" in error.message
        return
    comments = [line.strip() for line in existing.splitlines() if line.strip().startswith("#")]
    comments += [line.split(",  ", 1)[1] for line in existing.splitlines() if ",  # c" in line]
    for comment in comments:
        assert comment in result.text
    for line in existing.splitlines():
        param = line.strip().split(",  #")[0].rstrip(",")
        if any(param == user for user in _USER_POOL):
            assert param in signature(result.text, "f")
