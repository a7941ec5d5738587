"""OpenAPI 3.1: the document an app serves, derived from its typed handlers.

Unions are documented as declared: `anyOf` by default (msgspec takes the first member that
matches), `oneOf` when marked `Annotated[A | B, OneOf]`. A handler's top-level return union is
`oneOf` (it returns exactly one of them) unless marked `Annotated[A | B, AnyOf]`. Tagged
Struct unions keep their `discriminator` under either keyword. `component("Name")` in the
`Annotated` metadata of an alias makes its schema a named component, referred to by `$ref`;
`@component_name("pet")` names a class's component, `@all_of(Base)` writes it as the allOf
of other classes' components and its own part, `@inline_schema` writes a class's schema
where it is used, `@nullable_component` lets its component admit null, `@unnamed_properties`
documents properties whose names no field can hold, `in_all_of(...)` writes a use
of a type as the `allOf` a spec wrote around it (annotations beside or in members of their
own), and `OpenAPIConfig(component_types=[...])` documents types no handler uses. A schema whose
`extra_json_schema` holds `NULL_BY_EXTENSION` says its null by an extension alone (Swagger
2.0's `x-nullable: true`): `str | None` is documented `type: string` beside the extension.
"""

from .config import DocsUI, OpenAPIConfig, Redoc, Scalar, SwaggerUI
from .document import build_document
from .schema import (
    AnyOf,
    OneOf,
    SchemaRegistry,
    all_of,
    component,
    component_name,
    inline_schema,
    nullable_component,
    properties_between,
    schema_docs,
)
from .spec import ContentSpec, ResponseSpec
from .tidy import NULL_BY_EXTENSION
from .unnamed import unnamed_properties
from .wrapped import in_all_of

__all__ = [
    "NULL_BY_EXTENSION",
    "AnyOf",
    "ContentSpec",
    "DocsUI",
    "OneOf",
    "OpenAPIConfig",
    "Redoc",
    "ResponseSpec",
    "Scalar",
    "SchemaRegistry",
    "SwaggerUI",
    "all_of",
    "build_document",
    "component",
    "component_name",
    "in_all_of",
    "inline_schema",
    "nullable_component",
    "properties_between",
    "schema_docs",
    "unnamed_properties",
]
