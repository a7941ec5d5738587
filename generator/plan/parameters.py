"""A handler's signature: a type alias per parameter and for the body, defaults, warnings.

A parameter the runtime cannot read from a string is typed `str`, its declared type kept for
the document (reported); a default that is not a value of the type is documented as written
but not applied (reported); body media types of another type are not accepted (reported).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
from msgspec import UNSET

from ..content import is_xml
from ..errors import SpecWarning
from ..ir import (
    AnyType,
    Api,
    Body,
    ListType,
    MapType,
    MediaTypeSpec,
    ModelRef,
    NoneType,
    Operation,
    Parameter,
    PrimitiveType,
    SchemaDocs,
    TypeRef,
    UnionType,
    documented,
    is_nullable,
    union_of,
    without_none,
)
from ..naming import MAX_CLASS_NAME, capped_name, pascal_name
from ..render.pyexpr import Imports, literal, type_expr
from ..schema_utils import unalias
from .defaults import default_fits, default_source
from .views import Arg, Call, DictOf, SignatureParam, TypeAliasView, Value

__all__ = ["content_argument", "example_arguments", "is_scalar", "signature", "unique"]


def _alias_name(op: Operation, parameter: str) -> str:
    """The type alias of a handler parameter, named by operation and parameter; capped so that
    `name: (op.Alias) = None,` fits a line (a number may follow it: `unique`)."""
    return capped_name(pascal_name(f"{op.python_name}_{parameter}"), MAX_CLASS_NAME - 2)


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name2`, `name3`... the first not in `taken` (then taken)."""
    candidate, index = name, 2
    while candidate in taken:
        candidate, index = f"{name}{index}", index + 1
    taken.add(candidate)
    return candidate


def is_scalar(type_: TypeRef, api: Api | None = None) -> bool:
    """Whether a value of the type is read from one string (enums and scalar aliases too)."""

    def model_scalar(name: str) -> bool:
        if api is None:
            return False
        model = api.model(name)
        if model.kind == "enum":
            return True
        if model.kind == "union" and model.as_written:  # read member by member from the text
            return all(is_scalar(member, api) for member in model.union_members)
        return model.kind == "alias" and model.target is not None and is_scalar(model.target)

    return without_none(type_).scalar(model_scalar)


def _is_object(type_: TypeRef, api: Api) -> bool:
    """Whether values of the type are JSON objects: struct models and maps (aliases followed)."""
    inner = unalias(without_none(type_), {model.name: model for model in api.models})
    if isinstance(inner, ModelRef):
        return api.model(inner.name).kind == "struct"
    return isinstance(inner, MapType)


def _parameter_type(api: Api, parameter: Parameter, warnings: list[SpecWarning]) -> TypeRef:
    """The parameter's type if the runtime can read it from a string, else `str` (reported;
    the document still gives the declared type: `Parameter(schema=...)`)."""
    inner = without_none(parameter.type)
    if not _readable(api, parameter):
        why = (
            f"is serialized as {parameter.media_type} (`content`)"
            if parameter.media_type is not None
            else "is not a scalar or a list of scalars"
        )
        warnings.append(
            SpecWarning(
                parameter.pointer,
                f"{parameter.location} parameter {parameter.name!r} {why}: the handler "
                "receives its raw text (str); the document keeps its declared schema",
            )
        )
        optional = not parameter.required
        text = PrimitiveType(kind="str")
        return UnionType((text, NoneType())) if optional else text
    if isinstance(inner, ListType) and not is_scalar(inner.item, api):  # objects in a query
        warnings.append(
            SpecWarning(
                parameter.pointer,
                f"query parameter {parameter.name!r} is an array of objects, which OpenAPI "
                "gives no serialization: specloom's is one item per occurrence, each its JSON",
            )
        )
    return parameter.type


def _readable(api: Api, parameter: Parameter) -> bool:
    """Whether the runtime reads a value of the parameter's type from its text (scalars, enums,
    scalar aliases, lists of those; a query list of objects, one JSON object per item), not
    a value serialized as a media type (`content`)."""
    if parameter.media_type is not None:
        return False
    inner = without_none(parameter.type)
    if isinstance(inner, ModelRef):
        return is_scalar(inner, api)
    if is_scalar(inner) or (isinstance(inner, ListType) and is_scalar(inner.item, api)):
        return True
    if parameter.location == "query" and _item_or_list(inner, api):
        return True
    return (
        parameter.location == "query"
        and isinstance(inner, ListType)
        and _is_object(inner.item, api)
    )


