"""文书模板: a committee admin downloads a kind's default, edits it, uploads it for a
year; it is checked first (unknown fields by name, broken templates, no .docx: nothing
stored), kept with its history, and the branches below use the latest of their year."""

import io
import typing

import pytest
from docx import Document

from kaoping.audit.models import AuditEvent
from kaoping.documents.api import KindSlug
from kaoping.documents.default_templates import registration_form
from kaoping.documents.kinds import KINDS, REGISTRATION_FORM
from kaoping.documents.models import DocumentTemplate
from kaoping.documents.rendering import template_fields
from kaoping.documents.tests.test_registration_form import PAGE, text_of
from kaoping.testing.api import bearer, session

pytestmark = pytest.mark.django_db

TEMPLATES = "/documents/templates/"


def edited(extra: str) -> bytes:
    """The default template with one more paragraph (as someone edits it in Word)."""
    document = Document(io.BytesIO(registration_form()))
    document.add_paragraph(extra)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client, content: bytes, *, year: int = 2026, name: str = "登记表.docx"):
    file = io.BytesIO(content)
    file.name = name
    body = {"organization": "P1", "kind": "registration-form", "year": year, "file": file}
    return client.post(TEMPLATES, body)


def test_the_page_lists_each_kind_with_its_fields_and_default(district):
    page = session(district.admin).get(TEMPLATES).content.decode()
    assert "民主评议党员登记表" in page and "{{ member_name }}" in page
    default = session(district.admin).get("/documents/templates/registration-form/default.docx")
    assert default.status_code == 200
    assert template_fields(default.content) == set(REGISTRATION_FORM.fields)
    for user in (district.sec1, district.member1, district.supervisor):
        assert session(user).get(TEMPLATES).status_code == 404


def test_an_uploaded_template_is_used_for_its_year_and_kept_with_its_history(district):
    admin = session(district.admin)
    assert upload(admin, edited("第一版 {{ member_name }}")).status_code == 302
    assert "第一版 张三" in text_of(session(district.member1).get(PAGE).content)
    assert upload(admin, edited("第二版 {{ member_name }}")).status_code == 302
    text = text_of(session(district.member1).get(PAGE).content)
    assert "第二版 张三" in text and "第一版" not in text  # the latest counts
    assert DocumentTemplate.objects.count() == 2  # the first is history
    page = admin.get(TEMPLATES).content.decode()
    assert page.count("登记表.docx") == 2
    first = DocumentTemplate.objects.order_by("id").first()
    old = admin.get(f"/documents/templates/{first.pk}/file.docx")
    assert "第一版" in text_of(old.content)
    assert AuditEvent.objects.filter(action="document_template.upload").count() == 2
    # Another year keeps the default.
    other = "/members/M1/documents/2027/registration-form.docx"
    assert "第二版" not in text_of(session(district.member1).get(other).content)


@pytest.mark.parametrize(
    "content, name, message",
    [
        (
            edited("{{ salary }} {{ member_name }} {{ home_address }}"),
            "x.docx",
            "home_address、salary",
        ),
        (edited("{% if member_name %}没有结束"), "x.docx", "模板语法有误"),
        (b"not a zip at all", "x.docx", "这不是 Word 文档"),
        (registration_form(), "x.doc", "请上传 Word 文档（.docx）"),
    ],
    ids=["unknown-fields", "broken", "not-docx", "wrong-name"],
)
def test_a_bad_template_is_refused_with_the_reason_and_nothing_stored(
    district, content, name, message
):
    answer = upload(session(district.admin), content, name=name)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not DocumentTemplate.objects.exists()
    assert not AuditEvent.objects.filter(action="document_template.upload").exists()


def test_a_zip_that_unpacks_too_large_is_refused(district):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (31 * 1024 * 1024))
    answer = upload(session(district.admin), out.getvalue())
    assert answer.status_code == 400 and "解压后过大" in answer.content.decode()


def test_the_api_lists_uploads_downloads_and_refuses_like_the_page(district):
    api = bearer(district.admin)
    kinds = api.get("/api/document-kinds").json()
    assert [k["slug"] for k in kinds] == list(KINDS)
    assert set(kinds[0]["fields"]) == set(REGISTRATION_FORM.fields)
    default = api.get(kinds[0]["default_template"])
    assert default.status_code == 200

    def post(content):
        file = io.BytesIO(content)
        file.name = "api.docx"
        body = {"organization": "P1", "kind": "registration-form", "year": "2026", "file": file}
        return api.post("/api/document-templates", body)

    made = post(edited("接口版 {{ member_name }}"))
    assert made.status_code == 201, made.content
    row = made.json()
    assert row["organization"] == "P1" and row["uploaded_by"] == "admin"
    assert "接口版" in text_of(api.get(row["file"]).content)
    listed = api.get("/api/document-templates?year=2026").json()["items"]
    assert [r["id"] for r in listed] == [row["id"]]
    refused = post(edited("{{ salary }}"))
    assert refused.status_code == 422 and "salary" in refused.content.decode()
    assert DocumentTemplate.objects.count() == 1
    answer = bearer(district.sec1).post("/api/document-templates", {"organization": "P1"})
    assert answer.status_code in (404, 422)


def test_the_apis_kind_names_are_the_kinds():
    assert set(typing.get_args(KindSlug)) == set(KINDS)
