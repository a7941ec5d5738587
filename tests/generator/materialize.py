"""Test helper: turn an IR into real msgspec types, to prove every type is decodable."""

from __future__ import annotations

import enum
import sys
import types
import typing
from typing import Any

import msgspec

from specloom.generator.ir import Api, TypeRef, UnionType
from specloom.generator.pysource import Imports
from specloom.generator.unions import is_untagged_union
from specloom.runtime.formats import number_format
from specloom.runtime.untagged import Nothing, NumberEnum, UntaggedUnion, decode_untagged


def type_expr(type_: TypeRef) -> str:
    """A Python expression for `type_`: the annotation its kind writes (models by name)."""
    return type_.annotation(Imports())


def materialize(api: Api) -> dict[str, Any]:
    """A namespace with a msgspec Struct / Enum / alias for each model of `api`."""
    import datetime
    import decimal
    import uuid

    name = f"_specloom_materialized_{id(api)}"
    module = types.ModuleType(name)
    sys.modules[name] = module
    ns = module.__dict__
    ns.update(
        Annotated=typing.Annotated,
        Any=typing.Any,
        Literal=typing.Literal,
        Union=typing.Union,
        Meta=msgspec.Meta,
        Nothing=Nothing,
        number_format=number_format,
        datetime=datetime,
        decimal=decimal,
        uuid=uuid,
    )
    by_name = {model.name: model for model in api.models}
    for model in api.models:
        if model.kind == "enum" and model.enum_type == "float":  # as generated: checked by a hook
            values = tuple(m.value for m in model.enum_members)
            ns[model.name] = type(model.name, (NumberEnum,), {"values": values})
        elif model.kind == "enum":
            base = enum.IntEnum if model.enum_type == "int" else enum.Enum
            members = [(m.name, m.value) for m in model.enum_members]
            ns[model.name] = base(model.name, members)  # type: ignore[misc]
        elif model.kind == "struct":
            fields = [
                (
                    (f.name, type_expr(f.type), msgspec.field(default=None))
                    if not f.required
                    else (f.name, type_expr(f.type))
                )
                for f in model.fields
            ]
            ns[model.name] = msgspec.defstruct(
                model.name,
                fields,
                bases=tuple(ns[b] for b in model.bases) or None,
                module=name,
                kw_only=True,
                rename={f.name: f.wire_name for f in model.fields},
                tag_field=model.tag_field,
                tag=model.tag,
                forbid_unknown_fields=model.forbid_unknown_fields,
            )
        elif model.kind == "alias":
            assert model.target is not None
            ns[model.name] = eval(type_expr(model.target), ns)
        elif is_untagged_union(model, by_name):  # as generated: decoded member by member
            members = tuple(type_expr(m) for m in model.union_members)  # names, looked up late
            body = {"members": members, "closed": model.closed, "__module__": name}
            ns[model.name] = type(model.name, (UntaggedUnion,), body)
        else:
            ns[model.name] = eval(type_expr(UnionType(model.union_members)), ns)
    return ns


def decoder_for(type_: TypeRef, ns: dict[str, Any]) -> msgspec.json.Decoder[Any]:
    """A msgspec JSON decoder of `type_` (raises if msgspec cannot express it)."""
    return msgspec.json.Decoder(eval(type_expr(type_), ns), dec_hook=decode_untagged)


def check_decodable(api: Api) -> None:
    """Every model and every operation type of `api` makes a msgspec decoder."""
    ns = materialize(api)
    for model in api.models:
        msgspec.json.Decoder(ns[model.name], dec_hook=decode_untagged)
    for op in api.operations + api.webhooks:
        for param in op.parameters:
            decoder_for(param.type, ns)
        if op.body is not None:
            for content in op.body.content:
                decoder_for(content.type, ns)
        for response in op.responses:
            for content in response.content:
                decoder_for(content.type, ns)
            for header in response.headers:
                decoder_for(header.type, ns)
        decoder_for(op.return_type, ns)
