"""OpenAPI 3.1: the document an app serves, derived from its typed handlers."""

from .config import DocsUI, OpenAPIConfig, Redoc, Scalar, SwaggerUI
from .document import build_document
from .schema import AnyOf, OneOf, SchemaRegistry
from .spec import ResponseSpec

__all__ = [
    "AnyOf",
    "DocsUI",
    "OneOf",
    "OpenAPIConfig",
    "Redoc",
    "ResponseSpec",
    "Scalar",
    "SchemaRegistry",
    "SwaggerUI",
    "build_document",
]
