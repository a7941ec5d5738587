"""The example pet store: generated from its spec, served by a real uvicorn process over loopback
(and, for the quick checks, in-process with TestClient)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml

from examples.petstore.server.app import create_app
from examples.petstore.server.store import Store, png
from specloom.runtime.testing import TestClient
from tests.live_server import REPO, uvicorn_server

EXAMPLE = REPO / "examples" / "petstore"
APP = "examples.petstore.server.app:app"
KEY = "test-key"
DEV_KEY = {"X-API-Key": "dev-key"}  # the default key, for the in-process app
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def read_event(lines: Iterator[str]) -> dict[str, str]:
    """The fields of the next server-sent event (comments skipped)."""
    fields: dict[str, str] = {}
    for line in lines:
        if not line:
            if fields:
                return fields
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            fields[name] = value
    raise AssertionError(f"the stream ended inside or before an event: {fields}")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """A client of the example served by uvicorn, on an sqlite file and its own API key."""
    env = {"PETSTORE_DB": str(tmp_path_factory.mktemp("petstore") / "pets.db")}
    env["PETSTORE_API_KEY"] = KEY
    with uvicorn_server(APP, env=env) as base, httpx.Client(base_url=base, timeout=5) as client:
        yield client


def test_the_generated_server_is_up_to_date_with_its_spec() -> None:
    command = [sys.executable, "-m", "specloom.generator.cli", "generate"]
    command += [str(EXAMPLE / "openapi.yaml"), "--out", str(EXAMPLE / "server"), "--check"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


def test_list_is_paginated(client: httpx.Client) -> None:
    page = client.get("/pets", params={"limit": 2, "offset": 1})
    assert page.status_code == 200
    body = page.json()
    assert set(body) == {"items", "total", "limit", "offset"}
    assert (body["limit"], body["offset"]) == (2, 1)
    assert [pet["id"] for pet in body["items"]] == [2, 3]
    assert body["total"] >= 5
    everything = client.get("/pets", params={"limit": 100}).json()
    assert len(everything["items"]) == everything["total"] == body["total"]
    assert client.get("/pets", params={"offset": 1000}).json()["items"] == []
    too_many = client.get("/pets", params={"limit": 101})
    assert too_many.status_code == 400
    assert too_many.json()["extra"][0]["key"] == "limit"


def test_a_pet_has_an_etag_and_cache_control(client: httpx.Client) -> None:
    pet = client.get("/pets/1")
    assert pet.status_code == 200
    assert pet.json() == {"id": 1, "name": "Rex", "tag": "dog", "status": "available"}
    assert pet.headers["cache-control"] == "max-age=60, public, must-revalidate"
    etag = pet.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    cached = client.get("/pets/1", headers={"if-none-match": etag})
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["etag"] == etag
    assert client.get("/pets/1", headers={"if-none-match": '"stale"'}).status_code == 200
    assert client.get("/pets/2").headers["etag"] != etag


def test_writes_need_the_api_key(client: httpx.Client) -> None:
    new = {"name": "Pip", "tag": "mouse"}
    anonymous = client.post("/pets", json=new)
    assert anonymous.status_code == 401
    assert anonymous.json() == {"status_code": 401, "detail": "Authentication required"}
    wrong = client.post("/pets", json=new, headers={"X-API-Key": "dev-key"})  # not this server's
    assert wrong.status_code == 403
    assert wrong.headers["content-type"] == "application/json"
    created = client.post("/pets", json=new, headers={"X-API-Key": KEY})
    assert created.status_code == 201
    pet = created.json()
    assert pet == {"id": pet["id"], "name": "Pip", "tag": "mouse", "status": "available"}
    assert client.get(f"/pets/{pet['id']}").json() == pet
    assert client.delete(f"/pets/{pet['id']}").status_code == 401
    assert client.delete(f"/pets/{pet['id']}", headers={"X-API-Key": KEY}).status_code == 204
    assert client.get(f"/pets/{pet['id']}").status_code == 404
    invalid = client.post("/pets", json={"name": ""}, headers={"X-API-Key": KEY})
    assert invalid.status_code == 400


def test_photo_download(client: httpx.Client) -> None:
    photo = client.get("/pets/1/photo")
    assert photo.status_code == 200
    assert photo.headers["content-type"] == "image/png"
    assert photo.headers["content-disposition"] == 'attachment; filename="Rex.png"'
    assert photo.content.startswith(PNG_SIGNATURE)
    assert int(photo.headers["content-length"]) == len(photo.content)
    assert client.get("/pets/9999/photo").status_code == 404


def test_events_stream(client: httpx.Client) -> None:
    with client.stream("GET", "/events", params={"limit": 2}) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"] == "text/event-stream; charset=utf-8"
        assert stream.headers["cache-control"] == "no-cache"
        lines = stream.iter_lines()
        snapshot = read_event(lines)
        assert snapshot["event"] == "snapshot"
        assert json.loads(snapshot["data"])["total"] >= 5
        # the stream is following now: these two changes are its two events, then it ends
        pet = client.post("/pets", json={"name": "Echo"}, headers={"X-API-Key": KEY}).json()
        adopted = client.post(f"/pets/{pet['id']}/adoption", headers={"X-API-Key": KEY})
        assert adopted.json()["status"] == "adopted"
        created, adoption = read_event(lines), read_event(lines)
        assert (created["event"], json.loads(created["data"])) == ("created", pet)
        assert adoption["event"] == "adopted"
        assert json.loads(adoption["data"]) == {**pet, "status": "adopted"}
        assert int(adoption["id"]) > int(created["id"])
        assert list(lines) == []  # closed by the server after `limit` changes
    with client.stream("GET", "/events") as endless:  # closed by the client
        assert read_event(endless.iter_lines())["event"] == "snapshot"
    assert client.get("/pets/1").status_code == 200


def test_profile_redirects_to_the_pet(client: httpx.Client) -> None:
    moved = client.get("/pets/2/profile", follow_redirects=False)
    assert moved.status_code == 302
    assert moved.headers["location"] == "/pets/2"
    assert client.get("/pets/2/profile", follow_redirects=True).json()["name"] == "Tom"
    assert client.get("/pets/9999/profile").status_code == 404


def test_missing_pet_is_a_json_404(client: httpx.Client) -> None:
    missing = client.get("/pets/9999")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/json"
    assert missing.json() == {"status_code": 404, "detail": "No pet with id 9999"}
    assert client.get("/pets/abc").status_code == 400


def test_openapi_document_lists_the_operations(client: httpx.Client) -> None:
    spec = yaml.safe_load((EXAMPLE / "openapi.yaml").read_text())
    document = client.get("/schema/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] == spec["info"]["title"]

    def operations(paths: dict[str, Any]) -> dict[tuple[str, str], str]:
        return {
            (method, path): operation["operationId"]
            for path, item in paths.items()
            for method, operation in item.items()
            if method in ("get", "post", "put", "patch", "delete")
        }

    assert operations(document["paths"]) == operations(spec["paths"])
    schemes = document["components"]["securitySchemes"]
    assert schemes["apiKey"] == spec["components"]["securitySchemes"]["apiKey"]
    assert document["paths"]["/pets"]["post"]["security"] == [{"apiKey": []}]
    assert "security" not in document["paths"]["/pets"]["get"]


@pytest.fixture
def local(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The same app in-process, on a fresh in-memory store, with the default API key."""
    monkeypatch.delenv("PETSTORE_API_KEY", raising=False)
    with TestClient(create_app(Store())) as client:
        yield client


