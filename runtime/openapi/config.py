"""`OpenAPIConfig`: the document's top-level fields, where it is served and the docs pages."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..exceptions import ImproperlyConfiguredException, require_extension_keys

if TYPE_CHECKING:
    from ..handlers import HTTPRouteHandler

__all__ = ["DocsUI", "OpenAPIConfig", "Redoc", "Scalar", "SwaggerUI"]


CDN = "https://cdn.jsdelivr.net/npm"


@dataclass(frozen=True)
class SwaggerUI:
    """Swagger UI page settings. The asset URLs default (None) to the copy the app serves
    itself under `<path>/assets/`, so the page works offline; `SwaggerUI.cdn()` loads them from
    a CDN instead, and any URL (a local copy of your own) can be given."""

    js_url: str | None = None
    css_url: str | None = None
    favicon_url: str | None = None

    @classmethod
    def cdn(cls) -> SwaggerUI:
        return cls(
            js_url=f"{CDN}/swagger-ui-dist@5/swagger-ui-bundle.js",
            css_url=f"{CDN}/swagger-ui-dist@5/swagger-ui.css",
        )


@dataclass(frozen=True)
class Redoc:
    """Redoc page settings (`js_url` None: the app's own copy; `Redoc.cdn()`: a CDN's)."""

    js_url: str | None = None
    favicon_url: str | None = None

    @classmethod
    def cdn(cls) -> Redoc:
        return cls(js_url=f"{CDN}/redoc@2/bundles/redoc.standalone.js")


@dataclass(frozen=True)
class Scalar:
    """Scalar API reference page settings (`js_url` None: the app's own copy; `Scalar.cdn()`:
    a CDN's)."""

    js_url: str | None = None
    favicon_url: str | None = None

    @classmethod
    def cdn(cls) -> Scalar:
        return cls(js_url=f"{CDN}/@scalar/api-reference")


DocsUI = Literal["swagger", "redoc", "scalar"]


@dataclass(frozen=True)
class OpenAPIConfig:
    """How the app describes itself; `path=None` serves nothing (`App.openapi()` still works).

    Served under `path`: `openapi.json`, `openapi.yaml` (with pyyaml), the `ui` page at `path`
    itself and every page at `path/swagger`, `path/redoc`, `path/scalar`, and the pages' own
    scripts and styles under `path/assets/` (shipped with specloom: no CDN needed).
    `webhooks` maps a webhook name to the handler(s) describing the requests the API sends.
    `component_types`: types documented under components/schemas whether a handler uses them
    or not (classes, and aliases marked `component(name)`).
    `unrouted`: handlers documented under their own path and method that no route serves (a
    spec may give one path twice: `/items/{id}` and `/items/{name}`, `/send#a` and `/send#b`
    are one path to a server, which routes the first; the others are still described).
    `relative_to_servers`: a route served under the path every server URL has (`/api/v3` of
    `https://host/api/v3`) is documented relative to it (`/pet`), since OpenAPI appends a path
    to its server's URL; False documents each route at the path it is served at (a proxy in
    front strips the base path).
    """

    title: str = "specloom API"
    version: str = "1.0.0"
    summary: str | None = None
    description: str | None = None
    terms_of_service: str | None = None
    contact: Mapping[str, Any] | None = None
    license: Mapping[str, Any] | None = None
    servers: Sequence[Mapping[str, Any]] | None = None
    relative_to_servers: bool = True
    tags: Sequence[Mapping[str, Any] | str] | None = None
    security: Sequence[Mapping[str, Sequence[str]]] | None = None
    external_docs: Mapping[str, Any] | None = None
    # 3.1: the default `$schema` of the document's schemas (`jsonSchemaDialect`), as a URI
    json_schema_dialect: str | None = None
    webhooks: Mapping[str, HTTPRouteHandler | Sequence[HTTPRouteHandler]] | None = None
    unrouted: Sequence[HTTPRouteHandler] = ()
    components: Mapping[str, Any] | None = None  # sections (name -> object), and `x-` keys
    component_types: Sequence[Any] = ()
    extensions: Mapping[str, Any] | None = None
    info_extensions: Mapping[str, Any] | None = None  # `x-` keys of the Info object
    # path -> documentation of its Path Item: `summary`, `description` and `x-` keys
    path_docs: Mapping[str, Mapping[str, Any]] | None = None
    openapi_version: str = "3.1.0"
    # document what the runtime does on its own: 400/401/403 answers, a Redirect's Location, a
    # File's validators and 206/304/416, an event stream's no-cache headers (off: only what the
    # handlers declare; what generated servers use, so their document is their spec)
    automatic_responses: bool = True
    # document on each routed operation the statuses the runtime answers on its own (400, 401,
    # 403, 404, 406, 413, 415, 501 from a stub) that it does not document, each marked
    # `x-specloom-runtime: true` and sent as the `SpecloomError` component (runtime_answers.py);
    # generated servers turn it on beside `automatic_responses=False`
    runtime_answers: bool = False
    # a handler without `description` is documented by its docstring (Litestar's option;
    # generated servers turn it off: a stub's docstring is for its reader, not the document)
    use_handler_docstrings: bool = True
    # a folder where the built document is kept between runs of the same code, read back
    # instead of built again while the key of its inputs holds (stored.py; generated servers
    # use their package's `.specloom-cache/`); None builds it in every process
    document_cache: str | os.PathLike[str] | None = None
    path: str | None = "/schema"
    ui: DocsUI = "swagger"
    swagger_ui: SwaggerUI = field(default_factory=SwaggerUI)
    redoc: Redoc = field(default_factory=Redoc)
    scalar: Scalar = field(default_factory=Scalar)

    def webhook_handlers(self) -> list[tuple[str, HTTPRouteHandler]]:
        """(webhook name, handler) of every handler `webhooks` declares, in order."""
        from ..handlers import HTTPRouteHandler

        return [
            (name, handler)
            for name, declared in (self.webhooks or {}).items()
            for handler in ([declared] if isinstance(declared, HTTPRouteHandler) else declared)
        ]

    def __post_init__(self) -> None:
        require_extension_keys(
            [
                *(self.extensions or {}),
                *(self.info_extensions or {}),
                *(
                    key
                    for docs in (self.path_docs or {}).values()
                    for key in docs
                    if key not in ("summary", "description")
                ),
            ]
        )
        if self.ui not in ("swagger", "redoc", "scalar"):
            raise ImproperlyConfiguredException(f"unknown docs ui {self.ui!r}")
