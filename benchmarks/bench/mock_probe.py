"""One corpus document in mock mode: generate, build the app with SPECLOOM_MOCK=1, serve it on
uvicorn (127.0.0.1), request every operation whose default answer is a JSON 2xx, validate each
body with `jsonschema` (formats asserted) against the operation's response schema in
`app.openapi()`. With `--prism`, Prism's mock server on the same document gets the same
requests and the same validation. Prints one JSON object on stdout.

Run by `benchmarks/mock_validity.py` in a child process with a time limit:
    python benchmarks/bench/mock_probe.py SPEC WORKDIR [--prism PRISM]
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

# run as a script: its folder is on the path (the corpus probe's arguments and import step)
from corpus_probe import import_app, probe_arguments


def _error(exc: BaseException) -> dict[str, Any]:
    return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:1000]}


def _default_key(responses: dict[str, Any]) -> str | None:
    """The response mock mode answers by default: the lowest 2xx, else the 2XX range."""
    exact = sorted(key for key in responses if key.isdigit() and key.startswith("2"))
    if exact:
        return exact[0]
    return next((key for key in responses if key.upper() == "2XX"), None)


def _credentials(
    operation: dict[str, Any], document: dict[str, Any]
) -> tuple[dict[str, str], dict[str, str]]:
    """(headers, query) presenting every scheme of the operation's first requirement."""
    headers: dict[str, str] = {}
    query: dict[str, str] = {}
    requirements = operation.get("security", document.get("security")) or []
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    requirement = next((r for r in requirements if r), {})
    cookies: list[str] = []
    for name in requirement:
        scheme = schemes.get(name) or {}
        kind = scheme.get("type")
        if kind == "apiKey":
            where, key = scheme.get("in"), str(scheme.get("name", "key"))
            if where == "query":
                query[key] = "key"
            elif where == "cookie":
                cookies.append(f"{key}=key")
            else:
                headers[key] = "key"
        elif kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            headers["Authorization"] = "Basic " + base64.b64encode(b"user:pass").decode()
        elif kind in ("http", "oauth2", "openIdConnect"):
            headers["Authorization"] = "Bearer token"
    if cookies:
        headers["cookie"] = "; ".join(cookies)
    return headers, query


