"""The one interface of every channel, and the HTTP post the robots and gateways share
(the standard library's ``urllib.request``: a timeout and a bounded read)."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

from kaoping.delivery.models import ANSWER_MAX

TIMEOUT = 10  # seconds for one request
READ_MAX = 64 * 1024  # bytes of an answer read at most


@dataclass(frozen=True)
class ProviderAnswer:
    """What a provider said: sent or not, and its answer as text (bounded)."""

    ok: bool
    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", self.text[:ANSWER_MAX])


class Channel(Protocol):
    def send(self, to: str, subject: str, body: str) -> ProviderAnswer: ...


@dataclass(frozen=True)
class HttpAnswer:
    status: int  # 0: no answer (the network failed)
    text: str

    def json(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.text)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None


def http_post(url: str, body: bytes, content_type: str) -> HttpAnswer:
    """POST ``body`` to ``url``; any failure is an answer (status 0 for no answer)."""
    if not url.startswith(("https://", "http://")):
        return HttpAnswer(0, "not an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, data=body, method="POST", headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            raw = response.read(READ_MAX)
            status = response.status
    except urllib.error.HTTPError as error:
        raw, status = error.read(READ_MAX), error.code
    except (OSError, ValueError) as error:
        return HttpAnswer(0, f"{type(error).__name__}: {error}")
    return HttpAnswer(status, raw.decode("utf-8", "replace"))


def json_post(url: str, payload: dict[str, Any]) -> HttpAnswer:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return http_post(url, body, "application/json; charset=utf-8")
