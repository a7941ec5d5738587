"""Decide the models module: msgspec Structs, Enums, untagged unions and type aliases.

Per model: its class header or alias target, its fields (annotation, default, msgspec
options), its decorators (how the document names and describes it). Reported here: a field
default that is not a value of its type, and a property msgspec cannot name.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from ..errors import SpecWarning
from ..ir import (
    AnyType,
    Api,
    Field,
    Model,
    NoneType,
    SchemaDocs,
    TypeRef,
    UnionType,
    documented,
    undocumented,
    union_of,
)
from ..render.pyexpr import (
    Imports,
    comment_lines,
    docs_arguments,
    docstring,
    exact_docstring,
    literal,
    type_expr,
    with_unset,
)
from ..schema_utils import ENUM_ASSERTIONS, UNCHECKED_KINDS
from ..unions import is_untagged_union, model_refs
from ..wrapped import alias_wrapped_metadata, wrapped_metadata
from .defaults import default_factory, default_fits, default_source, enum_default
from .field_docs import FieldDocs, fields_argument, said_beside
from .forward_refs import forward_fields
from .model_order import kept_components, ordered, served_names
from .views import Arg, Call, DictOf, FieldView, ModelBlock, ModelsView, TupleOf, Value

__all__ = ["plan_models"]


def plan_models(api: Api) -> ModelsView:
    """Every block of the models module, in definition order, with the warnings."""
    imports = Imports()
    warnings: list[SpecWarning] = []
    api = msgspec.structs.replace(api, models=served_names(api.models, warnings))
    blocks: list[ModelBlock] = []
    defined: set[str] = set()
    by_name = {model.name: model for model in api.models}
    for model in ordered(api, warnings):
        # evaluated as read: each model after what it needs, a field that closes a cycle of
        # models a string (model_order.py, forward_refs.py)
        blocks.append(_block(api, model, imports, warnings, defined, by_name))
        defined.add(model.name)
    warnings += kept_components(api.models, by_name)
    return ModelsView(imports.lines(), blocks, [m.name for m in api.models], warnings)


def _block(
    api: Api,
    model: Model,
    imports: Imports,
    warnings: list[SpecWarning],
    defined: set[str],
    by_name: dict[str, Model],
) -> ModelBlock:
    if model.kind == "enum" and model.enum_type == "float":
        return _number_enum_block(model, imports)
    if model.kind == "enum":
        return _enum_block(model, imports)
    if model.kind == "struct":
        return _struct_block(api, model, imports, warnings, defined)
    imports.add("typing", "TypeAlias")
    if is_untagged_union(model, by_name):
        return _untagged_block(model, imports)
    return _alias_block(api, model, imports, defined)


def _decorated(
    block: ModelBlock, model: Model, imports: Imports, indent: str, fields: FieldDocs | None = None
) -> ModelBlock:
    """`block` with the docstring and decorators of its class."""
    block.doc, decorators = _class_docs(model, imports, indent, fields or {})
    block.decorators = _naming(model, imports) + decorators
    return block


def _enum_block(model: Model, imports: Imports) -> ModelBlock:
    if model.enum_type == "int":
        imports.add("enum")
        base = "enum.IntEnum"
    else:  # `enum.StrEnum`, built faster (`specloom.runtime.enums`)
        imports.add("specloom.runtime.enums", "StrEnum")
        base = "StrEnum"
    members: list[tuple[str, Value, str]] = [
        (member.name, literal(member.value), "") for member in model.enum_members
    ]
    block = ModelBlock("enum", model.name, (Arg("", base),), attributes=members)
    return _decorated(block, model, imports, "    ")


def _struct_block(
    api: Api, model: Model, imports: Imports, warnings: list[SpecWarning], defined: set[str]
) -> ModelBlock:
    imports.add("msgspec")
    header = [Arg("", base) for base in model.bases] or [Arg("", "msgspec.Struct")]
    header.append(Arg("kw_only", "True"))
    if model.forbid_unknown_fields:
        header.append(Arg("forbid_unknown_fields", "True"))
    if model.extra_fields is not None:  # the instance keeps its extra keys
        header.append(Arg("dict", "True"))
    if model.tag_field is not None and model.tag is not None:
        header += [Arg("tag_field", literal(model.tag_field)), Arg("tag", literal(model.tag))]
    block = ModelBlock("struct", model.name, tuple(header))
    unnamed = [item for item in model.fields if not _representable(model, item, warnings)]
    named = [item for item in model.fields if item not in unnamed]
    field_docs: FieldDocs = {}
    fields = [_field(api, model, item, imports, warnings, field_docs) for item in named]
    block.fields = forward_fields(named, fields, defined)
    if model.extra_fields is not None:
        block.extra_keys = _extra_keys(model, model.extra_fields, imports)
    if model.property_bounds is not None:  # minProperties/maxProperties, checked on decode
        imports.add("specloom.runtime.openapi", "properties_between")
        low, high = model.property_bounds
        block.bounds = (literal(low), literal(high), _bounds_text(low, high))
    block = _decorated(block, model, imports, "    ", field_docs)
    if model.all_of:  # the spec's allOf of these components, written back as such
        imports.add("specloom.runtime.openapi", "all_of")
        closed = (Arg("closed_parts", "True"),) if model.all_of_closed else ()
        parts = tuple(Arg("", part) for part in model.all_of)
        block.decorators.append(Call("all_of", parts + closed))
    if unnamed:  # documented beside the fields, read as unknown keys
        block.decorators.append(_unnamed(api, model, unnamed, imports, warnings))
    return block


def _untagged_block(model: Model, imports: Imports) -> ModelBlock:
    """mypy sees `A | B`; msgspec a class that decodes member by member."""
    imports.add("typing", "TYPE_CHECKING")
    imports.add("specloom.runtime.untagged", "UntaggedUnion")
    members = [type_expr(member, imports) for member in model.union_members]
    # a class by its name, any other member type by its expression (read in the module)
    attributes: list[tuple[str, Value, str]] = [
        ("members", TupleOf(tuple(literal(member) for member in members)), "")  # two or more
    ]
    if not model.exclusive:
        attributes.append(("exclusive", "False", "anyOf: the first member that accepts a value"))
    if model.closed:
        attributes.append(("closed", "True", "additionalProperties: false: no key is allowed"))
    elif model.objects:
        attributes.append(("objects", "True", "only objects: `type: object` beside the members"))
    if model.shared is not None:  # each member extends it: decoded and documented with it
        attributes.append(("shared", literal(model.shared), "the properties beside the members"))
    if model.shared_all_of is not None:
        place = literal(model.shared_all_of)
        attributes.append(("shared_all_of", place, "written as an allOf of both, in this place"))
    block = ModelBlock("untagged", model.name, (Arg("", "UntaggedUnion"),))
    block.attributes, block.expr = attributes, _mypy_union(model, members, imports)
    return _decorated(block, model, imports, "        ")


def _mypy_union(model: Model, members: list[str], imports: Imports) -> str:
    """The alias mypy sees: each type once (a member written twice is one type to it), and a
    member's None last (a nullable member: `str | None` among others)."""
    if not any(isinstance(m, UnionType) and NoneType() in m.members for m in model.union_members):
        return " | ".join(dict.fromkeys(members))
    flat: list[str] = []
    for member, expr in zip(model.union_members, members, strict=True):
        if isinstance(member, UnionType) and NoneType() in member.members:
            flat += [type_expr(m, imports) for m in member.members if not isinstance(m, NoneType)]
        else:
            flat.append(expr)
    return " | ".join([*dict.fromkeys(expr for expr in flat if expr != "None"), "None"])


