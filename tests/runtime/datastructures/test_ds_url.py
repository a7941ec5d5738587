"""URL: from strings, from ASGI scopes, replacements and equality."""

from __future__ import annotations

from typing import Any

from specloom.runtime.datastructures import URL


def _scope(**overrides: Any) -> dict[str, Any]:
    scope: dict[str, Any] = {
        "type": "http",
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "path": "/resource",
        "query_string": b"",
        "headers": [],
    }
    scope.update(overrides)
    return scope


def test_from_string() -> None:
    url = URL("https://example.com:8443/a/b?x=1&y=2#frag")
    assert (url.scheme, url.netloc, url.path, url.query, url.fragment) == (
        "https",
        "example.com:8443",
        "/a/b",
        "x=1&y=2",
        "frag",
    )
    assert (url.hostname, url.port) == ("example.com", 8443)
    assert str(url) == "https://example.com:8443/a/b?x=1&y=2#frag"


def test_from_scope_uses_host_header() -> None:
    scope = _scope(headers=[(b"host", b"api.example.com")], query_string=b"a=1")
    assert str(URL.from_scope(scope)) == "http://api.example.com/resource?a=1"


def test_from_scope_falls_back_to_server() -> None:
    assert str(URL.from_scope(_scope())) == "http://127.0.0.1:8000/resource"
    assert str(URL.from_scope(_scope(scheme="https", server=("h", 443)))) == "https://h/resource"
    assert str(URL.from_scope(_scope(server=("::1", 80)))) == "http://[::1]/resource"
    assert str(URL.from_scope(_scope(server=None))) == "http:///resource"


def test_from_scope_path_encoding() -> None:
    assert URL.from_scope(_scope(path="/a b/ü?")).path == "/a%20b/%C3%BC%3F"
    url = URL.from_scope(_scope(path="/a b", raw_path=b"/a%20b?x=1", query_string=b"x=1"))
    assert str(url) == "http://127.0.0.1:8000/a%20b?x=1"


def test_with_replacements_and_equality() -> None:
    url = URL("http://example.com/a?x=1")
    replaced = url.with_replacements(scheme="https", path="/b", query="")
    assert str(replaced) == "https://example.com/b"
    assert str(url.with_replacements(fragment="top")) == "http://example.com/a?x=1#top"
    assert url == "http://example.com/a?x=1"
    assert url == URL("http://example.com/a?x=1")
    assert url != replaced
    assert len({url, URL("http://example.com/a?x=1")}) == 1
    assert URL.from_components("http", "h", "/p", "q=1") == "http://h/p?q=1"
    assert repr(url) == "URL('http://example.com/a?x=1')"
