"""Group robots (群机器人): WeCom (企业微信) and DingTalk (钉钉) webhooks, markdown
messages. ``to`` is the robot's webhook; a DingTalk robot with 加签 has its secret."""

import base64
import hashlib
import hmac
import time
import urllib.parse

from .base import HttpAnswer, ProviderAnswer, json_post


def _errcode_answer(answer: HttpAnswer) -> ProviderAnswer:
    """Both robots answer ``{"errcode": 0, "errmsg": "ok"}`` on success."""
    data = answer.json()
    ok = answer.status == 200 and data is not None and data.get("errcode") == 0
    return ProviderAnswer(ok, f"HTTP {answer.status} {answer.text}")


class WeComRobot:
    """企业微信群机器人: POST ``{"msgtype": "markdown", "markdown": {"content": …}}``."""

    def send(self, to: str, subject: str, body: str) -> ProviderAnswer:
        content = f"**{subject}**\n{body}"
        return _errcode_answer(
            json_post(to, {"msgtype": "markdown", "markdown": {"content": content}})
        )


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: base64 of HMAC-SHA256(secret, "timestamp\\nsecret"), url-encoded."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


class DingTalkRobot:
    """钉钉群机器人: POST ``{"msgtype": "markdown", "markdown": {"title", "text"}}``, with
    ``&timestamp=…&sign=…`` appended to the webhook when the robot has a secret."""

    def __init__(self, secret: str = ""):
        self.secret = secret

    def url(self, webhook: str, now_ms: int | None = None) -> str:
        if not self.secret:
            return webhook
        timestamp = now_ms if now_ms is not None else int(time.time() * 1000)
        sign = dingtalk_sign(self.secret, timestamp)
        joiner = "&" if "?" in webhook else "?"
        return f"{webhook}{joiner}timestamp={timestamp}&sign={sign}"

    def send(self, to: str, subject: str, body: str) -> ProviderAnswer:
        payload = {"msgtype": "markdown", "markdown": {"title": subject, "text": body}}
        return _errcode_answer(json_post(self.url(to), payload))
