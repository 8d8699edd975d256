"""Free text a user can type is shown escaped on every page: an HTML payload in the access
matrix's data set (entry note, meeting topic and place, leave reason, task title and
submission, claim, supervision group, inspection findings and evidence, appeal), in a
member's name, an organisation's name and a self-evaluation; every GET page of the matrix
is read as the committee admin, B1's secretary and B1's member."""

import pytest
from django.db import transaction
from django.urls import reverse

from kaoping.evaluation.models import EvaluationRound
from kaoping.evaluation.services import self_evaluation_save
from kaoping.orgs.services import organization_upsert
from kaoping.testing.factories import MemberFactory

from .matrix_data import B2_MARK, build, module_transaction
from .test_access_matrix import PAGES, _args, _body, _client

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
RAW = ("<script>alert", "<img src=x")
ESCAPED = "&lt;script&gt;alert"


@pytest.fixture(scope="module")
def payload_data(django_db_setup, django_db_blocker, tmp_path_factory):
    with module_transaction(django_db_blocker, tmp_path_factory.mktemp("escaping-media")):
        data = build(b1_mark=PAYLOAD, b2_mark=B2_MARK)
        d = data.d
        MemberFactory(code="M1X", name=f"王{PAYLOAD}", branch=d.b1)
        organization_upsert(
            actor=None, code="B1", name=f"第一{PAYLOAD}", kind=d.b1.kind, parent=d.p1
        )
        self_evaluation_save(
            actor=d.member1,
            round_=EvaluationRound.objects.get(branch=d.b1),
            problems=PAYLOAD,
            causes=PAYLOAD,
            measures=PAYLOAD,
            submit=True,
        )
        for role in ("admin", "secretary", "member"):
            _client(data, role)
        yield data


GET_PAGES = sorted(
    row.target
    for row in PAGES.values()
    if row.method == "GET" and not row.statuses.split()[3].startswith("405")
)


@pytest.mark.django_db
@pytest.mark.parametrize("name", GET_PAGES)
def test_free_text_is_escaped(name, payload_data):
    url = reverse(name, kwargs=_args(PAGES[f"GET {name}"].args, payload_data.b1))
    for role in ("admin", "secretary", "member"):
        with transaction.atomic():
            response = _client(payload_data, role).get(url)
            body = _body(response)
            transaction.set_rollback(True)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue  # spreadsheets and files hold the text as data, not markup
        for raw in RAW:
            assert raw not in body, f"{role} GET {url}: the payload is shown unescaped"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("secretary", "/branches/B1/"),  # member and organisation names
        ("member", "/me/"),  # entry note
        ("secretary", "/meetings/{meeting}/"),  # topic, place, leave reason
        ("secretary", "/tasks/{task}/"),  # title, submission
        ("secretary", "/claims/{claim}/"),  # description
        ("admin", "/supervision/inspections/{inspection}/"),  # findings, evidence
        ("secretary", "/appeals/{appeal}/answer/"),  # reasons
        ("secretary", "/eval/B1/2026/"),  # self-evaluation
        ("admin", "/audit/"),  # the audit trail's before/after
    ],
)
def test_the_payload_is_shown_escaped_where_it_belongs(role, url, payload_data):
    """The check above is not vacuous: the pages do show the payload, escaped."""
    s = payload_data.b1
    url = url.format(
        meeting=s.meeting, task=s.task, claim=s.claim, inspection=s.inspection, appeal=s.appeal
    )
    with transaction.atomic():
        response = _client(payload_data, role).get(url)
        body = _body(response)
        transaction.set_rollback(True)
    assert response.status_code == 200
    assert ESCAPED in body and not any(raw in body for raw in RAW)
