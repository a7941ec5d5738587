"""Hostile requests on the wire (uvicorn on 127.0.0.1, raw sockets, both of its HTTP parsers):
oversized bodies by Content-Length and chunked, huge headers, invalid UTF-8, deep nesting,
request-smuggling shapes, path traversal on File responses and slow clients. Never a 500, never a
traceback in the server's output."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from tests.live_server import uvicorn_server

from .hostile_app import BODY_TIMEOUT, HEADER_LIMIT, LIMIT

SECRET = "the secret beside the served folder"


@pytest.fixture(scope="module", params=["h11", "httptools"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[int, str]]:
    """uvicorn serving hostile_app with one HTTP parser (the port and the parser's name); its
    output, checked for tracebacks once it has stopped, in a file."""
    folder = tmp_path_factory.mktemp("hostile")
    served = folder / "served"
    (served / "cat").mkdir(parents=True)
    (served / "cat" / "photo.png").write_bytes(b"\x89PNG cat")
    (served / "readme.txt").write_text("public")
    (folder / "secret.txt").write_text(SECRET)
    (folder / "photo.png").write_text(SECRET)
    log = folder / "server.log"
    with uvicorn_server(
        "tests.runtime.hostile_app:app",
        env={"HOSTILE_FILES": str(served)},
        args=("--http", request.param),
        log=log,
    ) as base:
        yield int(base.rpartition(":")[2]), request.param
    text = log.read_text(errors="replace")
    assert "Traceback" not in text and "Exception" not in text, text


def exchange(port: int, *parts: bytes, pause: float = 0.0) -> bytes:
    """Send `parts` on one connection (pausing between them) and read until it is closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        for part in parts:
            try:
                sock.sendall(part)
            except (BrokenPipeError, ConnectionResetError):
                break  # the server answered and closed before reading all of it
            time.sleep(pause)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except (ConnectionResetError, TimeoutError):
            pass
    return received


def status(response: bytes) -> int:
    assert response.startswith(b"HTTP/1.1 "), response[:200]
    return int(response[9:12])


def post(body: bytes, *headers: str) -> bytes:
    lines = [
        "POST /notes HTTP/1.1",
        "Host: test",
        "Connection: close",
        "Content-Type: application/json",
        *headers,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def get(path: str, *headers: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: test", "Connection: close", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_a_valid_note_is_taken(server: tuple[int, str]) -> None:
    port, _ = server
    body = b'{"id": 7.0, "text": "hi"}'
    response = exchange(port, post(body, f"Content-Length: {len(body)}"))
    assert status(response) == 201
    assert response.endswith(b'{"id":7,"text":"hi"}')


def test_a_content_length_beyond_the_limit_is_a_413_before_the_body(
    server: tuple[int, str],
) -> None:
    port, _ = server
    response = exchange(port, post(b"", f"Content-Length: {10**12}"))
    assert status(response) == 413


def test_a_chunked_body_beyond_the_limit_is_a_413(server: tuple[int, str]) -> None:
    port, _ = server
    chunk = b'{"id": 1, "text": "' + b"a" * 1000
    chunks = [b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(LIMIT // 1000 + 2)]
    head = post(b"", "Transfer-Encoding: chunked")
    response = exchange(port, head, *chunks, b"0\r\n\r\n")
    assert status(response) == 413


def error_body(response: bytes) -> dict[str, object]:
    """The runtime's JSON error body of `response`."""
    head, _, body = response.partition(b"\r\n\r\n")
    assert b"content-type: application/json" in head.lower(), head
    decoded: dict[str, object] = json.loads(body)
    return decoded


@pytest.mark.parametrize(
    "headers",
    [
        [f"X-H{i}: v" for i in range(101)],  # beyond 100 fields
        ["X-Big: " + "a" * (HEADER_LIMIT + 1)],  # beyond the App's bytes, within h11's
        [f"X-H{i}: " + "a" * 200 for i in range(50)],
    ],
    ids=["count", "one-field", "fields"],
)
def test_header_fields_beyond_the_limits_are_a_431_with_a_json_body(
    server: tuple[int, str], headers: list[str]
) -> None:
    port, _ = server
    response = exchange(port, get("/", *headers))
    assert status(response) == 431
    assert error_body(response)["status_code"] == 431
    assert b"connection: close" in response.lower()


@pytest.mark.parametrize("size", [64 * 1024, 1024 * 1024, 16 * 1024 * 1024])
def test_huge_headers_are_refused_without_a_500(server: tuple[int, str], size: int) -> None:
    """httptools hands any head to the app (431 from the App); h11 refuses a head beyond its
    16 KiB itself, with a plain-text 400, or resets the connection."""
    port, parser = server
    expected = (431,) if parser == "httptools" else (400, 431)
    for headers in (["X-Big: " + "a" * size], [f"X-H{i}: v" for i in range(size // 16)]):
        response = exchange(port, get("/", *headers))
        assert (not response and parser == "h11") or status(response) in expected


@pytest.mark.parametrize(
    "body",
    [
        b'{"id": 1, "text": "\xff\xfe"}',
        b'{"id": 1, "text": "\xed\xa0\x80"}',
        b'{"id": 1, "text": "\xc3"}',
        b"\xef\xbb\xbf\xff",
    ],
)
def test_invalid_utf8_is_a_400(server: tuple[int, str], body: bytes) -> None:
    port, _ = server
    response = exchange(port, post(body, f"Content-Length: {len(body)}"))
    assert status(response) == 400


def test_deep_nesting_is_a_400(server: tuple[int, str]) -> None:
    port, _ = server
    depth = LIMIT // 2 - 20
    body = b'{"id": 1, "extra": ' + b"[" * depth + b"]" * depth + b"}"
    response = exchange(port, post(body, f"Content-Length: {len(body)}"))
    assert status(response) == 400
    assert b"nested too deeply" in response


@pytest.mark.parametrize(
    "headers",
    [
        ("Content-Length: 5", "Transfer-Encoding: chunked"),
        ("Content-Length: 5", "Content-Length: 6"),
        ("Transfer-Encoding: chunked, identity",),
        ("Transfer-Encoding: xchunked",),
        ("Content-Length: -1",),
        ("Content-Length: 1_0",),
        ("Content-Length: 0x10",),
    ],
)
def test_request_smuggling_shapes_get_no_second_request(
    server: tuple[int, str], headers: tuple[str, ...]
) -> None:
    port, _ = server
    smuggled = b"0\r\n\r\nGET /files/readme.txt HTTP/1.1\r\nHost: test\r\n\r\n"
    response = exchange(port, post(smuggled, *headers))
    assert status(response) != 500
    assert b"public" not in response  # the smuggled request was never answered


@pytest.mark.parametrize(
    "path",
    [
        "/files/../secret.txt",
        "/files/%2e%2e/secret.txt",
        "/files/..%2fsecret.txt",
        "/files/cat/../../secret.txt",
        "/files/./../secret.txt",
        "/files/%2e%2e%2f%2e%2e%2fetc%2fhostname",
        "/files//etc/hostname",
        "/files/..",
        "/files/cat/..%00/secret.txt",
        "/photos/../photo.png",
        "/photos/%2e%2e/photo.png",
        "/files/" + "a" * 5000,
        "/files/cat%00",
    ],
)
def test_path_traversal_on_file_responses_serves_nothing_outside(
    server: tuple[int, str], path: str
) -> None:
    port, _ = server
    response = exchange(port, get(path))
    assert status(response) in (400, 404)
    assert SECRET.encode() not in response
    assert b"root:" not in response


def test_files_inside_are_served(server: tuple[int, str]) -> None:
    port, _ = server
    assert exchange(port, get("/files/readme.txt")).endswith(b"public")
    assert exchange(port, get("/photos/cat/photo.png")).endswith(b"\x89PNG cat")


def test_a_body_trickled_in_is_a_408_once_the_deadline_passes(server: tuple[int, str]) -> None:
    port, _ = server
    head = post(b"", "Content-Length: 200")
    started = time.monotonic()
    response = exchange(port, head, *[b" "] * 40, pause=0.1)  # 1 byte each 0.1 s: 4 s
    assert status(response) == 408
    assert error_body(response)["status_code"] == 408
    assert time.monotonic() - started < BODY_TIMEOUT + 3.5  # closed, not waited out


def test_a_body_that_stops_is_a_408_and_the_connection_closed(server: tuple[int, str]) -> None:
    port, _ = server
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(post(b'{"id": 1, ', "Content-Length: 100"))
        started = time.monotonic()
        received = b""
        while chunk := sock.recv(65536):  # until the server closes the connection
            received += chunk
        waited = time.monotonic() - started
    assert status(received) == 408
    assert BODY_TIMEOUT - 0.2 < waited < BODY_TIMEOUT + 3


def test_slow_headers_hold_a_connection_not_the_server(server: tuple[int, str]) -> None:
    """uvicorn sets no deadline on a request's head (see docs/ARCHITECTURE.md): a client that
    trickles headers keeps its connection, and only that; the others are served meanwhile."""
    port, _ = server
    slow = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(50)]
    try:
        for sock in slow:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: test\r\nX-Slow: ")
        for _ in range(3):
            for sock in slow:
                sock.sendall(b"a")
            started = time.monotonic()
            assert exchange(port, get("/")).endswith(b"ok")
            assert time.monotonic() - started < 2
    finally:
        for sock in slow:
            sock.close()
