"""The menu each role sees, assembled on the top floor from every app's `<app>/navigation.py: ENTRIES`
(core.navigation.Entry), and the context processor that puts it on every page."""
from functools import lru_cache
from html import escape

from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from accounts.scope import role_may
from core.navigation import GROUPS, Entry
from core.registry import collect
from jiuzhu.search_views import may_search


@lru_cache(maxsize=1)
def _entries() -> tuple[Entry, ...]:
    """Collected once per process: the apps and their ENTRIES do not change while it runs."""
    return tuple(entry for entries in collect("navigation", "ENTRIES") for entry in entries)


@lru_cache(maxsize=64)
def _menu(role: str | None) -> tuple[tuple[str, str, str], ...]:
    """(label, url, group) of the entries a role may open (None: a deactivated account, which takes no action),
    in menu order, home first. Built once per role per process: the entries, the roles' actions and the URLs do
    not change while it runs (measured in bench/README.md)."""
    items, seen = [("首页", reverse("home"), "")], {"home"}
    rank = {g: i for i, g in enumerate(GROUPS)}
    for entry in sorted(_entries(), key=lambda e: (rank.get(e.group, len(GROUPS)), e.order)):
        wanted = (entry.action,) if entry.action else entry.actions
        if entry.url_name in seen or (wanted and not any(role is not None and role_may(role, a) for a in wanted)):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        seen.add(entry.url_name)
        items.append((entry.label, url, entry.group))
    return tuple(items)


def menu_for(user, path: str) -> list[dict]:
    home, *rest = _menu(user.role if user.is_active else None)
    return [{"label": home[0], "url": home[1], "active": path == home[1], "group": home[2]},
            *({"label": label, "url": url, "active": path.startswith(url), "group": group}
              for label, url, group in rest)]


def menu_html(items: list[dict]) -> SafeString:
    """The sidebar's items, built in Python once per page instead of a template loop over ~25 entries."""
    parts, group = [], ""
    for item in items:
        if item["group"] != group:
            group = item["group"]
            if group:
                parts.append(f'<li class="nav-group">{escape(group)}</li>')
        current = ' class="active" aria-current="page"' if item["active"] else ""
        parts.append(f'<li><a href="{escape(item["url"])}"{current}>{escape(item["label"])}</a></li>')
    return mark_safe("".join(parts))  # noqa: S308 - every label, group and URL escaped above


def navigation(request):
    """Context processor (settings TEMPLATES): the menu of the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = menu_for(user, request.path)
    return {"nav_items": items, "nav_html": menu_html(items), "can_search": may_search(user)}