def _item_or_list(type_: TypeRef, api: Api) -> bool:
    """A union of scalars and one list of scalars (`oneOf: [string, array]`): the runtime reads
    one occurrence as the value, several as the list."""
    if not isinstance(type_, UnionType):
        return False
    members = [member for member in type_.members if not isinstance(member, NoneType)]
    lists = [m for m in members if isinstance(m, ListType) and is_scalar(m.item, api)]
    scalars = [m for m in members if is_scalar(m, api)]
    return len(lists) == 1 and len(lists) + len(scalars) == len(members)


def _parameter_default(
    api: Api, parameter: Parameter, type_: TypeRef, warnings: list[SpecWarning]
) -> str | None:
    """The spec's default as Python source, when it is a valid value of the type (null is
    the absent parameter's None: no default of its own)."""
    if parameter.required or parameter.default is UNSET:
        return None
    if parameter.default is None:
        if not is_nullable(parameter.type):
            warnings.append(
                SpecWarning(
                    parameter.pointer,
                    f"default null of parameter {parameter.name!r} is not a value of its "
                    "type: documented as written (the absent parameter is None)",
                )
            )
        return None
    if not default_fits(type_, parameter.default, api):
        warnings.append(
            SpecWarning(
                parameter.pointer,
                f"default {parameter.default!r} of parameter {parameter.name!r} does not "
                "fit its type: documented as written, not applied",
            )
        )
        return None
    return default_source(api, type_, parameter.default, "m.")


def example_arguments(example: Any, examples: dict[str, Any] | None) -> list[Arg]:
    """`example=`/`examples=` arguments: documentation, carried as the spec writes it (None:
    no `examples`; {} is `examples: {}`)."""
    arguments = []
    if example is not UNSET:
        arguments.append(Arg("example", literal(example)))
    if examples is not None:
        arguments.append(Arg("examples", literal(examples)))
    return arguments


def content_argument(contents: Sequence[MediaTypeSpec], imports: Imports) -> DictOf:
    """`{media type: type or ContentSpec(type, examples)}`, in the spec's order: each media
    type with the type its schema was written as."""
    entries: list[tuple[str, Value]] = []
    for content in contents:
        examples = example_arguments(content.example, content.examples)
        if content.encoding is not None:
            examples.append(Arg("encoding", literal(content.encoding)))
        if content.extensions:
            examples.append(Arg("extensions", literal(content.extensions)))
        type_ = _documented_type(content.documented, imports)
        if type_ is not None and not examples:
            entries.append((literal(content.media_type), type_))
            continue
        imports.add("specloom.runtime.openapi", "ContentSpec")
        arguments = ([Arg("", type_)] if type_ is not None else []) + examples
        entries.append((literal(content.media_type), Call("ContentSpec", tuple(arguments))))
    return DictOf(tuple(entries))


def _documented_type(documented: TypeRef | None, imports: Imports) -> str | None:
    """The type a media type's schema was written as (`bytes` is `format: binary`)."""
    if documented is None:
        return None
    if documented == PrimitiveType("bytes", "binary"):
        return "bytes"
    return type_expr(documented, imports, model_prefix="m.")


