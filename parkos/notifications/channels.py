"""How one delivery goes out: an e-mail through Django's mail settings, or a signed POST to a webhook.

The work-chat robots each sign their own way:

- WeCom (企业微信) group robot: the key is part of its URL; no signature;
- DingTalk (钉钉) robot: ``timestamp`` (ms) and ``sign`` = base64(HMAC-SHA256(secret, "timestamp\\nsecret"))
  added to the URL's query;
- Feishu (飞书) robot: ``timestamp`` (s) and ``sign`` = base64(HMAC-SHA256(key="timestamp\\nsecret", msg=""))
  in the JSON body;
- the generic JSON webhook: ``X-ParkOS-Timestamp`` and ``X-ParkOS-Signature: sha256=<hex>``, the HMAC-SHA256
  of "timestamp.body" with the endpoint's secret (see docs/operations.md to check it).

A robot answering HTTP 200 with an error code in its JSON (``errcode`` / ``code`` not 0) failed too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from parkos.notifications.models import Channel, Delivery, Event, WebhookKind

TIMEOUT_SECONDS = 10


class DeliveryError(Exception):
    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


def absolute(url: str) -> str:
    return f"{settings.PARKOS_BASE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def text_of(event: Event) -> tuple[str, str]:
    """The subject and body of a message about ``event``, in the active language."""
    subject = f"{event.get_kind_display()}: {event.title}"
    lines = [subject]
    if event.detail:
        lines.append(event.detail)
    if event.url:
        lines.append(absolute(event.url))
    return subject, "\n".join(lines)


def send(delivery: Delivery) -> int | None:
    """Send ``delivery`` once; its response code (None for e-mail), or DeliveryError."""
    if delivery.channel == Channel.EMAIL:
        return _send_email(delivery)
    return _send_webhook(delivery)


def _send_email(delivery: Delivery) -> None:
    subject, body = text_of(delivery.event)
    footer = _("You receive this because of your notification settings in ParkOS.")
    message = EmailMessage(f"[ParkOS] {subject}", f"{body}\n\n{footer}", None, [delivery.target])
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        code = getattr(exc, "smtp_code", None)
        raise DeliveryError(f"{type(exc).__name__}: {exc}", code if isinstance(code, int) else None) from exc
    return None


def sign_dingtalk(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def sign_feishu(secret: str, timestamp_s: int) -> str:
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def sign_generic(secret: str, timestamp_s: int, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), f"{timestamp_s}.".encode() + body, hashlib.sha256).hexdigest()


def webhook_request(delivery: Delivery, now: float | None = None) -> tuple[str, bytes, dict[str, str]]:
    """The URL, body and headers of a webhook delivery, signed as its kind wants."""
    endpoint = delivery.endpoint
    assert endpoint is not None
    event = delivery.event
    _subject, text = text_of(event)
    now = time.time() if now is None else now
    url, headers = endpoint.url, {"Content-Type": "application/json; charset=utf-8"}
    payload: dict[str, Any]
    if endpoint.kind == WebhookKind.WECOM:
        payload = {"msgtype": "text", "text": {"content": text}}
    elif endpoint.kind == WebhookKind.DINGTALK:
        payload = {"msgtype": "text", "text": {"content": text}}
        if endpoint.secret:
            stamp = int(now * 1000)
            query = urllib.parse.urlencode({"timestamp": stamp, "sign": sign_dingtalk(endpoint.secret, stamp)})
            url = f"{url}{'&' if '?' in url else '?'}{query}"
    elif endpoint.kind == WebhookKind.FEISHU:
        payload = {"msg_type": "text", "content": {"text": text}}
        if endpoint.secret:
            stamp = int(now)
            payload = {"timestamp": str(stamp), "sign": sign_feishu(endpoint.secret, stamp), **payload}
    else:
        payload = {
            "delivery": delivery.pk,
            "event": event.pk,
            "kind": event.kind,
            "kind_label": str(event.get_kind_display()),
            "object": {"type": event.content_type.model, "app": event.content_type.app_label, "id": event.object_id},
            "title": event.title,
            "detail": event.detail,
            "url": absolute(event.url) if event.url else "",
            "created": event.created.isoformat(),
        }
    body = json.dumps(payload, ensure_ascii=False).encode()
    if endpoint.kind == WebhookKind.GENERIC:
        stamp = int(now)
        headers["X-ParkOS-Event"] = event.kind
        headers["X-ParkOS-Timestamp"] = str(stamp)
        if endpoint.secret:
            headers["X-ParkOS-Signature"] = sign_generic(endpoint.secret, stamp, body)
    return url, body, headers


def _send_webhook(delivery: Delivery) -> int:
    url, body, headers = webhook_request(delivery)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (an admin's URL)
            code, answer = int(response.status), response.read(4096)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}: {exc.read(500).decode(errors='replace')}", exc.code) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
    try:
        data = json.loads(answer or b"{}")
    except ValueError:
        data = {}
    if isinstance(data, dict):
        error = data.get("errcode", data.get("code", 0))
        if error not in (0, None, "0"):
            raise DeliveryError(f"{error}: {data.get('errmsg') or data.get('msg') or ''}", code)
    return code
