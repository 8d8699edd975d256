"""The OpenAPI document is complete: every request body, successful answer, parameter,
schema and error answer has an example, and every example is one the schema accepts."""

import pytest
from django.test import Client
from jsonschema import Draft202012Validator

from kaoping.api.errors import CODE_OF_STATUS
from kaoping.testing.factories import MemberFactory

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _check(document: dict, schema: dict, value, where: str) -> None:
    # The schema is checked inside the whole document, so its $refs resolve.
    validator = Draft202012Validator(
        {**schema, "components": document["components"]},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    problems = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(value)]
    assert not problems, f"{where}: the example is not valid: {problems}"


def _operations(document: dict):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", method, operation


def test_every_request_body_has_a_valid_example(document):
    bodies = 0
    for where, _method, operation in _operations(document):
        for kind, media in operation.get("requestBody", {}).get("content", {}).items():
            assert "example" in media, f"{where} ({kind}) has no request example"
            _check(document, media["schema"], media["example"], f"{where} request")
            bodies += 1
    assert bodies > 80  # the writes of every workflow, not a handful


def test_every_successful_answer_has_a_valid_example(document):
    answers = 0
    for where, _method, operation in _operations(document):
        for status, response in operation["responses"].items():
            media = response.get("content", {}).get("application/json")
            if not str(status).startswith("2") or media is None:
                continue
            assert "example" in media, f"{where} {status} has no example"
            _check(document, media["schema"], media["example"], f"{where} {status}")
            answers += 1
    assert answers >= len(list(_operations(document))) - 10  # file downloads answer no JSON


def test_every_error_answer_has_examples_of_its_status(document):
    error_out = {"$ref": "#/components/schemas/ErrorOut"}
    for where, method, operation in _operations(document):
        statuses = {int(s) for s in operation["responses"] if not str(s).startswith("2")}
        assert {401, 429, 500} <= statuses, where
        if method in WRITES:
            assert {400, 403, 409, 422} <= statuses, where
        for status in statuses:
            media = operation["responses"][str(status)]["content"]["application/json"]
            assert media["schema"] == error_out, f"{where} {status}"
            examples = media["examples"]
            assert examples, f"{where} {status} has no error example"
            for name, example in examples.items():
                _check(document, error_out, example["value"], f"{where} {status} {name}")
                assert example["value"]["code"] == name
            assert CODE_OF_STATUS[status] in examples, f"{where} {status}"


def test_every_parameter_and_schema_has_a_valid_example(document):
    for where, _method, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            assert "example" in parameter, f"{where} {parameter['name']}"
            _check(document, parameter["schema"], parameter["example"], f"{where} {parameter}")
    for name, schema in document["components"]["schemas"].items():
        assert schema.get("examples"), f"{name} has no example"
        _check(document, {"$ref": f"#/components/schemas/{name}"}, schema["examples"][0], name)


def test_examples_read_as_the_domain(document):
    """Examples show what a user of the API meets: a member's code, a deduction as a
    decimal string, a Chinese message in an error."""
    entry = document["components"]["schemas"]["EntryOut"]["examples"][0]
    assert entry["member"] == "B01-007"
    assert entry["points"] == "-2.0"
    assert entry["date"] == "2026-07-01"
    error = document["components"]["schemas"]["ErrorOut"]["examples"][0]
    assert error["code"] == "validation_error"
    assert error["errors"]["date"] == ["日期不在本年度内。"]


def test_the_entry_example_is_accepted_by_the_api(document, district, as_user):
    """The request example is not only valid JSON Schema: recorded as it stands, for a
    member and item with the example's codes, it makes an entry."""
    MemberFactory(code="B01-007", name="张三", branch=district.b1)
    operation = document["paths"]["/api/years/{year}/entries"]["post"]
    example = operation["requestBody"]["content"]["application/json"]["example"]
    assert example["item"] in set(district.scheme.items.values_list("code", flat=True))
    response = as_user("sec1").post(
        "/api/years/2026/entries", example, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["member"] == "B01-007"
