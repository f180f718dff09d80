"""The menu each role sees, assembled on the top floor from every app's `<app>/navigation.py: ENTRIES`
(core.navigation.Entry), and the context processor that puts it on every page."""
from functools import lru_cache

from django.urls import NoReverseMatch, reverse

from accounts.scope import can
from core.navigation import GROUPS, Entry
from core.registry import collect
from jiuzhu.search_views import may_search


@lru_cache(maxsize=1)
def _entries() -> tuple[Entry, ...]:
    """Collected once per process: the apps and their ENTRIES do not change while it runs."""
    return tuple(entry for entries in collect("navigation", "ENTRIES") for entry in entries)


def menu_for(user, path: str) -> list[dict]:
    items, seen = [{"label": "首页", "url": reverse("home"), "active": path == "/", "group": ""}], {"home"}
    rank = {g: i for i, g in enumerate(GROUPS)}
    for entry in sorted(_entries(), key=lambda e: (rank.get(e.group, len(GROUPS)), e.order)):
        wanted = (entry.action,) if entry.action else entry.actions
        if entry.url_name in seen or (wanted and not any(can(user, a) for a in wanted)):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        seen.add(entry.url_name)
        items.append({"label": entry.label, "url": url, "active": path.startswith(url), "group": entry.group})
    return items


def navigation(request):
    """Context processor (settings TEMPLATES): the menu of the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": menu_for(user, request.path), "can_search": may_search(user)}
