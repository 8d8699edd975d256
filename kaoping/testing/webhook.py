"""A loopback HTTP server for the tests that plays the WeCom and DingTalk robots and the
Aliyun SMS API: it records every request and checks the DingTalk and Aliyun signatures
itself (written from the providers' documentation, not with the code under test)."""

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Request:
    path: str
    query: dict[str, str]
    body: bytes
    content_type: str
    signature_ok: bool | None  # None: nothing to check on this path

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.body.decode(), keep_blank_values=True))


@dataclass
class Hooks:
    """``/wecom``, ``/dingtalk`` (with ``dingtalk_secret``), ``/sms`` (with ``sms_secret``);
    ``fail``: how many requests to answer with an error first."""

    base: str = ""
    dingtalk_secret: str = "SECtest-secret"  # noqa: S105 - the test server's own
    sms_secret: str = "test-access-secret"  # noqa: S105 - the test server's own
    fail: int = 0
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def of(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]


def _dingtalk_ok(query: dict[str, str], secret: str) -> bool:
    # https://open.dingtalk.com/document/robots/customize-robot-security-settings
    timestamp, sign = query.get("timestamp", ""), query.get("sign", "")
    mac = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    return bool(timestamp) and hmac.compare_digest(base64.b64encode(mac.digest()).decode(), sign)


def _aliyun_ok(form: dict[str, str], secret: str) -> bool:
    # https://help.aliyun.com/document_detail/315526.html (RPC signature, version 1.0)
    params = {k: v for k, v in form.items() if k != "Signature"}

    def enc(s: str) -> str:
        return urllib.parse.quote(s, safe="-_.~")

    query = "&".join(f"{enc(k)}={enc(params[k])}" for k in sorted(params))
    string_to_sign = "POST&%2F&" + enc(query)
    mac = hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1)
    expected = base64.b64encode(mac.digest()).decode()
    return params.get("SignatureMethod") == "HMAC-SHA1" and hmac.compare_digest(
        expected, form.get("Signature", "")
    )


def _handler(hooks: Hooks) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server name
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            request = Request(url.path, query, body, self.headers.get("Content-Type", ""), None)
            if url.path == "/dingtalk":
                request.signature_ok = _dingtalk_ok(query, hooks.dingtalk_secret)
            elif url.path == "/sms":
                request.signature_ok = _aliyun_ok(request.form(), hooks.sms_secret)
            with hooks.lock:
                hooks.requests.append(request)
                failing = hooks.fail > 0
                hooks.fail -= 1 if failing else 0
            if failing:
                self._answer(500, {"errcode": -1, "errmsg": "system busy", "Code": "isv.BUSY"})
            elif request.signature_ok is False:
                self._answer(
                    200,
                    {
                        "errcode": 310000,
                        "errmsg": "sign not match",
                        "Code": "SignatureDoesNotMatch",
                    },
                )
            else:
                self._answer(
                    200,
                    {
                        "errcode": 0,
                        "errmsg": "ok",
                        "Code": "OK",
                        "Message": "OK",
                        "BizId": "900619746936498440^0",
                    },
                )

        def _answer(self, status: int, data: dict) -> None:
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
            pass

    return Handler


@pytest.fixture
def webhooks() -> Iterator[Hooks]:
    hooks = Hooks()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hooks))
    hooks.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hooks
    finally:
        server.shutdown()
        server.server_close()