def _number_enum_block(model: Model, imports: Imports) -> ModelBlock:
    """Numbers that are not all ints: mypy sees `float`, msgspec a NumberEnum that checks them."""
    imports.add("typing", "TYPE_CHECKING")
    imports.add("typing", "TypeAlias")
    imports.add("specloom.runtime.untagged", "NumberEnum")
    values = TupleOf(tuple(literal(member.value) for member in model.enum_members))
    block = ModelBlock("untagged", model.name, (Arg("", "NumberEnum"),), expr="float")
    block.attributes = [("values", values, "")]
    return _decorated(block, model, imports, "        ")


def _alias_block(api: Api, model: Model, imports: Imports, defined: set[str]) -> ModelBlock:
    """An alias or union has no class: its documentation is the `Meta` of its annotation."""
    docs = docs_arguments(_model_docs(model, with_description=True))
    block = ModelBlock(model.kind, model.name)
    if model.kind == "union":
        members = [type_expr(member, imports) for member in model.union_members]
        if model.nullable and model.wire_name is not None:  # the component admits null too
            members.append("None")
        marker = "OneOf" if model.exclusive else "AnyOf"
        imports.add("typing", "Annotated")
        imports.add("specloom.runtime.openapi", marker)
        metadata: list[Value] = [marker, *_component(model, imports)]  # named, as in the spec
        if docs:
            imports.add("msgspec", "Meta")
            metadata.append(Call("Meta", tuple(_docs_meta(docs))))
        block.union = (tuple(members), tuple(metadata))
    else:
        target = model.target if model.target is not None else AnyType()
        component = _component_text(model, imports)
        if model.nullable and component and not isinstance(target, NoneType):
            # the component admits null too
            target = documented(union_of([undocumented(target), NoneType()]), target.docs)
        wrapped = alias_wrapped_metadata(model, docs, imports)  # the allOf written around it
        block.expr = type_expr(target, imports, docs=docs, metadata=component + wrapped)
    if _refs_in_expr(model) - defined:  # a cycle among aliases: close it with Any
        block.union = None
        block.expr = type_expr(AnyType(), imports, metadata=_component_text(model, imports))
    return block


