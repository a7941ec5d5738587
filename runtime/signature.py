"""Parse handler and dependency signatures once, at start-up, into typed parameter descriptions."""

from __future__ import annotations

import inspect
import operator
import sys
import types
import typing
from collections import abc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import msgspec

from .custom_types import custom_classes
from .exceptions import ImproperlyConfiguredException
from .params import BodyKwarg, DependencyKwarg, KwargDefinition
from .request import Request
from .type_info import type_info
from .untagged import Nothing, decode_untagged_text, is_number_enum, is_untagged_union

__all__ = [
    "RESERVED_NAMES",
    "BodySpec",
    "FnSignature",
    "ParamSpec",
    "array_items",
    "is_optional",
    "parse_signature",
    "unwrap_annotated",
]

Source = Literal["path", "query", "header", "cookie"]
RESERVED_NAMES = frozenset({"request", "data", "scope", "state", "headers", "cookies", "query"})
_SEQUENCE_ORIGINS: set[Any] = {list, tuple, set, frozenset, abc.Sequence, abc.MutableSequence}
_EMPTY: Any = msgspec.UNSET


def unwrap_annotated(annotation: Any) -> tuple[Any, tuple[Any, ...]]:
    """Split `Annotated[T, *meta]` into `T` and its metadata (nested Annotated flattened)."""
    metadata: tuple[Any, ...] = ()
    while get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        metadata = (*metadata, *extra)
        annotation = base
    return annotation, metadata


def is_optional(annotation: Any) -> bool:
    """Whether `None` is an accepted value of the annotation."""
    annotation, _ = unwrap_annotated(annotation)
    if annotation is None or annotation is type(None) or annotation is Any:
        return True
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        return any(arg is type(None) for arg in get_args(annotation))
    return False


def non_none(annotation: Any) -> Any:
    """`X | None` as X (other annotations as they are)."""
    return _non_none(annotation)


def _non_none(annotation: Any) -> Any:
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def type_info_or_none(annotation: Any) -> msgspec.inspect.Type | None:
    """`msgspec.inspect.type_info(annotation)` (classes read once: `type_info.py`), or None for
    what msgspec does not know."""
    try:
        return type_info(annotation)
    except (TypeError, ValueError):
        return None


def _hooked(cls: Any) -> bool:
    """A custom type `decode_untagged` decodes."""
    return is_untagged_union(cls) or is_number_enum(cls) or cls is Nothing


def find_custom_type(annotation: Any) -> Any:
    """The first class in `annotation` msgspec cannot decode (untagged unions it can), or None."""
    return next((c for c in custom_classes(annotation) if not _hooked(c)), None)


def needs_decode_hook(annotation: Any) -> bool:
    """Whether decoding `annotation` needs `decode_untagged` (untagged unions, number enums,
    Nothing)."""
    return any(_hooked(c) for c in custom_classes(annotation))


def is_sequence_type(annotation: Any) -> bool:
    base, _ = unwrap_annotated(annotation)
    base = _non_none(base)
    return get_origin(base) in _SEQUENCE_ORIGINS or base in (list, tuple, set, frozenset)


def is_item_or_sequence(annotation: Any) -> bool:
    """Whether a query parameter's type is one value or an array of them (`str | list[str]`,
    a spec's `oneOf: [string, array]`): one occurrence of it is the value, several the array
    (form style, exploded: each item is an occurrence)."""
    base, _ = unwrap_annotated(_non_none(unwrap_annotated(annotation)[0]))
    if get_origin(base) not in (Union, types.UnionType):
        return False
    members = [m for m in get_args(base) if m is not type(None)]
    sequences = [m for m in members if is_sequence_type(m)]
    return bool(sequences) and len(sequences) < len(members)


