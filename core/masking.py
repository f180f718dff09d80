"""Masking of personal names for public notices (§11: 张*, 张*丰, 欧阳*月).

Keep the surname and, for names of three characters or more, the last character; every other
character becomes "*". A compound surname (欧阳, 司马, ...) is kept whole.
"""
from __future__ import annotations

# Common two-character surnames (百家姓 复姓 in current use).
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "司空",
    "夏侯", "令狐", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟", "澹台", "公冶", "宗政",
    "濮阳", "淳于", "单于", "太叔", "申屠", "钟离", "闻人", "赫连", "拓跋", "第五", "左丘", "东郭", "南门",
    "羊舌", "微生", "梁丘", "谷梁", "公良", "乐正", "漆雕", "壤驷", "公西", "巫马", "颛孙", "子车", "亓官",
    "司寇", "仉督", "鲜于", "闾丘", "东门", "公羊",
})


def mask_name(name: str | None) -> str:
    name = "".join((name or "").split())
    if not name:
        return ""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        surname, given = name[:2], name[2:]
        return surname + ("*" if len(given) == 1 else "*" * (len(given) - 1) + given[-1])
    if len(name) == 1:
        return name + "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
