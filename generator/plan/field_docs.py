"""A struct field's documentation keywords, said beside its class (`@schema_docs(fields=...)`)
rather than in its `Meta`: each distinct `Meta` makes a distinct `Annotated` type, most of
the import of a large models module. The runtime puts them back into the field's schema
(`runtime/openapi/model_docs.py`, whose `FIELD_DOC_KEYWORDS` these are)."""

from __future__ import annotations

from typing import Any

import msgspec

from ..ir import TypeRef
from ..render.pyexpr import literal
from .views import Arg, DictOf

__all__ = ["FIELD_DOC_KEYWORDS", "FieldDocs", "fields_argument", "said_beside"]

FIELD_DOC_KEYWORDS = ("title", "description", "examples")
FieldDocs = dict[str, dict[str, Any]]  # field name -> its documentation keywords


def said_beside(docs: dict[str, Any], type_: TypeRef) -> tuple[TypeRef, dict[str, Any]]:
    """(the field's type, its documentation keywords) with those keywords taken out of `docs`
    (its `Meta` arguments) and out of the type's own docs: in one `Meta` the field's would
    replace them."""
    moved = {key: docs.pop(key) for key in FIELD_DOC_KEYWORDS if key in docs}
    if not moved:
        return type_, {}
    plain = {
        key: list(value) if isinstance(value, tuple) else value for key, value in moved.items()
    }
    return _docs_cleared(type_, moved), plain


def _docs_cleared(type_: TypeRef, keys: dict[str, Any]) -> TypeRef:
    own = type_.own_docs()
    if own is None:
        return type_
    blank = {"title": None, "description": None, "examples": ()}
    cleared = msgspec.structs.replace(own, **{key: blank[key] for key in keys})
    return msgspec.structs.replace(type_, docs=cleared)


def fields_argument(field_docs: FieldDocs) -> Arg:
    """`fields={name: {keyword: value}}` of `@schema_docs`, in field order."""
    return Arg("fields", DictOf(tuple((literal(n), literal(d)) for n, d in field_docs.items())))
