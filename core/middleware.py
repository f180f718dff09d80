import itertools
import re
import uuid

from core import context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_serials = itertools.count(1)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        ip = request.META.get("REMOTE_ADDR") or None
        t1 = context.request_id.set(rid)
        t2 = context.client_ip.set(ip)
        t3 = context.request_serial.set(next(_serials))
        request.request_id = rid
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(t1)
            context.client_ip.reset(t2)
            context.request_serial.reset(t3)
        response["X-Request-ID"] = rid
        return response
