def test_chinese_first_whatever_the_browser_asks(client, district):
    client.force_login(district.member1)
    page = client.get("/me/", headers={"accept-language": "en-US,en;q=0.9"})
    assert "我的考评" in page.content.decode() or "得分" in page.content.decode()
    client.cookies["django_language"] = "en"
    page = client.get("/me/", headers={"accept-language": "zh-CN"})
    assert "Score" in page.content.decode()
