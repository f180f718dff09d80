"""The menu each role sees. Each app lists its entries in `<app>/navigation.py: ENTRIES`; an entry shows when
the role may take its action. Entries are grouped (GROUPS, in this order) and sorted by `order` within a group."""
from dataclasses import dataclass
from functools import lru_cache

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    action: str | None = None
    actions: tuple = ()  # any of these (when several roles reach the page for different reasons)
    group: str = "业务办理"
    order: int = 100


GROUPS = ["业务办理", "资金发放", "监测预警", "监督检查", "公开与设置", "系统管理"]


@lru_cache(maxsize=1)
def _entries() -> tuple[Entry, ...]:
    """Collected once per process: the apps and their ENTRIES do not change while it runs."""
    from core.registry import collect

    return tuple(entry for entries in collect("navigation", "ENTRIES") for entry in entries)


def menu_for(user, path: str) -> list[dict]:
    from accounts.scope import can

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


# The three administrators' menus (三权分立). Imported lazily by core.registry like every app's ENTRIES.
def _admin_entries() -> list[Entry]:
    from accounts.scope import Action

    return [
        Entry("用户管理", "accounts:user_list", Action.USERS_MANAGE, group="系统管理", order=10),
        Entry("安全管理", "accounts:security", Action.SECURITY_MANAGE, group="系统管理", order=20),
    ]


ENTRIES = _admin_entries()