def test_in_process_defaults(local: TestClient) -> None:
    page = local.get("/pets").json()
    assert (page["limit"], page["offset"], page["total"]) == (20, 0, 5)
    assert [pet["name"] for pet in page["items"]] == ["Rex", "Tom", "Nemo", "Kiwi", "Bubbles"]
    assert "tag" not in local.post("/pets", json={"name": "Nix"}, headers=DEV_KEY).json()


def test_in_process_adoption_and_removal(local: TestClient) -> None:
    assert local.post("/pets/2/adoption", headers=DEV_KEY).json()["status"] == "adopted"
    again = local.post("/pets/2/adoption", headers=DEV_KEY)
    assert again.status_code == 409
    assert again.json() == {"status_code": 409, "detail": "Pet 2 is already adopted"}
    assert local.post("/pets/99/adoption", headers=DEV_KEY).status_code == 404
    assert local.delete("/pets/2", headers=DEV_KEY).status_code == 204
    assert local.delete("/pets/2", headers=DEV_KEY).status_code == 404
    assert local.get("/pets/2/photo").status_code == 404


def test_in_process_event_framing(local: TestClient) -> None:
    with local.stream("GET", "/events", params={"limit": 1}) as stream:
        chunks = stream.iter_bytes()
        assert next(chunks) == b'event: snapshot\r\ndata: {"total":5}\r\n\r\n'
        local.post("/pets", json={"name": "Ivy", "tag": "cat"}, headers=DEV_KEY)
        rest = b"".join(chunks)
    pet = b'{"id":6,"name":"Ivy","tag":"cat","status":"available"}'
    assert rest == b"id: 1\r\nevent: created\r\ndata: " + pet + b"\r\n\r\n"


def test_png_is_well_formed() -> None:
    image = png((1, 2, 3), size=2)
    assert image.startswith(PNG_SIGNATURE)
    assert image[12:16] == b"IHDR" and image[16:24] == b"\x00\x00\x00\x02" * 2
    assert image.endswith(b"IEND\xaeB`\x82")
