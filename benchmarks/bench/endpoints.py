"""The benchmarked endpoints and their correctness probes."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field

from apps.data import HELLO, ITEMS

ECHO_BODY = {"name": "widget", "price": 9.5, "tags": ["a", "b"]}


@dataclass(frozen=True)
class Probe:
    """One request and what a correct server answers; ``body=None`` skips the body check."""

    method: str
    path: str
    status: tuple[int, ...]
    content_type: str = "application/json"
    body: object = None
    payload: object = None


@dataclass(frozen=True)
class Endpoint:
    key: str
    app: str  # attribute of the app module: "app" or "app_big"
    load: Probe  # the request wrk sends
    extra: tuple[Probe, ...] = field(default=())
    script: str | None = None  # wrk Lua script, relative to benchmarks/


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
    Endpoint("big_route", "app_big", Probe("GET", "/r999/items/7", (200,), body={"item_id": 7})),
    Endpoint("big_plaintext", "app_big", Probe("GET", "/plaintext", (200,), "text/plain", HELLO)),
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
        conn.request(probe.method, probe.path, body=payload, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
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
    if probe.body is None:
        return None
    try:
        body = raw.decode() if probe.content_type == "text/plain" else json.loads(raw)
    except ValueError:
        return f"undecodable body; {got}"
    return None if body == probe.body else f"expected body {json.dumps(probe.body)[:200]}; {got}"
