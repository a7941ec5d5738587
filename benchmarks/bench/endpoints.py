"""The benchmarked endpoints and their correctness probes."""

from __future__ import annotations

import gzip
import http.client
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from apps.data import (
    BIG_MODELS,
    HANDLER_HEADERS,
    HELLO,
    ITEMS,
    LAYER_COOKIE,
    LAYER_HEADERS,
    MODEL_FRAMEWORKS,
    MW_ORIGIN,
    RESPONSE_COOKIE,
    SSE_DATA,
    model_body,
)

from bench.msgpack import unpackb
from bench.sse_client import parse_events

ECHO_BODY = {"name": "widget", "price": 9.5, "tags": ["a", "b"]}
MSGPACK = "application/x-msgpack"
EVENT_STREAM = "text/event-stream"
SSE_CHECK_EVENTS = 3
# How each content type's body is decoded before it is compared with ``Probe.body``.
DECODERS: dict[str, Callable[[bytes], object]] = {
    "text/plain": bytes.decode,
    "application/json": json.loads,
    MSGPACK: unpackb,
    EVENT_STREAM: parse_events,
}


@dataclass(frozen=True)
class Probe:
    """One request and what a correct server answers; ``body=None`` skips the body check."""

    method: str
    path: str
    status: tuple[int, ...]
    content_type: str = "application/json"
    body: object = None
    payload: object = None
    headers: tuple[tuple[str, str], ...] = ()  # must be present, with these values
    cookies: tuple[str, ...] = ()  # Set-Cookie values must start with these "key=value"
    request_headers: tuple[tuple[str, str], ...] = ()  # sent with the request


@dataclass(frozen=True)
class Endpoint:
    key: str
    app: str  # attribute of the app module: "app" or "app_big"
    load: Probe  # the request wrk sends
    extra: tuple[Probe, ...] = field(default=())
    script: str | None = None  # wrk Lua script, relative to benchmarks/
    kind: Literal["wrk", "sse"] = "wrk"  # sse: measured in events/s by bench/sse_client.py
    frameworks: tuple[str, ...] | None = None  # None: every framework serves it


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("plaintext", "app", Probe("GET", "/plaintext", (200,), "text/plain", HELLO)),
    Endpoint("json", "app", Probe("GET", "/json", (200,), body={"message": HELLO})),
    Endpoint(
        "items",
        "app",
        Probe("GET", "/items/42?q=x", (200,), body={"item_id": 42, "q": "x"}),
        extra=(Probe("GET", "/items/42", (200,), body={"item_id": 42, "q": None}),),
    ),
    Endpoint("list", "app", Probe("GET", "/list", (200,), body=ITEMS)),
    Endpoint(
        "echo",
        "app",
        Probe("POST", "/echo", (201,), body=ECHO_BODY, payload=ECHO_BODY),
        extra=(
            Probe("POST", "/echo", (400, 422), payload={**ECHO_BODY, "price": -1}),
            Probe("POST", "/echo", (400, 422), payload={"name": "widget"}),
        ),
        script="echo.lua",
    ),
    Endpoint(
        "response_headers",
        "app",
        Probe(
            "GET",
            "/response-headers",
            (200,),
            body={"message": HELLO},
            headers=tuple({**LAYER_HEADERS, **HANDLER_HEADERS}.items()),
            cookies=tuple(f"{c.key}={c.value}" for c in (LAYER_COOKIE, RESPONSE_COOKIE)),
        ),
    ),
    Endpoint("msgpack_list", "app", Probe("GET", "/msgpack-list", (200,), MSGPACK, ITEMS)),
    Endpoint(
        "sse",
        "app",
        Probe(
            "GET",
            f"/sse?n={SSE_CHECK_EVENTS}",
            (200,),
            EVENT_STREAM,
            [{"id": str(i), "data": SSE_DATA} for i in range(SSE_CHECK_EVENTS)],
            headers=(("cache-control", "no-cache"),),
        ),
        kind="sse",
    ),
    Endpoint(
        "cors_gzip",
        "app_mw",
        Probe(
            "GET",
            "/list",
            (200,),
            body=ITEMS,
            headers=(("access-control-allow-origin", MW_ORIGIN), ("content-encoding", "gzip")),
            request_headers=(("Origin", MW_ORIGIN), ("Accept-Encoding", "gzip")),
        ),
        script="cors_gzip.lua",
        frameworks=("litestar", "specloom"),
    ),
    Endpoint("big_route", "app_big", Probe("GET", "/r999/items/7", (200,), body={"item_id": 7})),
    Endpoint("big_plaintext", "app_big", Probe("GET", "/plaintext", (200,), "text/plain", HELLO)),
    Endpoint(
        "models_plaintext",
        "app_models",
        Probe("GET", "/plaintext", (200,), "text/plain", HELLO),
        frameworks=MODEL_FRAMEWORKS,
    ),
    Endpoint(
        "models_route",
        "app_models",
        Probe("GET", f"/m{BIG_MODELS - 1}/7", (200,), body=model_body(BIG_MODELS - 1, 7)),
        frameworks=MODEL_FRAMEWORKS,
    ),
)


def check(port: int, endpoint: Endpoint) -> str | None:
    """Send every probe of ``endpoint``; return a description of the first wrong answer."""
    for probe in (endpoint.load, *endpoint.extra):
        problem = _probe(port, probe)
        if problem:
            return f"{probe.method} {probe.path}: {problem}"
    return None


def _probe(port: int, probe: Probe) -> str | None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        payload = None if probe.payload is None else json.dumps(probe.payload).encode()
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        headers.update(probe.request_headers)
        conn.request(probe.method, probe.path, body=payload, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
        if resp.getheader("content-encoding") == "gzip":
            raw = gzip.decompress(raw)
        ctype = resp.getheader("content-type", "")
    except OSError as exc:
        return f"request failed: {exc!r}"
    finally:
        conn.close()
    got = f"got {resp.status} {ctype!r} {raw[:300]!r}"
    if resp.status not in probe.status:
        return f"expected status {'/'.join(map(str, probe.status))}; {got}"
    if not ctype.startswith(probe.content_type):
        return f"expected content-type {probe.content_type}; {got}"
    for name, value in probe.headers:
        if resp.getheader(name) != value:
            return f"expected header {name}: {value}; got {resp.getheaders()}"
    cookies = resp.headers.get_all("set-cookie") or []
    for cookie in probe.cookies:
        if not any(c == cookie or c.startswith(f"{cookie};") for c in cookies):
            return f"expected Set-Cookie {cookie}; got {cookies}"
    if probe.body is None:
        return None
    try:
        body = DECODERS[probe.content_type](raw)
    except ValueError:
        return f"undecodable body; {got}"
    return None if body == probe.body else f"expected body {json.dumps(probe.body)[:200]}; {got}"
