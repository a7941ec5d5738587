"""Memory under hostile requests: serve tests/runtime/hostile_app.py on uvicorn (127.0.0.1, one
worker, each of its HTTP parsers in turn), send N mixed hostile requests on fresh connections
(deep nesting, oversized bodies by Content-Length and chunked, invalid UTF-8, request-smuggling
shapes, path traversal, huge and too many headers, a stalled body, and valid requests between
them), sample the server's resident memory (VmRSS of its PID, from /proc) every `--every`
requests, and report RSS at start, after the warm-up and at the end, and the slope of a
least-squares line through the samples after the warm-up (KiB per 1,000 requests).

    python3 benchmarks/hostile_memory.py                  # 20,000 requests per parser
    python3 benchmarks/hostile_memory.py --requests 2000 --out /tmp/hostile

Writes `hostile_memory.{json,md}` to `--out` (default benchmarks/results). Needs Linux (/proc)
and the repository's .venv (uvicorn, httptools). The run fails (exit 1) on any 500, any
traceback in the server's output, or a refused request answered otherwise than expected.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PYTHON = REPO / ".venv" / "bin" / "python"
LIMIT = 4096  # tests/runtime/hostile_app.py's request_max_body_size


def _post(body: bytes, *headers: str) -> bytes:
    lines = ["POST /notes HTTP/1.1", "Host: bench", "Connection: close"]
    lines += ["Content-Type: application/json", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _get(path: str, *headers: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: bench", "Connection: close", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _sized(body: bytes) -> bytes:
    return _post(body, f"Content-Length: {len(body)}")


def _chunked_over_limit() -> bytes:
    chunk = b'{"id": 1, "text": "' + b"a" * 1000
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(LIMIT // 1000 + 2))
    return _post(b"", "Transfer-Encoding: chunked") + chunks + b"0\r\n\r\n"


def requests() -> list[tuple[str, bytes, set[int]]]:
    """(kind, raw request, acceptable statuses); 0 stands for a connection closed unanswered."""
    depth = LIMIT // 2 - 20
    smuggled = b"0\r\n\r\nGET /files/readme.txt HTTP/1.1\r\nHost: bench\r\n\r\n"
    refused = {400, 0}
    return [
        ("valid note", _sized(b'{"id": 7.0, "text": "hi"}'), {201}),
        (
            "deep nesting",
            _sized(b'{"id": 1, "extra": ' + b"[" * depth + b"]" * depth + b"}"),
            {400},
        ),
        ("content-length over limit", _post(b"", f"Content-Length: {10**12}"), {413}),
        ("chunked over limit", _chunked_over_limit(), {413}),
        ("invalid utf-8", _sized(b'{"id": 1, "text": "\xff\xfe"}'), {400}),
        ("lone surrogate", _sized(b'{"id": 1, "text": "\xed\xa0\x80"}'), {400}),
        ("CL + TE", _post(smuggled, "Content-Length: 5", "Transfer-Encoding: chunked"), refused),
        ("duplicate CL", _post(smuggled, "Content-Length: 5", "Content-Length: 6"), refused),
        ("traversal", _get("/files/%2e%2e/secret.txt"), {404}),
        ("traversal in a segment", _get("/photos/%2e%2e/photo.png"), {400, 404}),
        ("huge header (64 KiB)", _get("/", "X-Big: " + "a" * 65536), {431, 400, 0}),
        ("2,000 header fields", _get("/", *[f"X-H{i}: v" for i in range(2000)]), {431, 400, 0}),
        ("file inside", _get("/files/readme.txt"), {200}),
    ]


def exchange(port: int, raw: bytes) -> int:
    """Send `raw` on a fresh connection; the status answered (0: closed without an answer)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(raw)  # the server may answer and close before reading all of it
        received = b""
        try:
            while len(received) < 12 and (chunk := sock.recv(65536)):
                received += chunk
        except ConnectionResetError:
            pass
    return int(received[9:12]) if received.startswith(b"HTTP/1.1 ") else 0


