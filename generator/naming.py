"""Python names for spec strings: valid, non-reserved, collision-free and stable.

Rules:
- words are split on non-alphanumerics and case changes (`getHTTPStatus` -> get, HTTP,
  Status); text is transliterated to ASCII (NFKD); text without any ASCII letter or digit
  becomes `u` + 8 hex digits of its SHA-256, so it is still derived from the item itself;
- snake_case for functions, parameters, fields, modules; PascalCase for models;
  UPPER_SNAKE for enum members (symbol-only values are spelled: `>=` -> `GT_EQ`);
- a leading digit gets a prefix: `n16x16` (snake), `N16x16` (Pascal), `VALUE_16X16` (enum);
- reserved names get a trailing `_` (snake: `from` -> `from_`) or `Model` (Pascal:
  `Any` -> `AnyModel`); see the RESERVED_* sets for what each scope reserves and why;
- an enum member name is at most MAX_MEMBER_NAME characters (its leading words);
- a handler's name is at most MAX_FUNCTION_NAME characters, as a class name is capped;
- a class name is at most MAX_CLASS_NAME characters (`class Name(` and an annotation of it fit
  a 100-column line): a longer one, made of a context and what it is (inline schemas are named
  by where they stand), keeps its first word and as many last words as fit (`capped_name`);
- collisions: the colliding items are ordered by a stable key of their own (their spec
  location), the first keeps the name, the others get `_2`, `_3` (Pascal: `2`, `3`), skipping
  any name another item wants. So an unrelated addition never renames an existing item.
"""

from __future__ import annotations

import builtins
import functools
import hashlib
import keyword
import re
import unicodedata
from collections.abc import Hashable, Iterable
from typing import TypeVar

__all__ = [
    "AMBIGUOUS_NAMES",
    "MAX_CLASS_NAME",
    "MAX_FUNCTION_NAME",
    "MAX_MEMBER_NAME",
    "RESERVED_CLASS",
    "RESERVED_FIELD",
    "RESERVED_FUNCTION",
    "RESERVED_PARAMETER",
    "assign_unique",
    "capped_name",
    "component_keys",
    "constant_name",
    "function_name",
    "is_identifier",
    "module_name",
    "paginator_name",
    "pascal_name",
    "snake_name",
    "split_words",
]

K = TypeVar("K", bound=Hashable)

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_REFUSED_IN_KEY = re.compile(r"[^a-zA-Z0-9.\-_]")  # OpenAPI 3 component keys: ^[a-zA-Z0-9\.\-_]+$
_WORD = re.compile(r"[A-Z]+(?![a-z])[0-9]*|[A-Z]?[a-z0-9]+|[A-Z]+")
_KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | {"type"}
_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
# Names a generated annotation may use: a field or parameter called `list` would shadow them
# in a class body that also gives it a default.
_ANNOTATION_NAMES = frozenset(
    {
        "bool",
        "bytes",
        "dict",
        "float",
        "frozenset",
        "int",
        "list",
        "object",
        "set",
        "str",
        "tuple",
        "type",
    }
)

# Names pycodestyle calls ambiguous (E741): a linted package cannot use them, nor waive them
# where the rule is off (an unused `noqa` is itself reported)
AMBIGUOUS_NAMES = frozenset(("l", "O", "I"))

# Modules a generated class body names in its annotations and defaults (`uuid.UUID`,
# `msgspec.field`): a field `uuid` declared before `other: uuid.UUID` would stand for the module
# there (mypy: `Name "uuid.UUID" is not defined`).
_MODULE_NAMES = frozenset({"datetime", "decimal", "msgspec", "uuid"})

RESERVED_FIELD = _KEYWORDS | _ANNOTATION_NAMES | AMBIGUOUS_NAMES | _MODULE_NAMES
# Handler arguments with a meaning to the runtime (Litestar's reserved kwargs, `data` = body);
# a handler's annotations are aliases (`op.Name`), so module names are free there.
RESERVED_PARAMETER = (
    _KEYWORDS
    | _ANNOTATION_NAMES
    | AMBIGUOUS_NAMES
    | frozenset(
        {
            "data",
            "request",
            "state",
            "scope",
            "headers",
            "cookies",
            "query",
            "socket",
            "body",
        }
    )
)
# Handlers live in modules that import the runtime's route decorators and builtins stay usable.
RESERVED_FUNCTION = (
    _KEYWORDS
    | _BUILTINS
    | {"get", "put", "post", "delete", "patch", "head", "options", "trace", "route"}
    # the module aliases of generated modules (`op.`, `m.`, `h.`)
    | {"op", "m", "h"}
    | AMBIGUOUS_NAMES
)
# Names of the generated models module: builtins, typing and msgspec names it may import.
RESERVED_CLASS = (
    _KEYWORDS
    | _BUILTINS
    | {"Any", "Literal", "Annotated", "Optional", "Union", "ClassVar", "Meta", "Struct", "Enum"}
    | {"IntEnum", "StrEnum", "UNSET", "UnsetType", "Raw", "UUID", "Decimal", "date", "datetime"}
    | {"time", "timedelta", "msgspec", "typing", "field"}
    | AMBIGUOUS_NAMES
)

