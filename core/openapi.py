"""The API's refusals in the OpenAPI document (issue #15): every operation may answer 401 (no or expired
token), 403 (a reader refused a write, with a Chinese reason) and 404 (absent, out of reach or a role that
may not: nobody learns what exists); writes may answer 400 with field messages. A drf-spectacular
postprocessing hook adds them where a view did not document them itself."""
from __future__ import annotations

DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
# 400: {"field": ["message", …]} or {"detail": [...]} or {"field": {"nested": [...]}}.
FIELD_ERRORS = {"type": "object", "additionalProperties": True}

REFUSALS = {
    "401": ("未登录或令牌无效、已过期", DETAIL),
    "403": ("无权进行此操作（原因见 detail）", DETAIL),
    "404": ("未找到（不存在、不在管辖范围内或角色无权访问）", DETAIL),
}
WRITE_REFUSALS = {"400": ("请求内容有误（逐字段说明）", FIELD_ERRORS)}


def _response(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_refusals(result, generator, request, public):
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            extra = dict(REFUSALS)
            if method in ("post", "put", "patch") or operation.get("parameters"):
                extra.update(WRITE_REFUSALS)  # bad bodies, and bad query values (a filter's choice)
            for code, (description, schema) in extra.items():
                responses.setdefault(code, _response(description, schema))
    return result