def _field_docs(item: Field, documented_default: bool = False) -> dict[str, Any]:
    docs = item.docs
    if documented_default:
        # no Python default can say it (required, or not a value of the type): the spec's is
        # an annotation, documented as written
        docs = msgspec.structs.replace(docs, extra={**docs.extra, "default": item.default})
    return docs_arguments(docs)


def _field(
    api: Api,
    model: Model,
    item: Field,
    imports: Imports,
    warnings: list[SpecWarning],
    beside: FieldDocs | None = None,
) -> FieldView:
    """A struct field: its annotation, its default, its `msgspec.field` options; `beside`
    gets its documentation keywords by name (`field_docs.py`), unless `in_all_of` places
    them."""
    fits = item.has_default and default_fits(item.type, item.default, api)
    factory_of = default_factory(item.default) if fits else None
    # said by no Python default (required, not a value of the type, or made by a factory
    # msgspec does not document): the spec's default is documented as written
    documented_default = item.has_default and (item.required or not fits or factory_of == "lambda")
    docs = _field_docs(item, documented_default)
    type_ = item.type
    if beside is not None and item.all_of is None:
        type_, moved = said_beside(docs, type_)
        if moved:
            beside[item.name] = moved
    metadata = wrapped_metadata(item, docs, imports)  # kept as the allOf written around it
    annotation = type_expr(type_, imports, docs=docs, metadata=metadata)
    options: list[Arg] = []
    if item.name != item.wire_name:
        options.append(Arg("name", literal(item.wire_name)))
    default: str | None = None
    factory = False
    if item.has_default and not item.required:
        if fits:
            member = enum_default(api, item.type, item.default)
            if member is not None:
                default = member
            elif factory_of is not None:
                made = factory_of
                if factory_of == "lambda":
                    made = "lambda: " + default_source(api, item.type, item.default)
                options.append(Arg("default_factory", made))
                factory = True
            else:
                default = literal(item.default)
        else:
            warnings.append(
                SpecWarning(
                    item.pointer or model.pointer,
                    f"default {item.default!r} of {model.name}.{item.name} does not fit its "
                    "type: documented as written, not applied (the field is optional without "
                    "a default)",
                )
            )
    if not item.required and default is None and not factory:
        imports.add("msgspec", "UNSET")
        imports.add("msgspec", "UnsetType")
        annotation = with_unset(annotation)
        default = "UNSET"
    if options:
        imports.add("msgspec")
        if default is not None:
            options.insert(0, Arg("default", default))
    comment = comment_lines(item.comment, "    ") if item.comment else ()
    return FieldView(item.name, annotation, default, tuple(options), comment)