@dataclass(frozen=True)
class ParamSpec:
    """A path, query, header or cookie parameter of a handler or dependency."""

    name: str
    source: Source
    key: str  # the name on the wire (header names lower-cased)
    annotation: Any
    required: bool
    default: Any
    is_sequence: bool
    kwarg: KwargDefinition | None
    convert: Callable[[Any], Any] | None  # None: the raw string is already the value
    item_or_sequence: bool = False  # query: one occurrence is a value, several an array

    @property
    def description(self) -> str | None:
        return self.kwarg.description if self.kwarg else None


@dataclass(frozen=True)
class BodySpec:
    """The request body argument `data`."""

    annotation: Any
    kwarg: BodyKwarg | None
    required: bool
    default: Any


@dataclass
class FnSignature:
    """What a function needs, by kind: parameters, body, dependencies and reserved arguments."""

    fn: Callable[..., Any]
    arg_names: tuple[str, ...]
    params: list[ParamSpec] = field(default_factory=list)
    body: BodySpec | None = None
    dependencies: list[str] = field(default_factory=list)
    reserved: dict[str, str] = field(default_factory=dict)  # argument name -> reserved kind
    return_annotation: Any = inspect.Signature.empty
    optional_dependencies: dict[str, Any] = field(default_factory=dict)


def _type_hints(fn: Callable[..., Any], namespace: Mapping[str, Any]) -> dict[str, Any]:
    target = fn.__call__ if not inspect.isroutine(fn) and not isinstance(fn, type) else fn  # type: ignore[operator]
    if isinstance(fn, type):
        target = fn.__init__  # type: ignore[misc]
    written = getattr(target, "__annotations__", None)
    if type(written) is dict and not any(map(_unresolved, written.values())):
        # nothing to evaluate (no string, no forward reference): `get_type_hints` would give
        # the same objects after walking and comparing every type in them again
        return {name: type(None) if value is None else value for name, value in written.items()}
    module = sys.modules.get(getattr(target, "__module__", ""), None)
    globalns = {**(vars(module) if module else {}), **namespace}
    try:
        return typing.get_type_hints(target, globalns=globalns, include_extras=True)
    except Exception as exc:
        raise ImproperlyConfiguredException(
            f"{getattr(fn, '__qualname__', fn)!r}: cannot resolve type annotations ({exc}); "
            "import the types at module level or pass signature_namespace"
        ) from exc


_GENERICS = (typing._GenericAlias, types.GenericAlias, types.UnionType)  # type: ignore[attr-defined]


def _unresolved(annotation: Any) -> bool:
    """Whether `typing.get_type_hints` would evaluate something in an annotation: a string or
    a forward reference, written as it or inside the arguments it walks into."""
    if isinstance(annotation, str | typing.ForwardRef):
        return True
    if isinstance(annotation, _GENERICS):
        return any(map(_unresolved, annotation.__args__))
    return False


def _converter(
    name: str,
    annotation: Any,
    kwarg: KwargDefinition | None,
    label: str,
    source: Source,
    required: bool,
) -> Callable[[Any], Any] | None:
    """How the parameter's raw value becomes its type: the type it is read as when sent
    (`_read_as`) with the constraints of its annotation and of its marker (`kwarg`). The
    answer depends on the type and constraints only, so one is kept for each (shared
    parameters ask the same of every operation)."""
    base, metadata = unwrap_annotated(annotation)
    base, inner = unwrap_annotated(_cached(_read_as, base, required, source))
    meta = kwarg.meta() if kwarg else None
    metas = [_checks(m) for m in (*inner, *metadata) if isinstance(m, msgspec.Meta)]
    if meta is not None:
        metas.append(meta)
    try:
        return _cached(_conversion, base, tuple(metas), source)  # type: ignore[no-any-return]
    except _Unsupported as exc:
        raise ImproperlyConfiguredException(
            f"{label}: parameter {name!r}: unsupported annotation {annotation!r} ({exc})"
        ) from exc.__cause__


