from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import assert_error, post_source


def test_create_and_get_source(client: TestClient) -> None:
    created = post_source(
        client,
        "US National Security Council",
        kind="government",
        country="US",
        aliases=["NSC", "nsc"],
    )
    assert created["aliases"] == ["NSC"]
    fetched = client.get(f"/v1/sources/{created['id']}").json()
    assert fetched == created


def test_source_names_and_aliases_are_unique_ignoring_case(client: TestClient) -> None:
    post_source(client, "NATO", aliases=["North Atlantic Treaty Organization"])
    assert_error(
        client.post("/v1/sources", json={"name": "nato"}), 409, "source_name_taken", "name"
    )
    assert_error(
        client.post("/v1/sources", json={"name": "north atlantic treaty organization"}),
        409,
        "source_name_taken",
    )
    assert client.get("/v1/sources").json()["total"] == 1


def test_list_sources_paginates_and_filters(client: TestClient) -> None:
    for i in range(5):
        post_source(client, f"Outlet {i}", kind="outlet" if i % 2 else "agency", country="KR")
    first = client.get("/v1/sources", params={"limit": 2}).json()
    assert [s["name"] for s in first["items"]] == ["Outlet 0", "Outlet 1"]
    assert first["total"] == 5 and first["next_cursor"]
    second = client.get("/v1/sources", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [s["name"] for s in second["items"]] == ["Outlet 2", "Outlet 3"]
    last = client.get("/v1/sources", params={"limit": 2, "cursor": second["next_cursor"]}).json()
    assert [s["name"] for s in last["items"]] == ["Outlet 4"] and last["next_cursor"] is None
    outlets = client.get("/v1/sources", params={"kind": "outlet"}).json()
    assert outlets["total"] == 2
    assert client.get("/v1/sources", params={"q": "tlet 3"}).json()["total"] == 1


def test_source_errors(client: TestClient) -> None:
    assert_error(client.get("/v1/sources/999"), 404, "source_not_found")
    assert_error(client.get("/v1/sources/abc"), 404, "not_found")  # ids are digits only
    assert_error(client.get("/v1/sources/0"), 422, "validation_error", "source_id")
    assert_error(client.post("/v1/sources", json={"name": "  "}), 422, "validation_error", "name")
    assert_error(client.post("/v1/sources", json={"name": "X", "kind": "alien"}), 422, field="kind")
    assert_error(
        client.get("/v1/sources", params={"cursor": "garbage!"}), 422, "invalid_input", "cursor"
    )
    assert_error(client.get("/v1/sources", params={"limit": 0}), 422, field="limit")
