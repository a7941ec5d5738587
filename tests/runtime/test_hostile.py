"""Hostile requests on the wire (uvicorn on 127.0.0.1, raw sockets): oversized bodies by
Content-Length and chunked, huge headers, invalid UTF-8, deep nesting, request-smuggling shapes
and path traversal on File responses. Never a 500, never a traceback in the server's output."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_server import REPO, free_port

from .hostile_app import LIMIT

_OPTIONS = ("--log-level", "warning", "--host", "127.0.0.1", "--port")
SECRET = "the secret beside the served folder"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    """uvicorn serving hostile_app, its output in a file; stopped by PID."""
    folder = tmp_path_factory.mktemp("hostile")
    served = folder / "served"
    (served / "cat").mkdir(parents=True)
    (served / "cat" / "photo.png").write_bytes(b"\x89PNG cat")
    (served / "readme.txt").write_text("public")
    (folder / "secret.txt").write_text(SECRET)
    (folder / "photo.png").write_text(SECRET)
    log = folder / "server.log"
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "tests.runtime.hostile_app:app",
                *_OPTIONS,
                str(port),
            ],
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(REPO), "HOSTILE_FILES": str(served)},
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, log.read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "uvicorn did not start"
                time.sleep(0.1)
        yield port, log
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
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


def test_a_valid_note_is_taken(server: tuple[int, Path]) -> None:
    port, _ = server
    body = b'{"id": 7.0, "text": "hi"}'
    response = exchange(port, post(body, f"Content-Length: {len(body)}"))
    assert status(response) == 201
    assert response.endswith(b'{"id":7,"text":"hi"}')


def test_a_content_length_beyond_the_limit_is_a_413_before_the_body(
    server: tuple[int, Path],
) -> None:
    port, _ = server
    response = exchange(port, post(b"", f"Content-Length: {10**12}"))
    assert status(response) == 413


def test_a_chunked_body_beyond_the_limit_is_a_413(server: tuple[int, Path]) -> None:
    port, _ = server
    chunk = b'{"id": 1, "text": "' + b"a" * 1000
    chunks = [b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(LIMIT // 1000 + 2)]
    head = post(b"", "Transfer-Encoding: chunked")
    response = exchange(port, head, *chunks, b"0\r\n\r\n")
    assert status(response) == 413


@pytest.mark.parametrize("size", [64 * 1024, 1024 * 1024])
def test_huge_headers_are_refused_without_a_500(server: tuple[int, Path], size: int) -> None:
    port, _ = server
    response = exchange(port, get("/", "X-Big: " + "a" * size))
    assert not response or status(response) in (200, 400, 413, 431)
    many = [f"X-H{i}: v" for i in range(size // 16)]
    response = exchange(port, get("/", *many))
    assert not response or status(response) in (200, 400, 413, 431)


@pytest.mark.parametrize(
    "body",
    [
        b'{"id": 1, "text": "\xff\xfe"}',
        b'{"id": 1, "text": "\xed\xa0\x80"}',
        b'{"id": 1, "text": "\xc3"}',
        b"\xef\xbb\xbf\xff",
    ],
)
def test_invalid_utf8_is_a_400(server: tuple[int, Path], body: bytes) -> None:
    port, _ = server
    response = exchange(port, post(body, f"Content-Length: {len(body)}"))
    assert status(response) == 400


def test_deep_nesting_is_a_400(server: tuple[int, Path]) -> None:
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
    server: tuple[int, Path], headers: tuple[str, ...]
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
    server: tuple[int, Path], path: str
) -> None:
    port, _ = server
    response = exchange(port, get(path))
    assert status(response) in (400, 404)
    assert SECRET.encode() not in response
    assert b"root:" not in response


def test_files_inside_are_served(server: tuple[int, Path]) -> None:
    port, _ = server
    assert exchange(port, get("/files/readme.txt")).endswith(b"public")
    assert exchange(port, get("/photos/cat/photo.png")).endswith(b"\x89PNG cat")
