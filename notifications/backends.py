"""SMS gateways. `settings.JIUZHU_SMS_BACKEND` names the class (dotted path); the default stores the message
and shows it in the outbox page (nothing leaves the building), the HTTP backend posts to a provider's API."""
from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT = "notifications.backends.DatabaseBackend"


class SendError(Exception):
    """The gateway refused or could not be reached; the message stays in the outbox and is retried."""


@dataclass
class Result:
    gateway_id: str = ""


class SmsBackend:
    name = "base"

    def send(self, *, phone: str, body: str) -> Result:
        raise NotImplementedError


class DatabaseBackend(SmsBackend):
    """Development and trial systems: the outbox row is the message; caseworkers read it on the page."""

    name = "database"

    def send(self, *, phone: str, body: str) -> Result:
        return Result("")


class HttpBackend(SmsBackend):
    """A provider's HTTP API: POST JSON {"phone", "content", "sign"} with a bearer token; 2xx with {"id"} is
    sent. Settings: JIUZHU_SMS_URL, JIUZHU_SMS_TOKEN, JIUZHU_SMS_SIGN (the registered signature)."""

    name = "http"
    timeout = 10

    def send(self, *, phone: str, body: str) -> Result:
        url = getattr(settings, "JIUZHU_SMS_URL", "")
        if not url.startswith("https://") and not getattr(settings, "DEBUG", False):
            raise SendError("短信网关地址未配置或不是 https")
        payload = json.dumps({"phone": phone, "content": body,
                              "sign": getattr(settings, "JIUZHU_SMS_SIGN", "")}).encode()
        request = urllib.request.Request(url, data=payload, method="POST", headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {getattr(settings, 'JIUZHU_SMS_TOKEN', '')}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (https checked)
                data = json.loads(response.read() or b"{}")
        except (OSError, ValueError) as exc:
            raise SendError(f"短信网关不可用：{type(exc).__name__}") from None
        return Result(str(data.get("id", ""))[:64])


def get_backend() -> SmsBackend:
    return import_string(getattr(settings, "JIUZHU_SMS_BACKEND", "") or DEFAULT)()
