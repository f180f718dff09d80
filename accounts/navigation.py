"""The menu each role sees. Each app lists its entries in `<app>/navigation.py: ENTRIES`, in menu order
within the app; an entry shows when the role may take its action."""
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    action: str | None = None
    actions: tuple = ()  # any of these (when several roles reach the page for different reasons)


def _entries() -> list[Entry]:
    from core.registry import collect

    return [entry for entries in collect("navigation", "ENTRIES") for entry in entries]


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


# The three administrators' menus (三权分立). Imported lazily by core.registry like every app's ENTRIES.
def _admin_entries() -> list[Entry]:
    from accounts.scope import Action

    return [
        Entry("用户管理", "accounts:user_list", Action.USERS_MANAGE),
        Entry("参数设置", "accounts:parameters", Action.PARAMS_CHANGE),
        Entry("安全管理", "accounts:security", Action.SECURITY_MANAGE),
    ]


ENTRIES = _admin_entries()
