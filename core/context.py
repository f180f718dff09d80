"""Per-request context (request id, client IP) for the audit trail, set by RequestContextMiddleware."""
from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="")
client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
# A number of this process's own for each request (never from the client, unlike the request id): what is read
# "once per request" (core.workdays) is keyed by it. 0 outside a request.
request_serial: ContextVar[int] = ContextVar("request_serial", default=0)
