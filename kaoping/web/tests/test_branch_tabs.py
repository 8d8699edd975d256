"""A branch's pages share one row of tabs (issue 19): the same eight links on each, the
current one marked, for everyone who reads the branch, and none for another branch."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _pages(year: int = 2026) -> dict[str, str]:
    return {
        "overview": reverse("web:branch", args=["B1"]),
        "meetings": reverse("meetings:branch", args=["B1"]),
        "dues": reverse("dues:branch", args=["B1"]),
        "tasks": reverse("tasks:branch", args=["B1"]),
        "claims": reverse("claims:branch", args=["B1"]),
        "evaluation": reverse("evaluation:round", args=["B1", year]),
        "publication": reverse("publication:branch", args=["B1", year]),
        "reports": reverse("dashboards:branch", args=["B1"]),
    }


def _tabs(html: str) -> list[tuple[str, bool]]:
    nav = re.search(r'<nav class="kp-tabs".*?</nav>', html, re.S).group(0)
    return [
        (href, current)
        for href, current in re.findall(r'href="([^"]+)"( aria-current="page")?', nav)
    ]


@pytest.mark.parametrize("username", ["sec1", "admin", "orgdept"])
def test_every_branch_page_has_the_same_tabs_with_its_own_marked(client, district, username):
    client.force_login(getattr(district, username))
    pages = _pages()
    for url in pages.values():
        response = client.get(url)
        assert response.status_code == 200, url
        tabs = _tabs(response.content.decode())
        assert [href.split("?")[0] for href, _ in tabs] == list(pages.values()), url
        assert [href for href, current in tabs if current] == [url], url


def test_each_tab_opens_for_whoever_reads_the_branch(client, district):
    client.force_login(district.sec1)
    html = client.get(_pages()["overview"]).content.decode()
    for href, _ in _tabs(html):
        assert client.get(href).status_code == 200, href
