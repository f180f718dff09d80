"""Per-request context (request id, client IP) for the audit trail, set by RequestContextMiddleware."""
from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="")
client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