_CHECKS = ("gt", "ge", "lt", "le", "multiple_of", "pattern", "min_length", "max_length", "tz")
_DOCS = ("title", "description", "examples", "extra_json_schema", "extra")


def _checks(meta: msgspec.Meta) -> msgspec.Meta:
    """`meta` without what only documents (a description, examples...): what reads a value
    is the same, and parameters that check alike share one conversion (`_cached`), where
    each operation's own description made each its own."""
    if all(getattr(meta, name) is None for name in _DOCS):
        return meta
    kept = {name: getattr(meta, name) for name in _CHECKS if getattr(meta, name) is not None}
    return msgspec.Meta(**kept)


class _Unsupported(Exception):
    """A parameter's type no conversion reads (said with the parameter's name by the caller)."""


# one answer per argument tuple: shared parameters ask the same of every operation
_ANSWERS: dict[Callable[..., Any], dict[Any, Any]] = {}


def _cached(fn: Callable[..., Any], *arguments: Any) -> Any:
    """`fn(*arguments)`, kept per process by the arguments where they are hashable."""
    answers = _ANSWERS.setdefault(fn, {})
    try:
        return answers[arguments]
    except KeyError:
        answer = answers[arguments] = fn(*arguments)
        return answer
    except TypeError:  # unhashable: answered, not kept
        return fn(*arguments)


def _conversion(
    base: Any, metas: tuple[msgspec.Meta, ...], source: Source
) -> Callable[[Any], Any] | None:
    """How a raw value becomes `base` under `metas` (None: the raw string is the value)."""
    if not metas and _non_none(base) is str:
        return None  # the raw string is the value
    if not metas and base is int:
        return _convert_int
    target = _constrained(base, list(metas)) if metas else base
    try:
        type_info(target)
    except (TypeError, ValueError) as exc:
        raise _Unsupported(str(exc)) from exc
    custom = find_custom_type(target)
    if custom is not None:
        raise _Unsupported(f"{custom!r} cannot be decoded from a string")
    if source == "query" and _is_object_array(type_info(target)):
        return lambda raw: _convert_json_items(raw, target)
    hook = decode_untagged_text if needs_decode_hook(target) else None

    def convert(raw: Any) -> Any:
        return msgspec.convert(raw, target, strict=False, dec_hook=hook)

    return convert


_OBJECTS = (
    msgspec.inspect.StructType,
    msgspec.inspect.DataclassType,
    msgspec.inspect.TypedDictType,
    msgspec.inspect.DictType,
)
_ARRAYS = (
    msgspec.inspect.ListType,
    msgspec.inspect.SetType,
    msgspec.inspect.FrozenSetType,
    msgspec.inspect.VarTupleType,
)


def _bare(info: msgspec.inspect.Type | None) -> msgspec.inspect.Type | None:
    """A type without its constraints and `| None` (None: a union of several types)."""
    while isinstance(info, msgspec.inspect.Metadata | msgspec.inspect.UnionType):
        if isinstance(info, msgspec.inspect.Metadata):
            info = info.type
            continue
        members = [t for t in info.types if not isinstance(t, msgspec.inspect.NoneType)]
        info = members[0] if len(members) == 1 else None
    return info


def array_items(info: msgspec.inspect.Type | None) -> msgspec.inspect.Type | None:
    """The item type of a list, set or variadic tuple (`| None` and constraints aside)."""
    info = _bare(info)
    return info.item_type if isinstance(info, _ARRAYS) else None


def _is_object_array(info: msgspec.inspect.Type) -> bool:
    """Whether a type is an array of objects (`| None` and constraints aside)."""
    return isinstance(_bare(array_items(info)), _OBJECTS)


def _convert_json_items(raw: list[str], target: Any) -> Any:
    """A query array of objects: OpenAPI defines no serialization for it; specloom's is one
    item per occurrence of the parameter, each the item's JSON text."""
    try:
        items = [msgspec.json.decode(text) for text in raw]
    except msgspec.DecodeError as exc:
        raise msgspec.ValidationError(str(exc)) from None
    return msgspec.convert(items, target)


