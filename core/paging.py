"""Pages without COUNT(*): fetch one row more than the page to know whether there is a next page."""
from dataclasses import dataclass


@dataclass
class Page:
    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


MAX_PAGE = 1_000_000


def paginate(queryset, request, size: int = 50) -> Page:
    """`queryset`: a queryset, or a function (offset, limit) -> rows for rows read another way."""
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except (ValueError, OverflowError):
        number = 1
    if number > MAX_PAGE:  # an OFFSET past bigint was a 500; such a page is simply empty
        return Page(rows=[], number=number, has_next=False)
    offset = (number - 1) * size
    rows = queryset(offset, size + 1) if callable(queryset) else list(queryset[offset : offset + size + 1])
    return Page(rows=rows[:size], number=number, has_next=len(rows) > size)
