"""One error shape for every API error (docs/api.md "Errors"): ``code``, ``detail`` in the
request's language (``Accept-Language``; Chinese by default), ``errors`` per field; and
``ErrorOut`` documented as the answer of every error status of every operation."""

import pytest
from django.test import Client

from kaoping.api.api import api

pytestmark = pytest.mark.django_db

SHAPE = {"code", "detail", "errors"}


@pytest.mark.parametrize(
    ("language", "detail"),
    [(None, "找不到这名党员。"), ("zh-hans", "找不到这名党员。"), ("en", "Member not found.")],
)
def test_a_404_names_its_code_in_the_requested_language(as_user, language, detail):
    headers = {"Accept-Language": language} if language else {}
    response = as_user("sec1").get("/api/members/NOPE", headers=headers)
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": detail, "errors": {}}


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("zh-hans", "请先登录，或提供有效的 API 令牌。"),
        ("en-US,en;q=0.8", "Sign in, or send a valid API token."),
    ],
)
def test_unauthenticated_is_401_not_authenticated(language, detail):
    response = Client().get("/api/members", headers={"Accept-Language": language})
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "detail": detail, "errors": {}}


def test_a_validation_error_keeps_its_fields_in_english_too(as_user):
    client = as_user("sec1")
    zh = client.get("/api/members?limit=0").json()
    en = client.get("/api/members?limit=0", headers={"Accept-Language": "en"}).json()
    assert zh["code"] == en["code"] == "validation_error"
    assert set(zh) == set(en) == SHAPE and "limit" in zh["errors"]


def test_a_service_refusal_is_translated(as_user, district):
    body = {"member": "M1", "item": "D01", "date": "2026-03-05", "note": "x"}
    client = as_user("member1")
    zh = client.post("/api/years/2026/entries", body, content_type="application/json")
    en = client.post(
        "/api/years/2026/entries",
        body,
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert zh.status_code == en.status_code
    assert zh.json()["code"] == en.json()["code"]
    assert zh.json()["detail"] != en.json()["detail"]


def test_a_body_that_is_not_json_is_400_bad_request(as_user):
    response = as_user("sec1").post(
        "/api/years/2026/entries",
        "{",
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "bad_request",
        "detail": "The request body is not valid JSON.",
        "errors": {},
    }


def test_an_unknown_api_path_is_404_in_the_shape(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found" and set(response.json()) == SHAPE


def test_every_error_status_of_every_operation_is_documented_as_error_out():
    schema = api.get_openapi_schema(path_prefix="")
    assert set(schema["components"]["schemas"]["ErrorOut"]["required"]) == {"code", "detail"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            statuses = {int(s) for s in operation["responses"]}
            assert {401, 429, 500} <= statuses, (method, path)
            if method != "get":
                assert {400, 403, 409, 422} <= statuses, (method, path)
            for status, answer in operation["responses"].items():
                if int(status) >= 400:
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/ErrorOut", (method, path, status)
