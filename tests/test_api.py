"""The JSON API: bearer tokens, the caller's rows only, JSON errors, no cookies."""

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tracker.db import write_transaction
from tracker.models import User
from tracker.services.tokens import create_token, revoke_token


def bearer(app: Flask, user: User) -> dict[str, str]:
    with write_transaction(app) as session:
        _token, secret = create_token(session, user.id, "script")
    return {"Authorization": f"Bearer {secret}"}


def test_no_token_or_a_revoked_one_is_a_json_401(
    app: Flask, client: FlaskClient, user: User
) -> None:
    for headers in ({}, {"Authorization": "Bearer jm_nothing"}, {"Authorization": "Basic eDp5"}):
        response = client.get("/api/v1/contacts", headers=headers)
        assert response.status_code == 401
        assert response.json["code"] == 401  # type: ignore[index]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    with write_transaction(app) as session:
        token, secret = create_token(session, user.id, "old")
        revoke_token(session, user.id, token.id)
    assert (
        client.get("/api/v1/contacts", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )


def test_the_document_is_openapi_3_and_needs_no_token(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")  # type: ignore[index]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"  # type: ignore[index]
    paths = document["paths"]  # type: ignore[index]
    assert "400" in paths["/api/v1/contacts"]["post"]["responses"]
    assert "404" in paths["/api/v1/contacts/{contact_id}"]["get"]["responses"]


def test_contacts_create_search_page_update_and_archive(
    app: Flask, client: FlaskClient, user: User
) -> None:
    headers = bearer(app, user)
    made = client.post(
        "/api/v1/contacts",
        headers=headers,
        json={
            "family_name": "山田",
            "given_name": "太郎",
            "family_reading": "やまだ",
            "given_reading": "たろう",
            "company": "山田商事",
            "methods": [{"kind": "email", "value": "taro@example.jp", "label": "work"}],
            "tags": ["税理士"],
        },
    )
    assert made.status_code == 201
    contact = made.json
    assert contact["name"] == "山田 太郎" and contact["tags"] == ["税理士"]  # type: ignore[index]
    for n in range(3):
        client.post("/api/v1/contacts", headers=headers, json={"family_name": f"佐藤{n}"})
    found = client.get("/api/v1/contacts?q=やまだ", headers=headers).json
    assert [c["id"] for c in found["items"]] == [contact["id"]]  # type: ignore[index]
    page = client.get("/api/v1/contacts?per_page=2&page=2", headers=headers).json
    assert (page["total"], page["page"], len(page["items"])) == (4, 2, 2)  # type: ignore[index]
    changed = client.patch(
        f"/api/v1/contacts/{contact['id']}",  # type: ignore[index]
        headers=headers,
        json={"title": "社長"},
    ).json
    assert changed["title"] == "社長" and changed["company"] == "山田商事"  # type: ignore[index]
    assert changed["methods"] == contact["methods"]  # type: ignore[index]
    archived = client.post(f"/api/v1/contacts/{contact['id']}/archive", headers=headers).json  # type: ignore[index]
    assert archived["archived"] is True  # type: ignore[index]
    assert client.get("/api/v1/contacts", headers=headers).json["total"] == 3  # type: ignore[index]
    assert client.get("/api/v1/contacts?archived=true", headers=headers).json["total"] == 1  # type: ignore[index]


def test_malformed_json_and_failed_validation_are_documented_400s(
    app: Flask, client: FlaskClient, user: User
) -> None:
    headers = bearer(app, user)
    bad = client.post(
        "/api/v1/contacts", headers={**headers, "Content-Type": "application/json"}, data="{oops"
    )
    assert bad.status_code == 400 and "json" in bad.json["errors"]  # type: ignore[index]
    invalid = client.post(
        "/api/v1/contacts", headers=headers, json={"family_name": "x" * 101, "stage": "friend"}
    )
    assert invalid.status_code == 400
    assert set(invalid.json["errors"]["json"]) == {"family_name", "stage"}  # type: ignore[index]
    refused = client.post("/api/v1/contacts", headers=headers, json={"company": "名前なし"})
    assert refused.status_code == 400 and "name" in refused.json["message"]  # type: ignore[index]
    future = client.post(
        "/api/v1/touchpoints",
        headers=headers,
        json={"occurred_on": "2999-01-01", "kind": "meal", "contact_ids": [1]},
    )
    assert future.status_code == 400
    assert client.patch("/api/v1/contacts/1", headers=headers).status_code in (400, 404)


def test_another_accounts_records_are_404(
    app: Flask,
    client: FlaskClient,
    user: User,
    make_user: Any,
    make_contact: Any,
    make_event: Any,
    make_touchpoint: Any,
    make_referral: Any,
) -> None:
    other = make_user()
    theirs = make_contact(owner=other, family_name="他人")
    event = make_event(owner=other)
    touchpoint = make_touchpoint([theirs], owner=other)
    referral = make_referral(theirs, owner=other)
    headers = bearer(app, user)
    for path in (
        f"/api/v1/contacts/{theirs.id}",
        f"/api/v1/events/{event.id}",
        f"/api/v1/touchpoints/{touchpoint.id}",
        f"/api/v1/referrals/{referral.id}",
        f"/api/v1/touchpoints?contact_id={theirs.id}",
    ):
        response = client.get(path, headers=headers)
        assert response.status_code == 404, path
        assert response.json["code"] == 404  # type: ignore[index]
    assert (
        client.patch(
            f"/api/v1/contacts/{theirs.id}", headers=headers, json={"title": "x"}
        ).status_code
        == 404
    )
    assert client.post(f"/api/v1/contacts/{theirs.id}/archive", headers=headers).status_code == 404
    # Naming their contact in a touchpoint or referral of mine is refused too.
    assert (
        client.post(
            "/api/v1/touchpoints",
            headers=headers,
            json={"occurred_on": "2026-11-01", "kind": "call", "contact_ids": [theirs.id]},
        ).status_code
        == 400
    )
    assert client.get("/api/v1/contacts", headers=headers).json["total"] == 0  # type: ignore[index]


def test_touchpoints_referrals_events_and_the_digest(
    app: Flask, client: FlaskClient, user: User, make_contact: Any
) -> None:
    headers = bearer(app, user)
    contact = make_contact()
    event = client.post(
        "/api/v1/events", headers=headers, json={"name": "朝会", "held_on": "2026-11-01"}
    ).json
    logged = client.post(
        "/api/v1/touchpoints",
        headers=headers,
        json={
            "occurred_on": "2026-11-02",
            "kind": "meal",
            "contact_ids": [contact.id],
            "event_id": event["id"],  # type: ignore[index]
            "summary": "ランチ",
        },
    )
    assert logged.status_code == 201
    assert (
        client.get(f"/api/v1/touchpoints/{logged.json['id']}", headers=headers).json["summary"]  # type: ignore[index]
        == "ランチ"
    )
    assert (
        client.get(f"/api/v1/touchpoints?contact_id={contact.id}", headers=headers).json["total"]  # type: ignore[index]
        == 1
    )
    assert client.get(f"/api/v1/events/{event['id']}", headers=headers).json["people"] == 1  # type: ignore[index]
    referral = client.post(
        "/api/v1/referrals",
        headers=headers,
        json={
            "referred_on": "2026-11-03",
            "direction": "received",
            "contact_id": contact.id,
            "subject": "新しい顧問先",
        },
    )
    assert referral.status_code == 201
    assert client.get("/api/v1/referrals?direction=received", headers=headers).json["total"] == 1  # type: ignore[index]
    digest = client.get("/api/v1/digest", headers=headers).json
    assert digest["today"] == "2026-11-27"  # type: ignore[index]
    assert digest["referrals_12_months"]["received"] == 1  # type: ignore[index]


def test_the_api_takes_no_cookies_and_needs_no_csrf_token(
    app: Flask, user: User, signed_in: FlaskClient
) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    # A signed-in browser's cookie does not sign an API request in.
    assert signed_in.get("/api/v1/contacts").status_code == 401
    response = signed_in.post(
        "/api/v1/contacts", headers=bearer(app, user), json={"family_name": "山田"}
    )
    assert response.status_code == 201
    assert "Set-Cookie" not in response.headers