def _request_body(operation: dict[str, Any], values: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """(httpx keyword arguments, headers) of a request body made from its documented schema."""
    body = values.resolve(operation.get("requestBody"))
    if not isinstance(body, dict) or not body.get("content"):
        return {}, {}
    media_type, entry = next(iter(body["content"].items()))
    entry = values.resolve(entry) or {}
    value = values.value(entry.get("schema", {}), random.Random(0))
    if "json" in media_type:
        return {"content": json.dumps(value).encode()}, {"content-type": media_type}
    if "x-www-form-urlencoded" in media_type and isinstance(value, dict):
        flat = {k: v if isinstance(v, str) else json.dumps(v) for k, v in value.items()}
        return {"data": flat}, {}
    text = value if isinstance(value, str) else json.dumps(value)
    return {"content": text.encode()}, {"content-type": media_type}


def _simple(value: Any) -> str:
    """A parameter value in the `simple` style (arrays and objects comma separated)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_simple(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{_simple(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def _first_error(validator: Any, body: Any) -> str | None:
    for error in validator.iter_errors(body):
        return f"/{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"[:300]
    return None


class Case:
    """One request and what its answer must be: the default 2xx and its JSON schema."""

    def __init__(self, where: str, method: str, path: str, key: str, validator: Any) -> None:
        self.where, self.method, self.path, self.key = where, method, path, key
        self.validator = validator
        self.query: dict[str, str] = {}
        self.headers: dict[str, str] = {}
        self.body: dict[str, Any] = {}


def cases(api: Any, document: dict[str, Any]) -> tuple[list[Case], Counter[str]]:
    """A request per operation whose default answer is a JSON 2xx (paths as the spec writes
    them, without the servers' base path); the others counted by why they are skipped."""
    import jsonschema

    from specloom.runtime.mock_values import MockValues
    from specloom.runtime.response.base import is_json_media_type

    values = MockValues(document)
    components = document.get("components") or {}
    skipped: Counter[str] = Counter()
    found: list[Case] = []
    for op in api.operations:
        if op.kind != "operation" or not op.routable:
            continue
        operation = (document.get("paths", {}).get(op.path) or {}).get(op.method.lower())
        if not isinstance(operation, dict):
            skipped["not documented"] += 1
            continue
        responses = {str(k): values.resolve(v) for k, v in operation["responses"].items()}
        key = _default_key(responses)
        content = ((responses.get(key) or {}).get("content") or {}) if key else {}
        json_types = [m for m in content if is_json_media_type(m)]
        if key is None or not json_types:
            skipped["no JSON 2xx"] += 1
            continue
        if key in ("204", "205"):  # content documented where HTTP allows none: none is sent
            skipped["JSON documented on a 204 or 205"] += 1
            continue
        entry = values.resolve(content[json_types[0]])
        schema = entry.get("schema", {}) if isinstance(entry, dict) else {}
        root = {**schema, "components": components} if isinstance(schema, dict) else schema
        validator = jsonschema.Draft202012Validator(
            root, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
        path, query, headers = op.path, {}, {}
        for parameter in operation.get("parameters") or ():
            parameter = values.resolve(parameter)
            where = parameter.get("in")
            if where != "path" and not parameter.get("required"):
                continue
            schema = parameter.get("schema")
            if schema is None:  # `content`: its first media type's schema, sent as JSON
                entry = values.resolve(
                    next(iter((parameter.get("content") or {None: {}}).values()))
                )
                schema = (entry or {}).get("schema", {})
            value = values.value(schema, random.Random(0))
            name = str(parameter.get("name"))
            if where == "path":
                path = path.replace("{" + name + "}", quote(_simple(value), safe=""))
            elif where == "query":
                query[name] = (
                    [_simple(v) for v in value] if isinstance(value, list) else _simple(value)
                )
            elif where == "header":
                headers[name] = _simple(value)
            elif where == "cookie":
                headers["cookie"] = f"{name}={_simple(value)}"
        path, _, in_path = path.partition("#")[0].partition("?")
        case = Case(f"{op.method.upper()} {op.path}", op.method.upper(), path, key, validator)
        case.query = {**dict(parse_qsl(in_path, keep_blank_values=True)), **query}
        secret_headers, secret_query = _credentials(operation, document)
        case.body, body_headers = _request_body(operation, values)
        case.headers = {**headers, **secret_headers, **body_headers, "accept": json_types[0]}
        case.query.update(secret_query)
        found.append(case)
    return found, skipped


def measure(client: Any, prefix: str, found: list[Case], mock_header: bool) -> dict[str, Any]:
    """Send every case; count the answers, the valid bodies, the latencies."""
    unanswered: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    invalid_sources: Counter[str] = Counter()
    invalid: list[dict[str, Any]] = []
    latencies: list[float] = []
    answered = valid = 0
    if found:  # one request first, not counted: both servers warmed up alike
        with contextlib.suppress(Exception):
            client.request(
                found[0].method,
                prefix + found[0].path,
                params=found[0].query,
                headers=found[0].headers,
                **found[0].body,
            )
    for case in found:
        started = time.perf_counter()
        try:
            response = client.request(
                case.method,
                prefix + case.path,
                params=case.query,
                headers=case.headers,
                **case.body,
            )
        except Exception as exc:
            unanswered[f"error {type(exc).__name__}"] += 1
            continue
        latencies.append((time.perf_counter() - started) * 1000)
        if str(response.status_code) != case.key and case.key.upper() != "2XX":
            unanswered[f"status {response.status_code}"] += 1
            continue
        source = response.headers.get("x-specloom-mock", "") if mock_header else "?"
        if not source:
            unanswered["no mock answer"] += 1
            continue
        answered += 1
        kind = "example" if source.startswith("example") else source
        sources[kind] += 1
        try:
            error = _first_error(case.validator, response.json())
        except Exception as exc:
            error = f"not validated: {type(exc).__name__}: {exc}"[:300]
        if error is None:
            valid += 1
        else:
            invalid_sources[kind] += 1
            invalid.append({"operation": case.where, "source": source, "error": error})
    return {
        "ok": True,
        "json_2xx": len(found),
        "answered": answered,
        "valid": valid,
        "sources": dict(sources),
        "invalid_sources": dict(invalid_sources),
        "invalid": invalid[:10],
        "unanswered": dict(unanswered),
        "latencies_ms": [round(x, 3) for x in latencies],
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for(port: int, seconds: float, process: Any = None) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False  # it exited: it will not listen
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


def serve_specloom(app: Any, found: list[Case], base_path: str) -> dict[str, Any]:
    """The app on uvicorn (a thread of this process) on 127.0.0.1, asked over HTTP."""
    import httpx
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        if not _wait_for(port, 30):
            return {"ok": False, "error": "the server did not start"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            return measure(client, base_path, found, mock_header=True)
    finally:
        server.should_exit = True
        thread.join(10)


def serve_prism(prism: str, spec: Path, found: list[Case]) -> dict[str, Any]:
    """Prism's mock server on the same document, asked the same requests."""
    import httpx

    port = _free_port()
    command = [prism, "mock", str(spec), "-h", "127.0.0.1", "-p", str(port)]
    with subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as process:
        try:
            if not _wait_for(port, 60, process):
                os.killpg(process.pid, signal.SIGKILL)
                error = (process.communicate()[1] or b"").decode(errors="replace")[-300:]
                return {"ok": False, "error": f"prism did not start: {error}"}
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                return measure(client, "", found, mock_header=False)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()


def _allow_every_credential(package: Path) -> None:
    security = package / "security.py"
    if security.is_file():
        security.write_text(security.read_text().replace("return False", "return True"))


def run(
    spec: Path, work: Path, prism: str | None = None, spec_root: Path | None = None
) -> dict[str, Any]:
    from specloom.generator.errors import SpecError
    from specloom.generator.generate import GenerateError, generate

    package = "mock_pkg"
    result: dict[str, Any] = {}
    try:
        generated = generate(spec, work / package, spec_root=spec_root)
    except (SpecError, GenerateError) as exc:
        return {"generate": {"ok": False, "refused": True, "error": str(exc)[:500]}}
    except Exception as exc:
        return {"generate": _error(exc)}
    result["generate"] = {"ok": True}
    _allow_every_credential(work / package)
    os.environ["SPECLOOM_MOCK"] = "1"
    app, result["import"] = import_app(work, package)
    if app is None:
        return result
    result["import"]["mock"] = bool(getattr(app, "mock", False))
    try:
        found, skipped = cases(generated.api, app.openapi())
    except Exception as exc:
        result["mock"] = {**_error(exc), "traceback": traceback.format_exc()[-2000:]}
        return result
    result["skipped"] = dict(skipped)
    try:
        result["mock"] = serve_specloom(app, found, generated.api.base_path)
    except Exception as exc:
        result["mock"] = {**_error(exc), "traceback": traceback.format_exc()[-2000:]}
    if prism is not None:
        try:
            result["prism"] = serve_prism(prism, spec, found)
        except Exception as exc:
            result["prism"] = _error(exc)
    return result


def main() -> int:
    parser = probe_arguments(__doc__)
    parser.add_argument("--prism", help="Prism's executable: measure it on the same requests")
    args = parser.parse_args()
    print(json.dumps(run(args.spec, args.work, args.prism, args.spec_root)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