def _constrained(base: Any, metas: list[msgspec.Meta]) -> Any:
    """`base` with constraints; on `X | None` they go on X, where msgspec can apply them."""
    inner = _non_none(base)
    if inner is not base:
        return Annotated[(inner, *metas)] | None
    return Annotated[(base, *metas)]


def _read_as(annotation: Any, required: bool, source: Source) -> Any:
    """The type a parameter's value is read as when sent. An optional (or path) parameter's
    `T | None` is documented as T, None standing for absent (`openapi/parameters.py`): the text
    `null` is no value of it. A required one documented with null keeps it."""
    if required and source != "path":
        return annotation
    base, metadata = unwrap_annotated(annotation)
    origin = get_origin(base)
    if origin is not Union and origin is not types.UnionType:
        return annotation
    members = [arg for arg in get_args(base) if arg is not type(None)]
    if not members or len(members) == len(get_args(base)):
        return annotation
    inner = members[0] if len(members) == 1 else Union[tuple(members)]  # noqa: UP007
    return Annotated[(inner, *metadata)] if metadata else inner


def _convert_int(raw: Any) -> Any:
    # plain ASCII digits are by far the common case; everything else gets msgspec's checks
    if isinstance(raw, str) and raw.isdigit() and raw.isascii():
        return int(raw)
    return msgspec.convert(raw, int, strict=False)


def _markers(
    metadata: Sequence[Any], parameter: inspect.Parameter
) -> tuple[KwargDefinition | None, BodyKwarg | None, DependencyKwarg | None, Any]:
    """The `Parameter()`, `Body()` and `Dependency()` an argument carries (in `Annotated` or as
    its default), and its real default (`_EMPTY`: none)."""
    default = parameter.default if parameter.default is not inspect.Parameter.empty else _EMPTY
    markers = [*metadata, default] if default is not _EMPTY else list(metadata)
    kwarg = next((m for m in markers if isinstance(m, KwargDefinition)), None)
    body_kwarg = next((m for m in markers if isinstance(m, BodyKwarg)), None)
    dep_kwarg = next((m for m in markers if isinstance(m, DependencyKwarg)), None)
    if isinstance(default, KwargDefinition | BodyKwarg | DependencyKwarg):
        default = default.default if not isinstance(default, BodyKwarg) else _EMPTY
    if kwarg is not None and kwarg.has_default and default is _EMPTY:
        default = kwarg.default
    return kwarg, body_kwarg, dep_kwarg, default


def _source(
    name: str, annotation: Any, kwarg: KwargDefinition | None, path_params: Mapping[str, Any]
) -> tuple[Source, str, Any]:
    """Where an argument's value is sent (path, header, cookie or query), under which key, and
    its type (a path parameter without one takes the template's)."""
    if kwarg is not None and kwarg.path:
        key = kwarg.path  # the template's name for it, e.g. `petId` for `pet_id`
        if annotation is Any and key in path_params:
            annotation = path_params[key]
        return "path", key, annotation
    if name in path_params and not (kwarg and (kwarg.header or kwarg.cookie or kwarg.query)):
        return "path", name, path_params[name] if annotation is Any else annotation
    if kwarg is not None and kwarg.header:
        return "header", kwarg.header.lower(), annotation
    if kwarg is not None and kwarg.cookie:
        return "cookie", kwarg.cookie, annotation
    return "query", (kwarg.query if kwarg and kwarg.query else name), annotation


