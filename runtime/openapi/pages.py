"""HTML documentation pages (Swagger UI, Redoc, Scalar) that load the served JSON document."""

from __future__ import annotations

import html
import json

from .config import OpenAPIConfig

__all__ = ["render_page"]


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _script_string(value: str) -> str:
    return json.dumps(value).replace("</", "<\\/")


def _head(title: str, favicon: str | None, extra: str = "") -> str:
    icon = f'<link rel="icon" href="{_attr(favicon)}">' if favicon else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n{icon}{extra}</head>\n"
    )


def render_page(config: OpenAPIConfig, ui: str, spec_url: str, assets_url: str) -> str:
    """The docs page of `ui` (swagger, redoc or scalar) for the document at `spec_url`; the
    scripts and styles the config does not place elsewhere are the app's, under `assets_url`."""
    title = config.title
    if ui == "redoc":
        js = config.redoc.js_url or f"{assets_url}/redoc.standalone.js"
        return (
            _head(title, config.redoc.favicon_url)
            + f'<body>\n<redoc spec-url="{_attr(spec_url)}"></redoc>\n'
            f'<script src="{_attr(js)}"></script>\n</body>\n</html>\n'
        )
    if ui == "scalar":
        js = config.scalar.js_url or f"{assets_url}/scalar.standalone.js"
        return (
            _head(title, config.scalar.favicon_url)
            + f'<body>\n<script id="api-reference" data-url="{_attr(spec_url)}"></script>\n'
            f'<script src="{_attr(js)}"></script>\n</body>\n</html>\n'
        )
    swagger = config.swagger_ui
    js = swagger.js_url or f"{assets_url}/swagger-ui-bundle.js"
    css_url = swagger.css_url or f"{assets_url}/swagger-ui.css"
    css = f'<link rel="stylesheet" href="{_attr(css_url)}">\n'
    return (
        _head(title, swagger.favicon_url, css) + '<body>\n<div id="swagger-ui"></div>\n'
        f'<script src="{_attr(js)}"></script>\n'
        "<script>\nwindow.ui = SwaggerUIBundle("
        f'{{url: {_script_string(spec_url)}, dom_id: "#swagger-ui"}});\n'
        "</script>\n</body>\n</html>\n"
    )
