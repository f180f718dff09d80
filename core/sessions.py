"""Session data never holds a full ID, card or phone number (issue #15: a rejected ID number was kept in the
session). Every string written to a session — flash messages included (MESSAGE_STORAGE is the session) —
passes the same scrubber as the logs (core.logging.scrub: the last four digits stay)."""
from __future__ import annotations

import json

from django.core.signing import JSONSerializer

from core.logging import scrub

KEEP = ("_auth_user_", "_csrftoken", "_session_")


def _scrubbed_text(value: str) -> str:
    """A string that holds JSON (the session message storage keeps its messages as one JSON string, with Chinese
    as \\uXXXX escapes) is scrubbed decoded and encoded again: the scrubber must never see, and break, an escape."""
    if value[:1] in ("[", "{"):
        try:
            decoded = json.loads(value)
        except ValueError:
            return scrub(value)
        return json.dumps(_scrubbed(decoded), separators=(",", ":"))
    return scrub(value)


def _scrubbed(value):
    if isinstance(value, str):
        return _scrubbed_text(value)
    if isinstance(value, dict):  # Django's own keys (the auth hash is hex that may hold digit runs) stay
        return {k: v if str(k).startswith(KEEP) else _scrubbed(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrubbed(v) for v in value]
    return value


class ScrubbingJSONSerializer(JSONSerializer):
    def dumps(self, obj):
        return super().dumps(_scrubbed(obj))