def parse_signature(
    fn: Callable[..., Any],
    *,
    path_params: Mapping[str, Any],
    dependency_names: set[str] | frozenset[str],
    namespace: Mapping[str, Any] | None = None,
    owner: str | None = None,
) -> FnSignature:
    """Describe every argument of `fn` by where its value comes from."""
    label: str = owner or getattr(fn, "__qualname__", None) or repr(fn)
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfiguredException(f"{label}: cannot read its signature ({exc})") from exc
    hints = _type_hints(fn, namespace or {})
    names: list[str] = []
    result = FnSignature(
        fn=fn, arg_names=(), return_annotation=hints.get("return", signature.return_annotation)
    )
    for name, parameter in signature.parameters.items():
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        if parameter.kind is inspect.Parameter.POSITIONAL_ONLY:
            raise ImproperlyConfiguredException(f"{label}: positional-only argument {name!r}")
        names.append(name)
        if name in dependency_names:
            result.dependencies.append(name)
            continue
        annotation, written = hints.get(name, Any), parameter.default
        kept = (name, id(annotation), id(written))
        known = _SPECS.get(kept)
        if known is not None and all(
            map(operator.is_, known[0], _depends(name, annotation, written, known[1], path_params))
        ):
            result.params.append(known[1])
            continue
        base, metadata = unwrap_annotated(annotation)
        kwarg, body_kwarg, dep_kwarg, default = _markers(metadata, parameter)
        if dep_kwarg is not None:
            if dep_kwarg.default is _EMPTY:
                raise ImproperlyConfiguredException(
                    f"{label}: dependency {name!r} has no provider on any layer"
                )
            result.optional_dependencies[name] = dep_kwarg.default
            continue
        if body_kwarg is not None and name != "data":
            raise ImproperlyConfiguredException(
                f"{label}: the request body argument must be named 'data', not {name!r}"
            )
        if name == "data":
            result.body = BodySpec(
                annotation=annotation,
                kwarg=body_kwarg,
                # `data: Any` (or `data: None`: the body is `null`) without a default still
                # needs a body; `T | None` does not
                required=default is _EMPTY
                and (base in (Any, None, type(None)) or not is_optional(annotation)),
                default=None if default is _EMPTY else default,
            )
            continue
        klass = get_origin(base) or base  # `Request[User, Auth]` is a generic alias
        if name in RESERVED_NAMES or (isinstance(klass, type) and issubclass(klass, Request)):
            result.reserved[name] = name if name in RESERVED_NAMES else "request"
            continue

        source, key, annotation = _source(name, annotation, kwarg, path_params)
        optional = is_optional(annotation)
        required = source == "path" or (default is _EMPTY and not optional)
        if kwarg is not None and kwarg.required is not None and source != "path":
            required = kwarg.required
        if not required and default is _EMPTY:
            default = None
        spec = ParamSpec(
            name=name,
            source=source,
            key=key,
            annotation=annotation,
            required=required,
            default=default,
            is_sequence=source in ("query", "header") and is_sequence_type(annotation),
            kwarg=kwarg,
            convert=_converter(name, annotation, kwarg, label, source, required),
            item_or_sequence=source == "query" and is_item_or_sequence(annotation),
        )
        _SPECS[kept] = (_depends(name, hints.get(name, Any), written, spec, path_params), spec)
        result.params.append(spec)
    result.arg_names = tuple(names)
    return result


# (name, ids of the annotation and default written) -> (what the spec follows from, the spec):
# a type alias many operations share (`operations.py` names one for all) is read once. The
# objects are kept, so an id is never another object's; a hit is the same objects.
_SPECS: dict[tuple[str, int, int], tuple[tuple[Any, ...], ParamSpec]] = {}


def _depends(
    name: str, annotation: Any, written: Any, spec: ParamSpec, path_params: Mapping[str, Any]
) -> tuple[Any, ...]:
    """What a parameter's spec follows from: its annotation and default as written (its
    markers are in them), the path's types for its name and for its marker's `path=`."""
    path = spec.kwarg.path if spec.kwarg is not None else None
    by_path = path_params.get(path, _EMPTY) if path else _EMPTY
    return annotation, written, path_params.get(name, _EMPTY), by_path