_UNNAMEABLE = re.compile(r'[\\"\x00-\x1f]')


def _representable(model: Model, item: Field, warnings: list[SpecWarning]) -> bool:
    """msgspec cannot name a field with a backslash, a quote or a control character."""
    if _UNNAMEABLE.search(item.wire_name) is None:
        return True
    warnings.append(
        SpecWarning(
            item.pointer or model.pointer,
            f"property {item.wire_name!r} of {model.name} cannot be a field name "
            "(backslash, quote or control character): documented as written "
            "(@unnamed_properties), read as an unknown key (not checked, not kept)",
        )
    )
    return False


def _unnamed(
    api: Api, model: Model, items: list[Field], imports: Imports, warnings: list[SpecWarning]
) -> Call:
    """`@unnamed_properties({name: lambda: type}, required=(...))` for the properties no field
    can hold: each type annotated as its field would be (a function: it may name a class
    further down the module)."""
    imports.add("specloom.runtime.openapi", "unnamed_properties")
    types = DictOf(
        tuple(
            (
                literal(item.wire_name),
                "lambda: "
                + _field(
                    api, model, msgspec.structs.replace(item, required=True), imports, warnings
                ).annotation,
            )
            for item in items
        )
    )
    required = tuple(literal(item.wire_name) for item in items if item.required)
    return Call(
        "unnamed_properties",
        (Arg("", types),) + ((Arg("required", TupleOf(required)),) if required else ()),
    )


def _model_docs(model: Model, with_description: bool) -> SchemaDocs:
    extra = dict(model.extra)
    read_only = extra.pop("readOnly", False) is True
    write_only = extra.pop("writeOnly", False) is True
    if model.external_docs is not None:
        docs = {"url": model.external_docs.url}
        if model.external_docs.description is not None:
            docs["description"] = model.external_docs.description
        extra["externalDocs"] = docs
    return SchemaDocs(
        title=model.title,
        description=model.description if with_description else None,
        examples=model.examples,
        deprecated=model.deprecated,
        read_only=read_only,
        write_only=write_only,
        extra=extra,
    )


_DOCS_FLAGS = ("deprecated", "read_only", "write_only")
_DOCS_KEYS = (
    ("externalDocs", "external_docs"),
    ("xml", "xml"),
    ("format", "format"),
    ("discriminator", "discriminator"),
    ("default", "default"),
)


def _dropped_docstring(model: Model) -> bool:
    """Whether msgspec leaves the class's docstring out of its schema: an Enum's "An
    enumeration." (the docstring older Pythons give every Enum)."""
    return model.kind == "enum" and model.description == "An enumeration."


