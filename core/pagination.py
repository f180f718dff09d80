from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE = 1_000_000  # × at most 200 rows: far past any table, far below a bigint OFFSET


class KeysetFriendlyPagination(PageNumberPagination):
    """Page numbers without a COUNT over the whole table: `next` exists when one more row does."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        try:
            self.page_number = max(1, int(request.query_params.get(self.page_query_param, 1)))
        except (TypeError, ValueError, OverflowError):
            self.page_number = 1
        # A page beyond MAX_PAGE is empty without asking the database (an OFFSET past bigint was a 500).
        self.page_number = min(self.page_number, MAX_PAGE + 1)
        offset = (self.page_number - 1) * size
        if self.page_number > MAX_PAGE:
            self.has_next, self.page_size_used = False, size
            return []
        rows = list(queryset[offset : offset + size + 1])
        self.has_next = len(rows) > size
        self.page_size_used = size
        return rows[:size]

    def get_paginated_response(self, data):
        url = self.request.build_absolute_uri()
        next_url = replace_query_param(url, self.page_query_param, self.page_number + 1) if self.has_next else None
        if self.page_number > 2:
            prev_url = replace_query_param(url, self.page_query_param, self.page_number - 1)
        elif self.page_number == 2:
            prev_url = remove_query_param(url, self.page_query_param)
        else:
            prev_url = None
        return Response({"next": next_url, "previous": prev_url, "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }


__all__ = ["KeysetFriendlyPagination", "CursorPagination"]
