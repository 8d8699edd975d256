"""党员考评结果公示 as a Word file (the committee's template or the default, one row per
member) and as the print page rendered on the server into an archival PDF; to those the
publication is for, and only once published."""

import pytest

from kaoping.documents.default_templates import results_notice
from kaoping.documents.kinds import RESULTS_NOTICE
from kaoping.documents.rendering import template_fields
from kaoping.documents.tests.test_registration_form import evaluated, pdf_text_and_fonts, text_of
from kaoping.scoring.models import MemberResult
from kaoping.testing.api import bearer, session

pytestmark = pytest.mark.django_db

PAGE = "/branches/B1/documents/2026/results-notice.docx"
API = "/api/branches/B1/documents/2026/results-notice"


def test_the_default_template_uses_exactly_the_kinds_fields():
    assert template_fields(results_notice()) == set(RESULTS_NOTICE.fields)


def test_the_notice_lists_every_published_member_with_grade(district):
    evaluated(district)
    answer = session(district.member1).get(PAGE)
    assert answer.status_code == 200
    text = text_of(answer.content)
    assert "第一党支部 2026 年度党员考评结果公示" in text
    results = MemberResult.objects.filter(year=2026, branch=district.b1).select_related("member")
    assert results.count() == 8
    for result in results:
        assert result.member.name in text
    assert "优秀共产党员" in text and "{%tr" not in text
    assert "王五" not in text  # another branch's member


def test_the_pdf_is_the_print_page_rendered_on_the_server(district):
    evaluated(district)
    answer = session(district.sec1).get(PAGE.replace(".docx", ".pdf"))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text, fonts = pdf_text_and_fonts(answer.content)
    assert "年度党员考评结果公示" in text and "张三" in text
    assert "如有异议，请在公示期内通过系统提出申诉。" in text
    assert fonts and all(embedded for _name, embedded in fonts)


def test_before_publication_there_is_no_notice(district):
    evaluated(district, publish=False)
    assert session(district.sec1).get(PAGE).status_code == 404
    assert bearer(district.sec1).get(API).status_code == 404


@pytest.mark.parametrize(
    "user, status",
    [("member1", 200), ("member2", 404), ("sec1", 200), ("sec2", 404), ("admin", 200)],
)
def test_who_may_download_it(district, user, status):
    evaluated(district)
    person = getattr(district, user)
    assert session(person).get(PAGE).status_code == status
    assert bearer(person).get(API + "?format=pdf").status_code == status


def test_rendering_reads_only_the_projects_static_files():
    from kaoping.documents.pdf import BASE_URL, StaticOnlyFetcher

    fetcher = StaticOnlyFetcher(allowed_protocols={"data", "https"})
    css = fetcher.fetch(BASE_URL + "static/publication/print.css")
    assert css.content_type == "text/css" and css.read()
    for url in (
        "https://example.org/static/publication/print.css",  # another host
        BASE_URL + "media/evidence/x.pdf",  # not a static file
        BASE_URL + "static/../config/settings/base.py",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
