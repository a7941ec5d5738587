"""File: headers, media type choice, content-disposition, 404, conditional requests, ranges."""

from __future__ import annotations

import os
from email.utils import formatdate
from pathlib import Path
from typing import Any

import pytest

from specloom.runtime import App, get
from specloom.runtime.background_tasks import BackgroundTask
from specloom.runtime.datastructures import Cookie, ETag
from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.response import File
from specloom.runtime.response.file import content_disposition
from specloom.runtime.testing import TestClient

CONTENT = bytes(range(256)) * 40  # 10240 bytes


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.bin"
    path.write_bytes(CONTENT)
    os.utime(path, (1_700_000_000, 1_700_000_000))
    return path


def serve(*handlers: Any, **app_kwargs: Any) -> TestClient:
    return TestClient(App(list(handlers), **app_kwargs))


def file_handler(path: Path, **kwargs: Any) -> Any:
    @get("/file")
    def handler() -> File:
        return File(path, **kwargs)

    return handler


def weak_etag(path: Path) -> str:
    result = path.stat()
    return f'W/"{result.st_mtime_ns:x}-{result.st_size:x}"'


def test_page_examples(tmp_path: Path) -> None:
    report = Path(tmp_path, "report").with_suffix(".pdf")
    report.write_bytes(b"%PDF-1.4 not really")

    @get(path="/file-download")
    def handle_file_download() -> File:
        return File(
            path=Path(tmp_path, "report").with_suffix(".pdf"),
            filename="report.pdf",
        )

    @get(path="/file-download-pdf", media_type="application/pdf")
    def handle_file_download_pdf() -> File:
        return File(
            path=Path(tmp_path, "report").with_suffix(".pdf"),
            filename="report.pdf",
        )

    with serve(handle_file_download, handle_file_download_pdf) as client:
        for url in ("/file-download", "/file-download-pdf"):
            response = client.get(url)
            assert response.status_code == 200
            assert response.content == b"%PDF-1.4 not really"
            assert response.headers["content-type"] == "application/pdf"
            assert response.headers["content-disposition"] == 'attachment; filename="report.pdf"'


def test_full_response_headers(data_file: Path) -> None:
    with serve(file_handler(data_file)) as client:
        response = client.get("/file")
    assert response.status_code == 200
    assert response.content == CONTENT
    assert response.headers.multi_items() == [
        ("content-type", "application/octet-stream"),
        ("content-disposition", 'attachment; filename="data.bin"'),
        ("accept-ranges", "bytes"),
        ("last-modified", "Tue, 14 Nov 2023 22:13:20 GMT"),
        ("etag", weak_etag(data_file)),
        ("content-length", "10240"),
    ]


def test_small_chunks_are_streamed(data_file: Path) -> None:
    with (
        serve(file_handler(data_file, chunk_size=1000)) as client,
        client.stream("GET", "/file") as response,
    ):
        chunks = list(response.iter_raw())
    assert [len(chunk) for chunk in chunks] == [1000] * 10 + [240]
    assert b"".join(chunks) == CONTENT


