"""The Responses page's Redirect, File, Stream, Server Sent Event and Template examples.

The example modules are the page's code with only the imports renamed. Two notes: the page's
File example without a media type says the default becomes text/plain; specloom guesses the
media type from the file name instead (`application/pdf` here), which is what a browser needs.
The Template example registers no engine: the test adds one (the page says to register it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from specloom.runtime import App
from specloom.runtime.template import TemplateConfig
from specloom.runtime.testing import TestClient

from .examples import (
    file_download,
    file_download_media_type,
    redirect,
    sse_count,
    stream_time,
    template_info,
)

PDF = (Path(file_download.__file__).parent / "report.pdf").read_bytes()


def test_redirect_is_a_302_with_location() -> None:
    with TestClient(App([redirect.redirect])) as client:
        response = client.get("/some-path", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/other-path"
    assert response.content == b""


@pytest.mark.parametrize("module", [file_download, file_download_media_type])
def test_file_download(module: object) -> None:
    with TestClient(App([module.handle_file_download])) as client:  # type: ignore[attr-defined]
        response = client.get("/file-download")
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="report.pdf"'
    assert response.headers["content-length"] == str(len(PDF))


def test_stream_sends_json_chunks_until_the_client_leaves() -> None:
    chunks = []
    with TestClient(stream_time.app) as client, client.stream("GET", "/time") as response:
        assert response.status_code == 200
        assert "content-length" not in response.headers
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            if len(chunks) == 3:
                break
    assert all(chunk.startswith(b'{"current_time":"') for chunk in chunks)


def test_server_sent_events_framing() -> None:
    with TestClient(sse_count.app) as client:
        response = client.get("/count")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    events = [e for e in response.text.replace("\r\n", "\n").split("\n\n") if e]
    assert len(events) == 50  # 10 rounds of 5 yields
    assert events[:4] == ["data: 1", "data: 1", "data: 1", "event: event2\ndata: 2\nretry: 10"]
    # the page's comment-only event carries an empty data line, so EventSource dispatches it
    assert events[4] == ": some comment\nevent: something-with-comment\ndata: \nretry: 1000"


def test_template_rendered_with_a_registered_engine(tmp_path: Path) -> None:
    (tmp_path / "info.html").write_text("<p>user: {{ user }}</p>")
    app = App([template_info.info], template_config=TemplateConfig(directory=tmp_path))
    with TestClient(app) as client:
        response = client.get("/info")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == "<p>user: None</p>"