def _parameter_alias(
    api: Api, parameter: Parameter, imports: Imports, warnings: list[SpecWarning]
) -> tuple[str, Call, str | None]:
    """(type expression, `Parameter(...)`, default expression) of one parameter.

    An optional parameter with a default has the default's type (it is never None); one
    without is `T | None`, None when absent.
    """
    type_ = _parameter_type(api, parameter, warnings)
    readable = _readable(api, parameter)
    schema_docs: dict[str, Any] = {}
    if readable and isinstance(type_, PrimitiveType) and type_.docs is not None:
        type_, schema_docs = _docs_beside(type_, type_.docs)
    default = _parameter_default(api, parameter, type_, warnings)
    # never used (the parameter is always sent, or the value does not fit its type, or is a
    # null its type has not), but the spec documents it: an annotation, carried as written
    absent = parameter.default is None and is_nullable(parameter.type)  # what None says
    documented_default = parameter.default is not UNSET and (
        parameter.required or (default is None and not absent)
    )
    if not parameter.required and default is None:
        default = "None"
        if not isinstance(without_none(type_), NoneType):  # a nullable type keeps its docs
            type_ = documented(union_of([type_, NoneType()]), _docs_of(type_))
    base = type_expr(type_, imports, model_prefix="m.")
    arguments = [Arg(parameter.location, literal(parameter.name))]
    if parameter.required and parameter.location != "path" and is_nullable(type_):
        # `T | None` with no default reads as optional: the spec says it is sent, null allowed
        arguments.append(Arg("required", "True"))
    if not readable:  # the raw text; the document says the declared type
        declared = without_none(parameter.type)
        arguments.append(Arg("schema", type_expr(declared, imports, model_prefix="m.")))
    if parameter.media_type is not None:
        arguments.append(Arg("media_type", literal(parameter.media_type)))
    if parameter.description is not None:  # "" is a description as written
        arguments.append(Arg("description", literal(parameter.description)))
    if parameter.deprecated:
        arguments.append(Arg("deprecated", "True"))
    if parameter.style:
        arguments.append(Arg("style", literal(parameter.style)))
    if parameter.explode is not None:
        arguments.append(Arg("explode", literal(parameter.explode)))
    if parameter.allow_empty_value:
        arguments.append(Arg("allow_empty_value", "True"))
    if parameter.allow_reserved:
        arguments.append(Arg("allow_reserved", "True"))
    arguments += example_arguments(parameter.example, parameter.examples or None)
    if parameter.extensions:
        arguments.append(Arg("extensions", literal(parameter.extensions)))
    if documented_default:
        schema_docs["default"] = parameter.default
    if schema_docs:
        arguments.append(Arg("schema_extra", literal(schema_docs)))
    if default is not None and isinstance(parameter.default, list | dict):
        # a list or dict as a function's default is one object shared by every call (B006):
        # the runtime takes it from the marker instead, so the argument has no Python default
        arguments.append(Arg("default", default))
        default = None
    imports.add("typing", "Annotated")
    imports.add("specloom.runtime.params", "Parameter")
    return base, Call("Parameter", tuple(arguments)), default


def _docs_beside(type_: PrimitiveType, docs: SchemaDocs) -> tuple[TypeRef, dict[str, Any]]:
    """A scalar parameter's schema description and examples, said in `schema_extra` (its
    schema's own keywords) rather than in a `Meta` of their own: each distinct `Meta` makes
    a distinct `Annotated` type at import, and each parameter has its own. What checks the
    value (and any other keyword) stays in its `Meta`."""
    moved: dict[str, Any] = {}
    if docs.description is not None:
        moved["description"] = docs.description
    if docs.examples:
        moved["examples"] = list(docs.examples)
    if not moved:
        return type_, {}
    kept = msgspec.structs.replace(docs, description=None, examples=())
    return msgspec.structs.replace(type_, docs=None if kept == SchemaDocs() else kept), moved


def _docs_of(type_: TypeRef) -> SchemaDocs | None:
    """The docs of a nullable type (`X | None`), written on the union (those of another type
    stay on it)."""
    return type_.docs if isinstance(type_, UnionType) else None


def _decodable(api: Api, content: MediaTypeSpec) -> bool:
    """Whether the runtime decodes this content into its type: JSON and URL-encoded forms,
    multipart forms (arrays of scalars or bytes too: one part per item) and XML documents of
    structured types, text as a str."""
    inner = without_none(content.type) if content.type is not None else None
    if content.kind in ("json", "form"):
        return True
    if content.kind == "text" and inner == PrimitiveType("str"):
        return True  # the text itself (a JSON media type beside it carries a JSON string)
    if content.kind == "multipart" and isinstance(inner, ListType):
        item = without_none(inner.item)
        return is_scalar(item, api) or (isinstance(item, PrimitiveType) and item.kind == "bytes")
    if content.kind == "multipart":
        return isinstance(inner, ModelRef | MapType | AnyType)
    return is_xml(content.media_type) and isinstance(inner, ModelRef | ListType)


