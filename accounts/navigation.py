"""The menu each role sees. Each app lists its entries in `<app>/navigation.py: ENTRIES`, in menu order
within the app; an entry shows when the role may take its action."""
from dataclasses import dataclass
from functools import lru_cache

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    action: str | None = None
    actions: tuple = ()  # any of these (when several roles reach the page for different reasons)


@lru_cache(maxsize=1)
def _entries() -> tuple[Entry, ...]:
    """Collected once per process: the apps and their ENTRIES do not change while it runs."""
    from core.registry import collect

    return tuple(entry for entries in collect("navigation", "ENTRIES") for entry in entries)


def menu_for(user, path: str) -> list[dict]:
    from accounts.scope import can

    items, seen = [{"label": "首页", "url": reverse("home"), "active": path == "/"}], {"home"}
    for entry in _entries():
        wanted = (entry.action,) if entry.action else entry.actions
        if entry.url_name in seen or (wanted and not any(can(user, a) for a in wanted)):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        seen.add(entry.url_name)
        items.append({"label": entry.label, "url": url, "active": path.startswith(url)})
    return items
