"""The schema routes: `openapi.json`, `openapi.yaml` and the docs pages under the config's path."""

from __future__ import annotations

import dataclasses
import functools
import importlib.resources
import importlib.util
from typing import Any, Protocol

from ..compile import compile_handler
from ..enums import MediaType
from ..handlers import HTTPRouteHandler, get
from ..layers import resolve_layers
from ..path_route import PathRoute
from ..response import Response
from ..router import join_paths
from ..routing import RouteTable, parse_path
from ..types import Scope
from .config import OpenAPIConfig
from .document import DocumentedApp, encoded_document
from .pages import render_page

__all__ = [
    "OPENAPI_JSON",
    "OPENAPI_YAML",
    "SchemaHost",
    "register_schema_routes",
    "schema_handlers",
]

OPENAPI_JSON = "application/vnd.oai.openapi+json"
OPENAPI_YAML = "application/vnd.oai.openapi"


def _document_handler(path: str, kind: str, media_type: str) -> HTTPRouteHandler:
    async def serve_document(scope: Scope) -> Response[bytes]:
        return Response(encoded_document(scope["app"], kind), media_type=media_type)

    return get(path, include_in_schema=False, media_type=media_type)(serve_document)


def _page_handler(path: str, ui: str, spec_path: str, assets_path: str) -> HTTPRouteHandler:
    async def serve_page(scope: Scope) -> str:
        config: OpenAPIConfig = scope["app"].openapi_config
        root = scope.get("root_path", "")
        return render_page(config, ui, root + spec_path, root + assets_path)

    return get(path, include_in_schema=False, media_type=MediaType.HTML)(serve_page)


# the docs pages' scripts and styles, shipped as package data (scripts/update-docs-assets)
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "scalar.standalone.js": "text/javascript; charset=utf-8",
}


@functools.cache
def asset_bytes(name: str) -> bytes:
    """One of the shipped assets, read once."""
    return (importlib.resources.files(__package__) / "assets" / name).read_bytes()


def _asset_handler(path: str, name: str) -> HTTPRouteHandler:
    async def serve_asset() -> Response[bytes]:
        return Response(asset_bytes(name), headers={"cache-control": "public, max-age=86400"})

    return get(path, include_in_schema=False, media_type=ASSETS[name])(serve_asset)


def schema_handlers(config: OpenAPIConfig) -> list[HTTPRouteHandler]:
    """The handlers serving the document and the docs pages (none when `path` is None)."""
    if not config.path:
        return []
    base = join_paths(config.path)
    spec_path = join_paths(base, "openapi.json")
    handlers = [_document_handler(spec_path, "json", OPENAPI_JSON)]
    if importlib.util.find_spec("yaml") is not None:
        handlers.append(_document_handler(join_paths(base, "openapi.yaml"), "yaml", OPENAPI_YAML))
    assets = join_paths(base, "assets")
    handlers.append(_page_handler(base, config.ui, spec_path, assets))
    handlers.extend(_page_handler(join_paths(base, ui), ui, spec_path, assets) for ui in _UIS)
    handlers.extend(_asset_handler(join_paths(assets, name), name) for name in ASSETS)
    return handlers


_UIS = ("swagger", "redoc", "scalar")


class SchemaHost(DocumentedApp, Protocol):
    """The app the schema routes join: its route table, and a layer of their settings."""

    @property
    def route_table(self) -> RouteTable: ...

    @property
    def debug(self) -> bool: ...

    def serving(self, compiled: Any) -> Any:
        """A compiled handler behind the middleware its layers give it."""
        ...


def register_schema_routes(app: SchemaHost) -> None:
    """Route the schema handlers; a path the app already routes keeps the app's own handler.

    They get the app's layered settings (so app guards protect the docs) except its security
    requirement, and stay out of `compiled_handlers` and of the document.
    """
    config = app.openapi_config
    if config is None:
        return
    for handler in schema_handlers(config):
        template = parse_path(handler.paths[0], typed=handler.typed_params)
        created: list[Any] = []

        def new_route(template: Any = template, created: list[Any] = created) -> Any:
            created.append(PathRoute(template))
            return created[-1]

        route = app.route_table.get_or_add(template, new_route)
        if not created:
            continue
        layered = dataclasses.replace(resolve_layers((app, handler)), security=None)
        route.handlers["GET"] = app.serving(compile_handler(handler, template, layered, app.debug))
        route.finalize()
