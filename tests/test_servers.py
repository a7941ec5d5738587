"""Routes mounted under the servers' base path are documented relative to it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from specloom.runtime import App, Router, get
from specloom.runtime.openapi import OpenAPIConfig
from specloom.runtime.testing import TestClient
from specloom.servers import base_path, relative_path

SERVERS = [{"url": "https://api.example.com/api/v3"}, {"url": "/api/v3/"}]


@get("/pet/{pet_id:int}")
async def get_pet(pet_id: int) -> int:
    return pet_id


@get("/")
async def root() -> str:
    return "root"


def _app(**config: object) -> App:
    return App(
        route_handlers=[Router("/api/v3", [get_pet, root])],
        openapi_config=OpenAPIConfig(servers=SERVERS, **config),  # type: ignore[arg-type]
    )


def test_routes_under_the_servers_path_are_documented_relative_to_it() -> None:
    app = _app()
    with TestClient(app) as client:
        assert client.get("/api/v3/pet/3").json() == 3
    assert list(app.openapi()["paths"]) == ["/pet/{pet_id}", "/"]
    assert app.openapi()["servers"] == SERVERS


def test_relative_to_servers_off_documents_the_paths_served() -> None:
    app = _app(relative_to_servers=False)
    assert list(app.openapi()["paths"]) == ["/api/v3/pet/{pet_id}", "/api/v3"]


def test_base_path() -> None:
    assert base_path(None) == ""
    assert base_path([{"url": "https://host"}, {"url": "/"}]) == ""
    assert base_path(SERVERS) == "/api/v3"
    assert base_path([{"url": "/v1"}, {"url": "/v2"}]) == ""  # they differ: none
    templated = {"url": "{scheme}://h/{v}", "variables": {"v": {"default": "v9"}}}
    assert base_path([templated]) == "/v9"
    assert base_path([{"url": "http://[::1"}]) == ""  # not a URL: no path


def test_relative_path() -> None:
    assert relative_path("/api/v3/pet", "/api/v3") == "/pet"
    assert relative_path("/api/v3", "/api/v3") == "/"
    assert relative_path("/api/v3?x={x}", "/api/v3") == "/?x={x}"
    assert relative_path("/api/v3x/pet", "/api/v3") == "/api/v3x/pet"  # not under it
    assert relative_path("/pet", "") == "/pet"


_SEGMENT = st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=5)


@given(st.lists(_SEGMENT, min_size=1, max_size=3), st.lists(_SEGMENT, max_size=3))
def test_a_path_mounted_under_a_base_comes_back_relative(base: list[str], path: list[str]) -> None:
    prefix = "/" + "/".join(base)
    written = "/" + "/".join(path)
    mounted = prefix + (written if written != "/" else "")
    assert relative_path(mounted, base_path([{"url": f"https://h{prefix}/"}])) == written