def _body_alias(
    api: Api, body: Body, imports: Imports, warnings: list[SpecWarning], pointer: str
) -> tuple[str, Call, bool]:
    """(type expression, `Body(...)`, optional) of the `data` argument."""
    imports.add("typing", "Annotated")
    imports.add("specloom.runtime.params", "Body")
    decodable = [c.media_type for c in body.content if c.type == body.type and _decodable(api, c)]
    if body.media_type in decodable:
        type_: TypeRef = body.type
        media_types = decodable
    elif body.kind == "text":
        type_, media_types = PrimitiveType(kind="str"), [body.media_type]
    else:  # binary, streams, multipart without fields: the raw bytes
        type_, media_types = PrimitiveType(kind="bytes"), [body.media_type]
        if body.kind == "multipart":
            warnings.append(
                SpecWarning(pointer, "a multipart body without an object schema is raw bytes")
            )
    skipped = [c.media_type for c in body.content if c.media_type not in media_types]
    if skipped:
        warnings.append(
            SpecWarning(
                pointer,
                f"request body media types {skipped} are documented, not accepted (their "
                f"content is not the same type as {media_types[0]}): a request in one is "
                "answered 415",
            )
        )
    optional = not body.required
    base = type_expr(type_, imports, model_prefix="m.")
    arguments = [Arg("media_types", literal(media_types))]
    if body.description is not None:
        arguments.append(Arg("description", literal(body.description)))
    primary = next((c for c in body.content if c.media_type == media_types[0]), None)
    if primary is not None:
        arguments += example_arguments(primary.example, primary.examples)
    if _written_otherwise(body, type_, media_types):
        arguments.append(Arg("content", content_argument(body.content, imports)))
    if body.extensions:
        arguments.append(Arg("extensions", literal(body.extensions)))
    return base, Call("Body", tuple(arguments)), optional


def _written_otherwise(body: Body, read_as: TypeRef, accepted: Sequence[str]) -> bool:
    """Whether the body's content needs `content={...}` to be documented as written: media
    types it does not accept, schemas other than the type it is read as, no schema, or
    examples on another media type than the primary one."""
    for content in body.content:
        if content.media_type not in accepted or content.documented is None:
            return True
        if content.encoding is not None or content.extensions:
            return True
        if content.documented != read_as and not (content.type == read_as == body.type):
            return True
        if _fitted(content):
            return True
        examples = content.example is not UNSET or content.examples is not None
        if examples and content.media_type != accepted[0]:
            return True
    return False


def _fitted(content: MediaTypeSpec) -> bool:
    """Whether text or octets carry content whose schema is structured (an object, an array:
    read as str or bytes, documented with the schema as written)."""
    documented = content.documented
    if content.kind not in ("text", "binary") or documented is None:
        return False
    return not isinstance(without_none(documented), PrimitiveType)


def signature(
    api: Api,
    op: Operation,
    alias_names: set[str],
    imports: Imports,
    warnings: list[SpecWarning],
) -> tuple[list[TypeAliasView], list[SignatureParam]]:
    """(type aliases, handler parameters: those with defaults last) of `op`."""
    aliases: list[TypeAliasView] = []
    params: list[SignatureParam] = []
    for parameter in op.parameters:
        alias = unique(_alias_name(op, parameter.python_name), alias_names)
        base, marker, default = _parameter_alias(api, parameter, imports, warnings)
        aliases.append(TypeAliasView(alias, base, marker))
        imports.add("typing", "TypeAlias")
        params.append(SignatureParam(parameter.python_name, alias, default))
    if op.body is not None:
        alias = unique(_alias_name(op, "body"), alias_names)
        base, marker, optional = _body_alias(api, op.body, imports, warnings, op.pointer)
        aliases.append(TypeAliasView(alias, base, marker, or_none=optional))
        imports.add("typing", "TypeAlias")
        params.append(SignatureParam(op.body.python_name, alias, "None" if optional else None))
    params.sort(key=lambda param: param.default is not None)  # arguments with defaults last
    return aliases, params