def stalled_body(port: int) -> int:
    """A body that stops after its first bytes: answered 408 once the App's deadline passes."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(_post(b'{"id": 1, ', "Content-Length: 100"))
        received = sock.recv(65536)
    return int(received[9:12]) if received.startswith(b"HTTP/1.1 ") else 0


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def slope(points: list[tuple[int, int]]) -> float:
    """Least-squares slope of RSS (KiB) against requests, per 1,000 requests."""
    n = len(points)
    if n < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    cov = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return cov / var * 1000 if var else 0.0


def serve(parser: str, folder: Path, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    served = folder / "served"
    (served / "cat").mkdir(parents=True, exist_ok=True)
    (served / "cat" / "photo.png").write_bytes(b"\x89PNG cat")
    (served / "readme.txt").write_text("public")
    (folder / "secret.txt").write_text("secret")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(PYTHON), "-m", "uvicorn", "tests.runtime.hostile_app:app", "--http", parser]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    env = {**os.environ, "PYTHONPATH": str(REPO), "HOSTILE_FILES": str(served)}
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=REPO, stdout=output, stderr=subprocess.STDOUT, env=env
        )
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(log.read_text(errors="replace"))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, port
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start") from None
            time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


def mixed(total: int) -> Iterator[tuple[int, str, bytes, frozenset[int]]]:
    kinds = requests()
    for i in range(total):
        kind, raw, expected = kinds[i % len(kinds)]
        yield i + 1, kind, raw, frozenset(expected)


def run_parser(parser: str, total: int, every: int, warmup: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder, log = Path(tmp), Path(tmp) / "server.log"
        process, port = serve(parser, folder, log)
        try:
            samples = [(0, rss_kib(process.pid))]
            statuses: Counter[str] = Counter()
            unexpected: Counter[str] = Counter()
            started = time.monotonic()
            cpu = _cpu_seconds(process.pid)
            for done, kind, raw, expected in mixed(total):
                code = exchange(port, raw)
                statuses[f"{kind}: {code}"] += 1
                if code not in expected:
                    unexpected[f"{kind}: {code}"] += 1
                if done % every == 0:
                    if done % (every * 10) == 0:  # a stalled body now and then (1 s each)
                        code = stalled_body(port)
                        statuses[f"stalled body: {code}"] += 1
                        if code != 408:
                            unexpected[f"stalled body: {code}"] += 1
                    samples.append((done, rss_kib(process.pid)))
            elapsed = time.monotonic() - started
            cpu = _cpu_seconds(process.pid) - cpu
        finally:
            stop(process)
        output = log.read_text(errors="replace")
    after_warmup = next(rss for done, rss in samples if done >= warmup)
    steady = [(done, rss) for done, rss in samples if done >= warmup]
    return {
        "parser": parser,
        "requests": total,
        "seconds": round(elapsed, 1),
        "server_cpu_seconds": round(cpu, 2),
        "rss_kib": {
            "start": samples[0][1],
            "after_warmup": after_warmup,
            "end": samples[-1][1],
            "peak": max(rss for _, rss in samples),
        },
        "slope_kib_per_1000_after_warmup": round(slope(steady), 2),
        "samples": samples,
        "statuses": dict(sorted(statuses.items())),
        "unexpected": dict(unexpected),
        "status_500": sum(n for key, n in statuses.items() if key.endswith(": 500")),
        "tracebacks": output.count("Traceback"),
    }


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def markdown(results: list[dict[str, object]], command: str) -> str:
    lines = [
        "# Memory under hostile requests",
        "",
        f"`{command}` on {platform.python_implementation()} {platform.python_version()},",
        "uvicorn serving tests/runtime/hostile_app.py on 127.0.0.1 (one worker), each request on",
        "a fresh connection, RSS (VmRSS of the server's PID) sampled every "
        f"{results[0]['every']} requests.",
        "",
        "| parser | requests | s | server CPU s | RSS start | after warm-up | end | peak "
        "| slope after warm-up | 500s | tracebacks |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        rss = result["rss_kib"]
        assert isinstance(rss, dict)
        lines.append(
            f"| {result['parser']} | {result['requests']:,} | {result['seconds']} "
            f"| {result['server_cpu_seconds']} | {rss['start'] / 1024:.1f} MiB "
            f"| {rss['after_warmup'] / 1024:.1f} MiB | {rss['end'] / 1024:.1f} MiB "
            f"| {rss['peak'] / 1024:.1f} MiB | {result['slope_kib_per_1000_after_warmup']} KiB "
            f"per 1,000 | {result['status_500']} | {result['tracebacks']} |"
        )
    lines += ["", "Answers (kind: status; 0 is a connection closed without an answer):", ""]
    for result in results:
        statuses = result["statuses"]
        assert isinstance(statuses, dict)
        lines.append(
            f"- {result['parser']}: " + ", ".join(f"{k} x{n}" for k, n in statuses.items())
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--every", type=int, default=500, help="requests between RSS samples")
    parser.add_argument("--warmup", type=int, default=2_000)
    parser.add_argument("--http", default="httptools,h11", help="uvicorn parsers, comma-separated")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()
    results = []
    for name in args.http.split(","):
        result = run_parser(name, args.requests, args.every, args.warmup)
        result["every"] = args.every
        results.append(result)
        print(name, json.dumps({k: v for k, v in result.items() if k != "samples"}), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    command = "python3 benchmarks/hostile_memory.py " + " ".join(sys.argv[1:])
    (args.out / "hostile_memory.json").write_text(json.dumps(results, indent=1) + "\n")
    (args.out / "hostile_memory.md").write_text(markdown(results, command.strip()))
    failed = any(r["status_500"] or r["tracebacks"] or r["unexpected"] for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
