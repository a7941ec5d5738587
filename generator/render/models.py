"""The models module: msgspec Structs, Enums and type aliases for the API's schemas."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from typing import Any

import msgspec

from ..errors import SpecWarning
from ..ir import (
    AnyType,
    Api,
    Field,
    ListType,
    LiteralType,
    MapType,
    Model,
    ModelRef,
    NoneType,
    PrimitiveType,
    SchemaDocs,
    TypeRef,
    UnionType,
    documented,
    is_nullable,
    undocumented,
    union_of,
    without_none,
)
from ..unions import is_untagged_union, model_refs
from .pyexpr import (
    Imports,
    docs_arguments,
    docstring,
    exact_docstring,
    literal,
    type_expr,
    with_unset,
)

__all__ = ["ModelsView", "default_fits", "eager_references", "models_view"]


@dataclass
class ModelBlock:
    """One model, laid out by the template."""

    kind: str
    name: str
    header: str = ""  # class header arguments, e.g. `msgspec.Struct, kw_only=True`
    doc: str | None = None
    lines: list[str] = field(default_factory=list)  # field or member lines
    expr: str = ""  # alias target
    decorators: list[str] = field(default_factory=list)


@dataclass
class ModelsView:
    """Everything the models template lays out."""

    imports: list[str]
    blocks: list[ModelBlock]
    names: list[str]
    warnings: list[SpecWarning]


def default_fits(type_: TypeRef, value: Any, api: Api | None = None) -> bool:
    """Whether a spec default is a valid value of the type (else it is dropped, with a warning)."""
    if value is None:
        return is_nullable(type_)
    inner = without_none(type_)
    if isinstance(inner, UnionType):
        return any(default_fits(member, value, api) for member in inner.members)
    if isinstance(inner, PrimitiveType):
        expected: dict[str, tuple[type, ...]] = {
            "str": (str,),
            "email": (str,),
            "uri": (str,),
            "int": (int,),
            "float": (int, float),
            "bool": (bool,),
        }
        kinds = expected.get(inner.kind)
        if kinds is None:
            return False  # dates, uuids, bytes...: written as text in the spec, kept out
        if inner.kind != "bool" and isinstance(value, bool):
            return False
        return isinstance(value, kinds)
    if isinstance(inner, LiteralType):
        return value in inner.values
    if isinstance(inner, ListType):
        return isinstance(value, list) and all(default_fits(inner.item, v, api) for v in value)
    if isinstance(inner, MapType):
        return isinstance(value, dict) and all(
            default_fits(inner.value, v, api) for v in value.values()
        )
    if isinstance(inner, ModelRef) and api is not None:
        model = api.model(inner.name)
        if model.kind == "enum" and model.enum_type == "float":  # 5 is 5.0 there
            return not isinstance(value, bool) and any(
                isinstance(value, int | float) and member.value == value
                for member in model.enum_members
            )
        if model.kind == "enum":
            return any(
                member.value == value and type(member.value) is type(value)
                for member in model.enum_members
            )
        if model.kind == "alias" and model.target is not None:
            return default_fits(model.target, value, api)
    return False


def _enum_member_for(api: Api, type_: TypeRef, value: Any) -> str | None:
    inner = without_none(type_)
    if isinstance(inner, ModelRef):
        model = api.model(inner.name)
        if model.kind == "enum" and model.enum_type != "float":  # a NumberEnum has no members
            for member in model.enum_members:
                if member.value == value and type(member.value) is type(value):
                    return f"{model.name}.{member.name}"
    return None


def _field_docs(item: Field, documented_default: bool = False) -> dict[str, Any]:
    extra = item.extra
    if documented_default:
        # no Python default can say it (required, or not a value of the type): the spec's is
        # an annotation, documented as written
        extra = {**extra, "default": item.default}
    return docs_arguments(
        SchemaDocs(
            title=item.title,
            description=item.description,
            examples=item.examples,
            deprecated=item.deprecated,
            read_only=item.read_only,
            write_only=item.write_only,
            extra=extra,
        )
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


def _class_docs(
    model: Model, imports: Imports, indent: str = "    "
) -> tuple[str | None, list[str]]:
    """(docstring literal, decorators) of a struct or enum class.

    The description is the docstring when it reads back exactly; everything else a schema
    documents (title, examples, xml, x- extensions...) goes in `@schema_docs(...)`.
    """
    doc = exact_docstring(model.description, indent) if model.description else None
    docs = _model_docs(model, with_description=model.description is not None and doc is None)
    if doc is None and model.description:
        doc = docstring(model.description, indent)  # for the reader; schema_docs says it exactly
    if docs == SchemaDocs() and not model.open_tag and not model.tag_docs:
        return doc, []
    extra = dict(docs.extra)
    arguments = []
    if model.open_tag:
        arguments.append("open_tag=True")
    if model.tag_docs:
        arguments.append(f"tag_docs={literal(model.tag_docs)}")
    for name, value in (("title", docs.title), ("description", docs.description)):
        if value is not None:
            arguments.append(f"{name}={literal(value)}")
    if docs.examples:
        arguments.append(f"examples={literal(list(docs.examples))}")
    for name, flag in (
        ("deprecated", docs.deprecated),
        ("read_only", docs.read_only),
        ("write_only", docs.write_only),
    ):
        if flag:
            arguments.append(f"{name}=True")
    for key, name in (
        ("externalDocs", "external_docs"),
        ("xml", "xml"),
        ("format", "format"),
        ("discriminator", "discriminator"),
    ):
        if key in extra:
            arguments.append(f"{name}={literal(extra.pop(key))}")
    if extra:
        arguments.append(f"extensions={literal(extra)}")
    imports.add("specloom.runtime.openapi", "schema_docs")
    return doc, [f"@schema_docs({', '.join(arguments)})"]


def _field_line(
    api: Api, model: Model, item: Field, imports: Imports, warnings: list[SpecWarning]
) -> str:
    documented = item.has_default and (
        item.required or not default_fits(item.type, item.default, api)
    )
    annotation = type_expr(item.type, imports, docs=_field_docs(item, documented))
    arguments: list[str] = []
    if item.name != item.wire_name:
        arguments.append(f"name={literal(item.wire_name)}")
    default: str | None = None
    if item.has_default and not item.required:
        if default_fits(item.type, item.default, api):
            member = _enum_member_for(api, item.type, item.default)
            if member is not None:
                default = member
            elif isinstance(item.default, list | dict):
                arguments.append(f"default_factory=lambda: {literal(item.default)}")
            else:
                default = literal(item.default)
        else:
            warnings.append(
                SpecWarning(
                    item.pointer or model.pointer,
                    f"default {item.default!r} of {model.name}.{item.name} does not fit its "
                    "type: left out (the field is optional without a default)",
                )
            )
    if (
        not item.required
        and default is None
        and not any(a.startswith("default") for a in arguments)
    ):
        imports.add("msgspec", "UNSET")
        imports.add("msgspec", "UnsetType")
        annotation = with_unset(annotation)
        default = "UNSET"
    if arguments:
        imports.add("msgspec")
        if default is not None:
            arguments.insert(0, f"default={default}")
        return f"{item.name}: {annotation} = msgspec.field({', '.join(arguments)})"
    if default is not None:
        return f"{item.name}: {annotation} = {default}"
    return f"{item.name}: {annotation}"


_UNNAMEABLE = re.compile(r'[\\"\x00-\x1f]')


def _representable(model: Model, item: Field, warnings: list[SpecWarning]) -> bool:
    """msgspec cannot name a field with a backslash, a quote or a control character."""
    if _UNNAMEABLE.search(item.wire_name) is None:
        return True
    warnings.append(
        SpecWarning(
            item.pointer or model.pointer,
            f"property {item.wire_name!r} of {model.name} cannot be a field name "
            "(backslash, quote or control character): it is left out of the model",
        )
    )
    return False


def eager_references(model: Model, api: Api) -> set[str]:
    """Models that must be defined before this one (bases, aliases' targets, enum defaults)."""
    names: set[str] = set(model.bases)
    if model.kind in ("alias", "union"):
        targets = [model.target] if model.target is not None else list(model.union_members)
        for target in targets:
            names |= model_refs(target)
    for item in model.fields:
        if item.has_default:
            inner = without_none(item.type)
            if isinstance(inner, ModelRef):
                names.add(inner.name)
    return names


def _ordered(api: Api, warnings: list[SpecWarning]) -> list[Model]:
    by_name = {model.name: model for model in api.models}
    graph = {model.name: eager_references(model, api) & set(by_name) for model in api.models}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        cycle = error.args[1]
        warnings.append(
            SpecWarning(
                by_name[cycle[0]].pointer,
                f"type aliases refer to each other in a cycle ({' -> '.join(cycle)}); "
                "the cycle is typed as Any where it closes",
            )
        )
        graph[cycle[0]] = set()
        return _ordered_with(graph, by_name)
    return [by_name[name] for name in order]


def _ordered_with(graph: dict[str, set[str]], by_name: dict[str, Model]) -> list[Model]:
    while True:
        try:
            return [by_name[name] for name in TopologicalSorter(graph).static_order()]
        except CycleError as error:
            graph[error.args[1][0]] = set()


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
        imports.add("enum")
        base = "enum.IntEnum" if model.enum_type == "int" else "enum.StrEnum"
        lines = [f"{member.name} = {literal(member.value)}" for member in model.enum_members]
        doc, decorators = _class_docs(model, imports)
        decorators = _naming(model, imports) + decorators
        return ModelBlock("enum", model.name, base, doc, lines, decorators=decorators)
    if model.kind == "struct":
        imports.add("msgspec")
        header = [*model.bases] if model.bases else ["msgspec.Struct"]
        header.append("kw_only=True")
        if model.forbid_unknown_fields:
            header.append("forbid_unknown_fields=True")
        if model.extra_fields is not None:  # the instance keeps its extra keys
            header.append("dict=True")
        if model.tag_field is not None and model.tag is not None:
            header += [f"tag_field={literal(model.tag_field)}", f"tag={literal(model.tag)}"]
        lines = [
            _field_line(api, model, item, imports, warnings)
            for item in model.fields
            if _representable(model, item, warnings)
        ]
        if model.extra_fields is not None:
            lines.append(_extra_keys_line(model, model.extra_fields, imports))
        if model.property_bounds is not None:  # minProperties/maxProperties, checked on decode
            imports.add("specloom.runtime.openapi", "properties_between")
            low, high = model.property_bounds
            lines += [""] if lines else []
            lines += [
                f"@properties_between({low!r}, {high!r})",
                "def __post_init__(self) -> None:",
                f'    """{_bounds_text(low, high)}"""',
            ]
        doc, decorators = _class_docs(model, imports)
        decorators = _naming(model, imports) + decorators
        return ModelBlock(
            "struct", model.name, ", ".join(header), doc, lines, decorators=decorators
        )
    imports.add("typing", "TypeAlias")
    if is_untagged_union(model, by_name):
        # mypy sees `A | B`; msgspec a class that decodes member by member
        imports.add("typing", "TYPE_CHECKING")
        imports.add("specloom.runtime.untagged", "UntaggedUnion")
        members = [type_expr(member, imports) for member in model.union_members]
        names = [member.name for member in model.union_members if isinstance(member, ModelRef)]
        lines = [f"members = ({', '.join(literal(name) for name in names)})"]  # two or more
        if not model.exclusive:
            lines.append("exclusive = False  # anyOf: the first member that accepts a value")
        if model.closed:
            lines.append("closed = True  # additionalProperties: false: no key is allowed")
        doc, decorators = _class_docs(model, imports, "        ")
        decorators = _naming(model, imports) + decorators
        return ModelBlock(
            "untagged",
            model.name,
            "UntaggedUnion",
            doc,
            lines,
            " | ".join(members),
            decorators=decorators,
        )
    # an alias or union has no class: its documentation is the `Meta` of its annotation
    docs = docs_arguments(_model_docs(model, with_description=True))
    if model.kind == "union":
        members = [type_expr(member, imports) for member in model.union_members]
        if model.nullable and model.wire_name is not None:  # the component admits null too
            members.append("None")
        marker = "OneOf" if model.exclusive else "AnyOf"
        imports.add("typing", "Annotated")
        imports.add("specloom.runtime.openapi", marker)
        metadata = [marker, *_component(model, imports)]  # named, as in the spec
        if docs:
            imports.add("msgspec", "Meta")
            metadata.append(f"Meta({', '.join(_docs_meta(docs))})")
        expr = f"Annotated[{' | '.join(members)}, {', '.join(metadata)}]"
    else:
        target = model.target
        metadata = _component(model, imports)
        target = target if target is not None else AnyType()
        if model.nullable and metadata and not isinstance(target, NoneType):
            # the component admits null too
            target = documented(union_of([undocumented(target), NoneType()]), target.docs)
        expr = type_expr(target, imports, docs=docs, metadata=metadata)
    undefined = _refs_in_expr(model, api) - defined
    if undefined:  # a cycle among aliases: close it with Any
        expr = type_expr(AnyType(), imports, metadata=_component(model, imports))
    return ModelBlock(model.kind, model.name, "", None, [], expr)


def _number_enum_block(model: Model, imports: Imports) -> ModelBlock:
    """Numbers that are not all ints: mypy sees `float`, msgspec a NumberEnum that checks them."""
    imports.add("typing", "TYPE_CHECKING")
    imports.add("typing", "TypeAlias")
    imports.add("specloom.runtime.untagged", "NumberEnum")
    values = ", ".join(literal(member.value) for member in model.enum_members)
    lines = [f"values = ({values},)" if len(model.enum_members) == 1 else f"values = ({values})"]
    doc, decorators = _class_docs(model, imports, "        ")
    decorators = _naming(model, imports) + decorators
    return ModelBlock(
        "untagged", model.name, "NumberEnum", doc, lines, "float", decorators=decorators
    )


def _naming(model: Model, imports: Imports) -> list[str]:
    """How the document names a class: inline where used when the spec wrote it inline, else
    its component name when that is not the class name."""
    if model.wire_name is None:
        imports.add("specloom.runtime.openapi", "inline_schema")
        return ["@inline_schema"]
    decorators = []
    if model.wire_name != model.name:
        imports.add("specloom.runtime.openapi", "component_name")
        decorators.append(f"@component_name({literal(model.wire_name)})")
    if model.nullable:  # the spec's schema admits null: so does the component
        imports.add("specloom.runtime.openapi", "nullable_component")
        decorators.append("@nullable_component")
    return decorators


def _component(model: Model, imports: Imports) -> list[str]:
    """`component(name)` for an alias of a named component schema (none for an inline one)."""
    if model.wire_name is None:
        return []
    imports.add("specloom.runtime.openapi", "component")
    return [f"component({literal(model.wire_name)})"]


_INVALID_NAME = re.compile(r"[^a-zA-Z0-9.\-_]")  # OpenAPI 3 names: ^[a-zA-Z0-9.\-_]+$


def _served_names(models: Sequence[Model], warnings: list[SpecWarning]) -> tuple[Model, ...]:
    """The models, each component name one OpenAPI 3 allows (Swagger 2.0 allowed any):
    others have `_` for each character it refuses, made unique, with a warning."""
    taken = {m.wire_name for m in models if m.wire_name and not _INVALID_NAME.search(m.wire_name)}
    result = []
    for model in models:
        wire = model.wire_name
        if wire is None or (wire in taken and not _INVALID_NAME.search(wire)):
            result.append(model)
            continue
        served = base = _INVALID_NAME.sub("_", wire) or "_"
        number = 2
        while served in taken:
            served, number = f"{base}_{number}", number + 1
        taken.add(served)
        warnings.append(
            SpecWarning(
                model.pointer,
                f"component name {wire!r} is not one OpenAPI 3 allows (letters, digits, '.', "
                f"'-', '_'): served as {served!r}",
            )
        )
        result.append(msgspec.structs.replace(model, wire_name=served))
    return tuple(result)


def _kept_components(models: Sequence[Model], by_name: dict[str, Model]) -> list[SpecWarning]:
    """Inline schemas the document cannot write where they are used: served as components.

    One that contains itself through inline schemas only would be infinite written out, and
    a discriminator's mapping can only name a component.
    """
    inline = {m.name for m in models if m.wire_name is None}
    edges = {
        m.name: model_refs([m.fields, m.extra_fields, m.union_members, m.target]) & inline
        for m in models
        if m.name in inline
    }
    warnings = []
    for model in models:
        is_class = model.kind in ("struct", "enum") or is_untagged_union(model, by_name)
        if model.name not in inline or not is_class:
            continue
        if _reaches(model.name, edges):
            reason = "it contains itself"
        elif model.tag is not None:
            reason = "a discriminator maps to it"
        else:
            continue
        warnings.append(
            SpecWarning(
                model.pointer,
                f"inline schema served as component {model.name!r}: {reason}, and only a "
                "named schema can be",
            )
        )
    return warnings


def _reaches(start: str, edges: dict[str, set[str]]) -> bool:
    """Whether `start` reaches itself along `edges`."""
    seen: set[str] = set()
    stack = list(edges.get(start, ()))
    while stack:
        name = stack.pop()
        if name == start:
            return True
        if name not in seen:
            seen.add(name)
            stack.extend(edges.get(name, ()))
    return False


def _extra_keys_line(model: Model, value: TypeRef, imports: Imports) -> str:
    """`extra_keys = ExtraKeys[V]()`: typed additionalProperties beside properties.

    The attribute takes the first of `extra_keys`, `extra_keys_`... no field has; a type that
    names models is a string, resolved when first used (the models may come further down)."""
    imports.add("specloom.runtime.extra_keys", "ExtraKeys")
    taken = {item.name for item in model.fields}
    name = "extra_keys"
    while name in taken:
        name += "_"
    expr = type_expr(value, imports)
    argument = literal(expr) if model_refs(value) else expr
    return f"{name} = ExtraKeys[{argument}]()"


def _bounds_text(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"From {low} to {high} properties (minProperties, maxProperties)."
    if low is not None:
        return f"At least {low} properties (minProperties)."
    return f"At most {high} properties (maxProperties)."


def _docs_meta(docs: dict[str, Any]) -> list[str]:
    return [
        f"{name}={literal(list(value) if isinstance(value, tuple) else value)}"
        for name, value in docs.items()
    ]


def _refs_in_expr(model: Model, api: Api) -> set[str]:
    targets = [model.target] if model.target is not None else list(model.union_members)
    return model_refs(targets)


def models_view(api: Api) -> ModelsView:
    """Decide every line of the models module."""
    imports = Imports()
    warnings: list[SpecWarning] = []
    api = msgspec.structs.replace(api, models=_served_names(api.models, warnings))
    blocks: list[ModelBlock] = []
    defined: set[str] = set()
    by_name = {model.name: model for model in api.models}
    for model in _ordered(api, warnings):
        # struct field annotations are lazy (`from __future__ import annotations`): only
        # bases, enum defaults and alias targets must be defined first (the topological order)
        blocks.append(_block(api, model, imports, warnings, defined, by_name))
        defined.add(model.name)
    warnings += _kept_components(api.models, by_name)
    return ModelsView(imports.lines(), blocks, [m.name for m in api.models], warnings)