_SYMBOLS = {
    "=": "EQ",
    "!": "NOT",
    ">": "GT",
    "<": "LT",
    "~": "TILDE",
    "+": "PLUS",
    "-": "MINUS",
    "*": "STAR",
    "/": "SLASH",
    "\\": "BACKSLASH",
    ".": "DOT",
    ",": "COMMA",
    ":": "COLON",
    ";": "SEMICOLON",
    "%": "PERCENT",
    "&": "AND",
    "|": "OR",
    "^": "CARET",
    "@": "AT",
    "#": "HASH",
    "$": "DOLLAR",
    "?": "QUESTION",
    "_": "UNDERSCORE",
}


def is_identifier(name: str) -> bool:
    """True for an ASCII Python identifier (`^[A-Za-z_][A-Za-z0-9_]*$`)."""
    return bool(_IDENTIFIER.match(name))


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def split_words(text: str) -> list[str]:
    """The ASCII words of `text`, split on punctuation and case changes."""
    return list(_words(text))


@functools.lru_cache(maxsize=1 << 16)  # the same names are split again and again on big specs
def _words(text: str) -> tuple[str, ...]:
    return tuple(
        word for chunk in re.split(r"[^A-Za-z0-9]+", _ascii(text)) for word in _WORD.findall(chunk)
    )


def snake_name(text: str, reserved: frozenset[str] = RESERVED_FIELD) -> str:
    """`listPets` -> `list_pets`; `from` -> `from_`; `16x16` -> `n16x16`."""
    words = split_words(text)
    name = "_".join(word.lower() for word in words) if words else "u" + _digest(text)
    if name[0].isdigit():
        name = "n" + name
    return name + "_" if name in reserved else name


def module_name(text: str, reserved: frozenset[str] = RESERVED_FIELD, limit: int = 64) -> str:
    """`snake_name`, cut to `limit` characters with a digest of the text, for a file name."""
    name = snake_name(text, reserved)
    if len(name) <= limit:
        return name
    return f"{name[: limit - 9].rstrip('_')}_{_digest(text)[:8]}"


@functools.lru_cache(maxsize=1 << 16)  # a property's name is asked for each model it is in
def pascal_name(text: str, reserved: frozenset[str] = RESERVED_CLASS) -> str:
    """`list_pets response` -> `ListPetsResponse`; `2fa` -> `N2fa`; `Any` -> `AnyModel`."""
    words = split_words(text)
    name = "".join(word[0].upper() + word[1:] for word in words) if words else "U" + _digest(text)
    if name[0].isdigit():
        name = "N" + name
    return name + "Model" if name in reserved else name


MAX_CLASS_NAME = 76  # `"media/type": (m.Name),` in a response's content fits, 16 columns in
_PASCAL_WORD = re.compile(r"[A-Z][a-z]*|[a-z]+|[0-9]+|_")


def capped_name(name: str, limit: int = MAX_CLASS_NAME) -> str:
    """`name` if it has at most `limit` characters; else its first word and as many of its last
    words as fit (`GetDevicesIdResponseDataItemGeofence...Coordinate` keeps `Get` and its end)."""
    if len(name) <= limit:
        return name
    words: list[str] = _PASCAL_WORD.findall(name)
    if "".join(words) != name or len(words[0]) >= limit:
        return name[:limit]  # not words of a Pascal name: cut
    kept: list[str] = []
    room = limit - len(words[0])
    for word in reversed(words[1:]):
        if len(word) > room:
            break
        kept.insert(0, word)
        room -= len(word)
    return words[0] + "".join(kept)


MAX_MEMBER_NAME = 64  # `    NAME = (` and its value's pieces fit a 100-column line


def _capped_constant(words: list[str], limit: int = MAX_MEMBER_NAME) -> str:
    """`words` joined by `_`, as many leading words as fit `limit` (the first one cut if it
    alone is longer): a sentence used as an enum value names its member by its start."""
    name = words[0][:limit]
    for word in words[1:]:
        if len(name) + 1 + len(word) > limit:
            break
        name += "_" + word
    return name


