"""The docs pages render offline in a real headless Chromium: each page, with the scripts and
styles the app serves itself, lists the API's operations (no network beyond 127.0.0.1)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from ...live_server import uvicorn_server

APP = "tests.runtime.openapi.docs_app:app"
SUMMARIES = ("List every pet in the shop", "Register a new pet")


def chromium() -> str:
    found = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not found:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium; or set CHROMIUM)")
    return found


def rendered(browser: str, url: str, profile: Path) -> str:
    """The page's DOM after its scripts ran (headless, no network but loopback)."""
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=20000",
        "--dump-dom",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.parametrize("page", ["swagger", "redoc", "scalar"])
def test_each_docs_page_lists_the_operations_offline(page: str, tmp_path: Path) -> None:
    browser = chromium()
    with uvicorn_server(APP) as base:
        html = httpx.get(f"{base}/schema/{page}").text
        assert "cdn" not in html and "https://" not in html  # everything from the app itself
        dom = rendered(browser, f"{base}/schema/{page}", tmp_path / "profile")
    for summary in SUMMARIES:
        assert summary in dom, f"{page}: {summary!r} not rendered"


def test_the_assets_are_served_with_their_types() -> None:
    with uvicorn_server(APP) as base:
        for name, kind in [
            ("swagger-ui-bundle.js", "text/javascript"),
            ("swagger-ui.css", "text/css"),
        ]:
            answer = httpx.get(f"{base}/schema/assets/{name}")
            assert answer.status_code == 200 and answer.headers["content-type"].startswith(kind)
            assert "max-age" in answer.headers["cache-control"] and len(answer.content) > 100_000
        assert httpx.get(f"{base}/schema/assets/secret.py").status_code == 404
