"""The example pet store, served by a real uvicorn process over loopback."""

from __future__ import annotations

import httpx

from tests.live_server import uvicorn_server


def test_petstore_serves_over_real_http() -> None:
    with (
        uvicorn_server("examples.petstore.app:app") as base,
        httpx.Client(base_url=base, timeout=5) as client,
    ):
        listed = client.get("/pets", params={"limit": 2})
        assert listed.status_code == 200
        assert listed.headers["cache-control"] == "max-age=30, public"
        assert listed.headers["x-served-by"] == "specloom"
        assert [pet["name"] for pet in listed.json()] == ["Rex", "Tom"]

        created = client.post("/pets", json={"name": "Kiwi", "tag": "bird"})
        assert created.status_code == 201
        assert created.headers["cache-control"] == "no-store"
        pet = created.json()
        assert client.get(f"/pets/{pet['id']}").json() == pet

        missing = client.get("/pets/9999")
        assert missing.status_code == 404
        assert missing.json() == {"status_code": 404, "detail": "No pet with id 9999"}

        invalid = client.get("/pets", params={"limit": "0"})
        assert invalid.status_code == 400
        assert invalid.json()["extra"][0]["key"] == "limit"

        bad_body = client.post("/pets", json={"name": ""})
        assert bad_body.status_code == 400
        assert bad_body.headers["content-type"] == "application/json"
