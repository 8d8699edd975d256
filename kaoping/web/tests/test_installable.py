"""The installable web app (issue 19): a manifest with icons, a service worker that caches
the shell only, and an offline page, all open to every visitor and without personal data."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from kaoping.accounts.selectors import MUST_CHANGE_KEY

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_app_and_its_icons(client):
    response = client.get(reverse("web:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "党员日常管理量化考评" and data["short_name"] == "考评"
    assert data["display"] == "standalone" and data["start_url"] == "/"
    sizes = {(i["sizes"], i["purpose"]) for i in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_the_worker_caches_the_shell_and_never_a_page_with_data(client, district):
    client.force_login(district.sec1)
    response = client.get(reverse("web:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert "/static/web/kaoping.css" in body and reverse("web:offline") in body
    assert "sec1" not in body and "csrf" not in body.lower()
    assert 'request.mode === "navigate"' in body  # pages: network, else the offline page


def test_the_offline_page_has_no_personal_data(client, district):
    client.force_login(district.member1)
    html = client.get(reverse("web:offline")).content.decode()
    assert "网络未连接" in html
    assert "member1" not in html and "张三" not in html and "csrfmiddlewaretoken" not in html


def test_the_app_files_are_open_to_a_person_who_must_change_the_password(client, district):
    client.force_login(district.member1)
    session = client.session
    session[MUST_CHANGE_KEY] = True
    session.save()
    assert client.get(reverse("web:me")).status_code == 302
    for name in ("web:manifest", "web:service_worker", "web:offline"):
        assert client.get(reverse(name)).status_code == 200, name


def test_every_page_links_the_manifest(client, district):
    client.force_login(district.member1)
    html = client.get(reverse("web:me")).content.decode()
    assert f'<link rel="manifest" href="{reverse("web:manifest")}">' in html