def paginator_name(function: str) -> str:
    """The paginator class of the handler `function`: `list_pets` -> `ListPetsPaginator`."""
    return capped_name(pascal_name(f"{function}_paginator"))


MAX_FUNCTION_NAME = 80  # `async def name(` fits a 100-column line, a `_2` after it too


def function_name(text: str) -> str:
    """A handler's name: `snake_name` of its operation, at most MAX_FUNCTION_NAME characters
    (its first word and as many of its last words as fit, as `capped_name` does)."""
    name = snake_name(text, RESERVED_FUNCTION)
    if len(name) <= MAX_FUNCTION_NAME:
        return name
    first, *rest = name.split("_")
    if len(first) >= MAX_FUNCTION_NAME or not rest:
        return name[:MAX_FUNCTION_NAME]
    kept: list[str] = []
    room = MAX_FUNCTION_NAME - len(first)
    for word in reversed(rest):
        if len(word) + 1 > room:
            break
        kept.insert(0, word)
        room -= len(word) + 1
    return "_".join([first, *kept])


def constant_name(value: object) -> str:
    """An enum member name: `"in progress"` -> `IN_PROGRESS`, `-1` -> `VALUE_MINUS_1`."""
    if isinstance(value, bool) or value is None:
        return str(value).upper()
    if isinstance(value, int | float):
        words = split_words(str(value).replace("-", " MINUS "))
        return "_".join(["VALUE", *(word.upper() for word in words)])
    text = str(value)
    if not text:
        return "EMPTY"
    words = split_words(text)
    if not words and text.strip() and all(char in _SYMBOLS or char.isspace() for char in text):
        words = [_SYMBOLS[char] for char in text if char in _SYMBOLS]
    elif words:  # `-name` / `+name` (sort orders) must not both be NAME: spell the sign
        lead = re.match(r"^[^A-Za-z0-9]*", _ascii(text)).group()  # type: ignore[union-attr]
        words = [_SYMBOLS[char] for char in lead if char in _SYMBOLS and char != "_"] + words
    if not words:
        return "VALUE_U" + _digest(text).upper()
    name = _capped_constant([word.upper() for word in words])
    if name in AMBIGUOUS_NAMES:
        return name + "_"
    return "VALUE_" + name if name[0].isdigit() else name


def assign_unique(
    items: Iterable[tuple[K, str, str]],
    *,
    taken: Iterable[str] = (),
    separator: str = "_",
) -> dict[K, str]:
    """Map each `(key, wanted name, stable sort key)` to a unique name (see module rules).

    Names in `taken` are never given out (callers pass names already used in the scope).
    """
    groups: dict[str, list[tuple[str, K]]] = {}
    for key, wanted, order in items:
        groups.setdefault(wanted, []).append((order, key))
    used = set(taken) | set(groups)
    blocked = set(taken)
    result: dict[K, str] = {}
    for wanted in sorted(groups):
        members = sorted(groups[wanted], key=lambda member: member[0])
        start = 0
        # `V1` + `2` would read as `V12`: separate a number that follows a digit.
        sep = "_" if not separator and wanted[-1:].isdigit() else separator
        sep = "" if wanted.endswith("_") else sep  # `from_` + 2 -> `from_2`, not `from__2`
        if wanted not in blocked:
            result[members[0][1]] = wanted
            start = 1
        number = 2
        for _order, key in members[start:]:
            while f"{wanted}{sep}{number}" in used:
                number += 1
            name = f"{wanted}{sep}{number}"
            used.add(name)
            result[key] = name
    return result


def component_keys(names: Iterable[str]) -> dict[str, str]:
    """The new key of each name OpenAPI 3 refuses as a component key (`^[a-zA-Z0-9.\\-_]+$`;
    Swagger 2.0 allowed any): every refused character becomes `_`; a key already taken gets
    `_2`, `_3`... (the first free). Names it allows keep theirs and are taken first; the others
    are renamed in the order given (document order). Only renamed names are in the result.
    """
    names = list(dict.fromkeys(names))
    taken = {name for name in names if name and not _REFUSED_IN_KEY.search(name)}
    renamed: dict[str, str] = {}
    for name in names:
        if name in taken:
            continue
        key = base = _REFUSED_IN_KEY.sub("_", name) or "_"
        number = 2
        while key in taken:
            key, number = f"{base}_{number}", number + 1
        taken.add(key)
        renamed[name] = key
    return renamed
