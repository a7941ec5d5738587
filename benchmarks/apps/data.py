"""Data and constants shared by every benchmark app (stdlib only; run.py imports it too)."""

from __future__ import annotations

from typing import NamedTuple

HELLO = "Hello, World!"
BIG_ROUTES = 1000
BIG_MODELS = 1000  # app_models: /plaintext and one route per model, GET /m{i}/{item_id}

# app_mw (Litestar and specloom only): GET /list behind CORS and gzip, configured alike, asked
# from an allowed origin by a client that accepts gzip.
MW_ORIGIN = "https://app.example.com"
MW_MIN_SIZE = 500  # bytes; the /list body is about 6 KB, so it is compressed
MW_GZIP_LEVEL = 9  # Litestar's default

# The payload of GET /list: 100 small objects, as plain dicts; each app builds its own typed copy.
ITEMS: list[dict[str, object]] = [
    {"id": i, "name": f"item-{i}", "price": round(1.5 + i * 0.25, 2), "tags": ["a", "b"]}
    for i in range(100)
]

# GET /response-headers: two headers and a cookie on an outer layer (router, or a FastAPI router
# dependency), two headers on the handler and a cookie on the returned response.
LAYER_HEADERS = {"x-layer-a": "layer-a", "x-layer-b": "layer-b"}
HANDLER_HEADERS = {"x-handler-a": "handler-a", "x-handler-b": "handler-b"}


class CookieSpec(NamedTuple):
    key: str
    value: str


LAYER_COOKIE = CookieSpec("layer", "from-layer")
RESPONSE_COOKIE = CookieSpec("handler", "from-response")

# GET /sse?n=N: N events `id: <i>` / `data: Hello, World!`, i = 0 .. N-1.
SSE_DATA = HELLO


# app_models (frameworks that take model classes): GET /m{i}/{item_id} answers model i
MODEL_FRAMEWORKS = ("litestar", "specloom")


def model_body(i: int, item_id: int) -> dict[str, object]:
    """What `GET /m{i}/{item_id}` of app_models answers (apps/models.py builds the classes)."""
    body: dict[str, object] = {"id": item_id, "name": f"m{i}", "score": 0.5, "tags": ["a"]}
    if i:
        body["parent"] = None
    return body