@pytest.mark.parametrize(
    ("name", "own", "decorator", "expected"),
    [
        ("page.html", None, None, "text/html; charset=utf-8"),
        ("notes.txt", None, None, "text/plain; charset=utf-8"),
        ("archive.tar.gz", None, None, "application/gzip"),
        ("blob.unknownext", None, None, "application/octet-stream"),
        ("page.html", "image/png", None, "image/png"),
        ("page.html", None, "application/pdf", "application/pdf"),
        ("page.html", "image/png", "application/pdf", "image/png"),
    ],
)
def test_media_type_choice(
    tmp_path: Path, name: str, own: str | None, decorator: str | None, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(b"x")

    options: dict[str, Any] = {"media_type": decorator} if decorator else {}

    @get("/file", **options)
    def handler() -> File:
        return File(path, media_type=own)

    with serve(handler) as client:
        assert client.get("/file").headers["content-type"] == expected


@pytest.mark.parametrize(
    ("kind", "name", "header"),
    [
        ("attachment", "plain.txt", 'attachment; filename="plain.txt"'),
        ("inline", "plain.txt", 'inline; filename="plain.txt"'),
        ("attachment", 'say "hi".txt', 'attachment; filename="say \\"hi\\".txt"'),
        (
            "attachment",
            "résumé.pdf",
            "attachment; filename=\"resume.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
        ),
        (
            "attachment",
            "報告 2024.pdf",
            "attachment; filename=\"__ 2024.pdf\"; filename*=UTF-8''%E5%A0%B1%E5%91%8A%202024.pdf",
        ),
        ("attachment", "bad\r\nname.txt", 'attachment; filename="badname.txt"'),
    ],
)
def test_content_disposition(kind: str, name: str, header: str) -> None:
    assert content_disposition(kind, name) == header


def test_non_ascii_filename_on_the_wire(data_file: Path) -> None:
    handler = file_handler(data_file, filename="данные.bin", content_disposition_type="inline")
    with serve(handler) as client:
        response = client.get("/file")
    assert response.headers["content-disposition"] == (
        "inline; filename=\"______.bin\"; filename*=UTF-8''"
        "%D0%B4%D0%B0%D0%BD%D0%BD%D1%8B%D0%B5.bin"
    )


def test_bad_disposition_type_and_chunk_size(data_file: Path) -> None:
    with pytest.raises(ImproperlyConfiguredException):
        File(data_file, content_disposition_type="attachment; x=y")
    with pytest.raises(ImproperlyConfiguredException):
        File(data_file, chunk_size=0)


@pytest.mark.parametrize("missing", ["nope.bin", "dir"])
def test_missing_file_or_directory_is_404(tmp_path: Path, missing: str) -> None:
    (tmp_path / "dir").mkdir()
    with serve(file_handler(tmp_path / missing)) as client:
        response = client.get("/file")
    assert response.status_code == 404
    assert response.json() == {"status_code": 404, "detail": "File not found"}
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    "if_none_match", ["{etag}", "*", '"other", {etag}', '"{opaque}"', "W/{etag_quoted}"]
)
def test_if_none_match_gives_304(data_file: Path, if_none_match: str) -> None:
    etag = weak_etag(data_file)
    value = if_none_match.format(etag=etag, opaque=etag[3:-1], etag_quoted=etag[2:])
    with serve(file_handler(data_file)) as client:
        response = client.get("/file", headers={"if-none-match": value})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers.multi_items() == [
        ("last-modified", "Tue, 14 Nov 2023 22:13:20 GMT"),
        ("etag", etag),
    ]


def test_if_none_match_mismatch_wins_over_if_modified_since(data_file: Path) -> None:
    headers = {"if-none-match": '"other"', "if-modified-since": "Tue, 14 Nov 2023 22:13:20 GMT"}
    with serve(file_handler(data_file)) as client:
        response = client.get("/file", headers=headers)
    assert response.status_code == 200
    assert response.content == CONTENT


@pytest.mark.parametrize(
    ("since", "status"),
    [
        ("Tue, 14 Nov 2023 22:13:20 GMT", 304),
        ("Wed, 15 Nov 2023 00:00:00 GMT", 304),
        ("Tue, 14 Nov 2023 22:13:19 GMT", 200),
        ("not a date", 200),
    ],
)
def test_if_modified_since(data_file: Path, since: str, status: int) -> None:
    with serve(file_handler(data_file)) as client:
        response = client.get("/file", headers={"if-modified-since": since})
    assert response.status_code == status
    assert len(response.content) == (0 if status == 304 else len(CONTENT))


@pytest.mark.parametrize(
    ("range_header", "first", "last"),
    [
        ("bytes=0-9", 0, 9),
        ("bytes=100-", 100, 10239),
        ("bytes=-10", 10230, 10239),
        ("bytes=10200-99999", 10200, 10239),
        ("bytes=-99999", 0, 10239),
        ("BYTES = 5 - 5", 5, 5),
    ],
)
def test_single_range_gives_206(data_file: Path, range_header: str, first: int, last: int) -> None:
    with serve(file_handler(data_file, chunk_size=7)) as client:
        response = client.get("/file", headers={"range": range_header})
    assert response.status_code == 206
    assert response.content == CONTENT[first : last + 1]
    assert response.headers["content-range"] == f"bytes {first}-{last}/10240"
    assert response.headers["content-length"] == str(last - first + 1)
    assert response.headers["accept-ranges"] == "bytes"


