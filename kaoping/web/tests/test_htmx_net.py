"""The net under every view (``kaoping.kit.answers.HtmxAnswerMiddleware``, issue 15 item 18):
what htmx swaps into a target is never a whole page. Apart from ``test_page_answers.py``,
whose module-wide matrix data would clash with the ``district`` fixture."""

import pytest
from django.urls import reverse

from kaoping.evaluation.services import round_open


@pytest.mark.django_db
def test_a_redirect_answered_to_htmx_becomes_hx_redirect(client, district):
    """Any view's redirect, asked by htmx, tells the browser to go (``HX-Redirect``)
    instead of a 302 that the XHR would follow into the target; a boosted request, which
    swaps the whole body, keeps its redirect."""
    round_open(actor=district.sec1, branch=district.b1, year=2026)
    client.force_login(district.sec1)
    # a view that answers with a plain redirect (django.shortcuts.redirect)
    url = reverse("evaluation:round_action", args=["B1", 2026, "advance"])
    body = {"confirm": "1"}  # past the confirmation step (item 14)
    answer = client.post(url, body, headers={"HX-Request": "true"})
    assert answer.status_code == 200 and not answer.has_header("Location")
    assert answer["HX-Redirect"] == reverse("evaluation:round", args=["B1", 2026])
    boosted = client.post(url, body, headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert boosted.status_code == 302 and not boosted.has_header("HX-Redirect")


@pytest.mark.django_db
def test_a_whole_page_answered_to_htmx_goes_to_the_body(client, district):
    """The last net: a whole page asked by htmx replaces the body, not the target."""
    client.force_login(district.sec1)
    answer = client.get(reverse("jobs:list"), headers={"HX-Request": "true"})
    assert answer["HX-Retarget"] == "body" and answer["HX-Reswap"] == "innerHTML"
    plain = client.get(reverse("jobs:list"))
    assert not plain.has_header("HX-Retarget")
