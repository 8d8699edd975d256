"""Paper ballot counts imported from a spreadsheet: the template lists the candidates; a
bad row changes nothing; a good sheet is this officer's independent entry."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaoping.evaluation.models import EvaluationRound, PaperTallyEntry
from kaoping.evaluation.selectors import paper_tally_status
from kaoping.evaluation.services import paper_tally_enter
from kaoping.evaluation.tests.support import round_at_vote
from kaoping.jobs.models import JobRun
from kaoping.testing.sheets import paper_filled

pytestmark = pytest.mark.django_db


def filled(template: bytes, counts: dict[str, list]) -> io.BytesIO:
    out = io.BytesIO(paper_filled(template, counts))
    out.name = "paper.xlsx"
    return out


def test_paper_counts_import_with_preview_and_job(client, district):
    d = district
    round_ = round_at_vote(d, method=EvaluationRound.VoteMethod.PAPER)
    paper_tally_enter(
        actor=d.admin,
        round_=round_,
        counts={"M1": {"excellent": 2, "qualified": 1}, "M1B": {"qualified": 3}},
    )
    client.force_login(d.sec1)
    page = client.get(reverse("evaluation:paper_tally", args=["B1", 2026]))
    assert reverse("evaluation:paper_import", args=["B1", 2026]) in page.content.decode()
    template = client.get(reverse("evaluation:paper_template", args=["B1", 2026])).content
    sheet = load_workbook(io.BytesIO(template)).active
    assert [c.value for c in sheet[1]] == ["党员编号", "姓名", "优秀", "合格", "基本合格", "不合格"]
    assert [(r[0].value, r[1].value) for r in sheet.iter_rows(min_row=2)] == [
        ("M1", "张三"),
        ("M1B", "李四"),
    ]
    url = reverse("evaluation:paper_import", args=["B1", 2026])
    bad = client.post(url, {"file": filled(template, {"M1": [2, 1, 0, 0], "M1B": [0, "三", 0]})})
    assert bad.status_code == 400
    assert [(e.row, e.column) for e in bad.context["errors"]] == [(3, "合格"), (3, "不合格")]
    assert PaperTallyEntry.objects.filter(entered_by=d.sec1).count() == 0
    good = client.post(url, {"file": filled(template, {"M1": [2, 1, 0, 0], "M1B": [0, 3, 0, 0]})})
    assert good.status_code == 200
    done = client.post(
        reverse("evaluation:paper_import_confirm", args=["B1", 2026]),
        {"token": good.context["token"]},
        follow=True,
    )
    job = JobRun.objects.get(kind="paper_tally.import")
    assert job.state == "done" and job.organization == d.b1
    assert "已保存您录入的票数" in done.content.decode()
    mine = PaperTallyEntry.objects.get(entered_by=d.sec1)
    assert mine.counts["M1"] == {"excellent": 2, "qualified": 1, "basic": 0, "unqualified": 0}
    assert paper_tally_status(round_) == ("match", [])


def test_paper_import_refuses_strangers_and_online_rounds(client, district):
    d = district
    round_at_vote(d)  # online
    client.force_login(d.sec1)
    template = client.get(reverse("evaluation:paper_template", args=["B1", 2026])).content
    bad = client.post(
        reverse("evaluation:paper_import", args=["B1", 2026]),
        {"file": filled(template, {"M1": [1, 0, 0, 0], "M1B": [0, 1, 0, 0]})},
    )
    assert bad.status_code == 400
    assert [(e.row, e.message) for e in bad.context["errors"]] == [(1, "本支部采用网上投票。")]
    client.force_login(d.sec2)
    assert client.get(reverse("evaluation:paper_template", args=["B1", 2026])).status_code == 404