@pytest.mark.parametrize("range_header", ["bytes=10240-", "bytes=99999-100000", "bytes=-0"])
def test_unsatisfiable_range_gives_416(data_file: Path, range_header: str) -> None:
    with serve(file_handler(data_file)) as client:
        response = client.get("/file", headers={"range": range_header})
    assert response.status_code == 416
    assert response.content == b""
    assert response.headers["content-range"] == "bytes */10240"
    assert response.headers["content-length"] == "0"
    assert "content-type" not in response.headers


@pytest.mark.parametrize("range_header", ["bytes=0-1,5-6", "items=0-5", "bytes=9-3", "bytes=-"])
def test_ranges_we_do_not_serve_give_the_whole_file(data_file: Path, range_header: str) -> None:
    with serve(file_handler(data_file)) as client:
        response = client.get("/file", headers={"range": range_header})
    assert response.status_code == 200
    assert response.content == CONTENT


def test_if_range(data_file: Path) -> None:
    strong = File(data_file, etag=ETag("v1"))

    @get("/strong")
    def strong_handler() -> File:
        return strong

    date = formatdate(1_700_000_000, usegmt=True)
    with serve(strong_handler, file_handler(data_file)) as client:
        # a strong etag or the exact date makes the range apply; anything else gets the whole file
        cases = [
            ("/strong", '"v1"', 206),
            ("/strong", '"v0"', 200),
            ("/file", weak_etag(data_file), 200),
            ("/file", date, 206),
            ("/file", "Tue, 14 Nov 2023 22:00:00 GMT", 200),
        ]
        for url, if_range, status in cases:
            response = client.get(url, headers={"range": "bytes=0-3", "if-range": if_range})
            assert response.status_code == status, (url, if_range)


def test_head_sends_headers_without_opening_the_file(data_file: Path, tmp_path: Path) -> None:
    result = data_file.stat()
    gone = tmp_path / "gone.bin"  # the stat_result is given, so only opening would fail

    @get("/file")
    def handler() -> File:
        return File(gone, stat_result=result)

    with serve(handler) as client:
        head = client.head("/file")
        ranged_head = client.head("/file", headers={"range": "bytes=0-9"})
        get_response = client.get("/file")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == "10240"
    assert ranged_head.status_code == 206
    assert ranged_head.headers["content-length"] == "10"
    assert get_response.status_code == 404


def test_explicit_etag_replaces_layered_one_and_answers_if_none_match(data_file: Path) -> None:
    @get("/file", etag=ETag("layered"))
    def handler() -> File:
        return File(data_file, etag=ETag("mine"))

    with serve(handler) as client:
        plain = client.get("/file")
        cached = client.get("/file", headers={"if-none-match": '"mine"'})
    assert plain.headers.get_list("etag") == ['"mine"']
    assert cached.status_code == 304


def test_own_headers_cookies_and_background(data_file: Path) -> None:
    ran: list[str] = []

    @get("/file", response_headers={"x-layer": "1"})
    def handler() -> File:
        return File(
            data_file,
            headers={"cache-control": "max-age=60", "content-type": "application/x-custom"},
            cookies=[Cookie(key="k", value="v")],
            background=BackgroundTask(ran.append, "after"),
        )

    with serve(handler) as client:
        response = client.get("/file")
    assert response.headers["x-layer"] == "1"
    assert response.headers["cache-control"] == "max-age=60"
    assert response.headers["content-type"] == "application/x-custom"
    assert response.headers["set-cookie"] == "k=v; Path=/; SameSite=lax"
    assert ran == ["after"]


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with serve(file_handler(empty)) as client:
        response = client.get("/file")
        ranged = client.get("/file", headers={"range": "bytes=-5"})
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == "0"
    assert ranged.status_code == 416