def _class_docs(
    model: Model, imports: Imports, indent: str, field_docs: FieldDocs
) -> tuple[str | None, list[Value]]:
    """(docstring literal, decorators) of a struct or enum class.

    The description is the docstring when it reads back exactly; everything else a schema
    documents (title, examples, xml, x- extensions...) goes in `@schema_docs(...)`, and so do
    its fields' documentation keywords (`fields=`, by field name, last: above the class).
    """
    doc = (
        exact_docstring(model.description, indent)
        if model.description and not _dropped_docstring(model)
        else None
    )
    docs = _model_docs(model, with_description=model.description is not None and doc is None)
    if doc is None and model.description:
        doc = docstring(model.description, indent)  # for the reader; schema_docs says it exactly
    tag_flags = model.open_tag or model.optional_tag or model.undeclared_tag or model.tag_docs
    if docs == SchemaDocs() and not tag_flags and not model.untyped and not field_docs:
        return doc, []
    extra = dict(docs.extra)
    arguments = []
    if model.open_tag:
        arguments.append(Arg("open_tag", "True"))
    if model.optional_tag:
        arguments.append(Arg("optional_tag", "True"))
    if model.undeclared_tag:
        arguments.append(Arg("undeclared_tag", "True"))
    if model.tag_docs:
        arguments.append(Arg("tag_docs", literal(model.tag_docs)))
    for name, value in (("title", docs.title), ("description", docs.description)):
        if value is not None:
            arguments.append(Arg(name, literal(value)))
    if docs.examples:
        arguments.append(Arg("examples", literal(list(docs.examples))))
    for name in _DOCS_FLAGS:
        if getattr(docs, name):
            arguments.append(Arg(name, "True"))
    for key, name in _DOCS_KEYS:
        if key in extra:
            arguments.append(Arg(name, literal(extra.pop(key))))
    implied = {key: extra.pop(key) for key in ENUM_ASSERTIONS if key in extra}
    if implied:
        arguments.append(Arg("implied", literal(implied)))
    unchecked = {key: extra.pop(key) for key in UNCHECKED_KINDS if key in extra}
    if unchecked:
        arguments.append(Arg("unchecked", literal(unchecked)))
    if extra:
        arguments.append(Arg("extensions", literal(extra)))
    if model.untyped:  # the spec's schema says no `type`: neither does the class's
        arguments.append(Arg("untyped", "True"))
    if field_docs:
        arguments.append(fields_argument(field_docs))
    imports.add("specloom.runtime.openapi", "schema_docs")
    return doc, [Call("schema_docs", tuple(arguments))]


def _naming(model: Model, imports: Imports) -> list[Value]:
    """How the document names a class: inline where used when the spec wrote it inline, else
    its component name when that is not the class name."""
    if model.wire_name is None:
        imports.add("specloom.runtime.openapi", "inline_schema")
        return ["inline_schema"]
    decorators: list[Value] = []
    if model.wire_name != model.name:
        imports.add("specloom.runtime.openapi", "component_name")
        decorators.append(Call("component_name", (Arg("", literal(model.wire_name)),)))
    if model.nullable:  # the spec's schema admits null: so does the component
        imports.add("specloom.runtime.openapi", "nullable_component")
        decorators.append("nullable_component")
    return decorators


def _component(model: Model, imports: Imports) -> list[Value]:
    """`component(name)` for an alias of a named component schema (none for an inline one)."""
    if model.wire_name is None:
        return []
    imports.add("specloom.runtime.openapi", "component")
    return [Call("component", (Arg("", literal(model.wire_name)),))]


def _component_text(model: Model, imports: Imports) -> list[str]:
    """`_component`, as text: `type_expr` takes its `Annotated` metadata as expressions."""
    if model.wire_name is None:
        return []
    imports.add("specloom.runtime.openapi", "component")
    return ["component(" + literal(model.wire_name) + ")"]


def _extra_keys(model: Model, value: TypeRef, imports: Imports) -> tuple[str, str]:
    """(attribute, type argument) of `extra_keys = ExtraKeys[V]()`: typed additionalProperties
    beside properties.

    The attribute takes the first of `extra_keys`, `extra_keys_`... no field has; a type that
    names models is a string, resolved when first used (the models may come further down)."""
    imports.add("specloom.runtime.extra_keys", "ExtraKeys")
    taken = {item.name for item in model.fields}
    name = "extra_keys"
    while name in taken:
        name += "_"
    expr = type_expr(value, imports)
    return name, literal(expr) if model_refs(value) else expr


def _bounds_text(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"From {low} to {high} properties (minProperties, maxProperties)."
    if low is not None:
        return f"At least {low} properties (minProperties)."
    return f"At most {high} properties (maxProperties)."


def _docs_meta(docs: dict[str, Any]) -> list[Arg]:
    return [
        Arg(name, literal(list(value) if isinstance(value, tuple) else value))
        for name, value in docs.items()
    ]


def _refs_in_expr(model: Model) -> set[str]:
    targets = [model.target] if model.target is not None else list(model.union_members)
    return model_refs(targets)
