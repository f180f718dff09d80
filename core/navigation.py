"""The vocabulary of the menu, shared by every floor: an `Entry` and the GROUPS it falls into.

Each app lists its entries in `<app>/navigation.py: ENTRIES`; the menu itself is assembled on the top floor
(jiuzhu/navigation.py), where every app's entries are known. An entry shows when the role may take its action;
entries are grouped (GROUPS, in this order) and sorted by `order` within a group."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    action: str | None = None
    actions: tuple = ()  # any of these (when several roles reach the page for different reasons)
    group: str = "业务办理"
    order: int = 100


GROUPS = ["业务办理", "主动发现", "资金发放", "监测预警", "监督检查", "社会力量", "公开与设置", "系统管理"]
