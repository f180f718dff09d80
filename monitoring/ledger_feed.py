"""Monitoring's contribution to the village discovery ledger (工作台账, §7): every 主动发现 clue — a 残联 severe
certificate or a 乡村振兴 monitored household not registered, a 低保边缘 member with large 医保 spending — becomes
one ledger record of its village (source "部门数据比对"). The discovery app collects `FEEDS` through
core.registry and never imports this floor; the ledger keeps one record per clue (`monitoring.clue:<id>`)."""
from __future__ import annotations

from monitoring.models import Clue

HELP_BY_SOURCE = {"medical": ["dibao", "temporary_aid", "medical"], "disability": ["dibao", "tekun"],
                  "rural": ["dibao", "temporary_aid"]}


def discovery_clues():
    rows = (Clue.objects.filter(kind=Clue.Kind.DISCOVERY).exclude(village_id__isnull=True)
            .select_related("person", "household").order_by("id"))
    for c in rows.iterator(chunk_size=500):
        yield {"ref": f"monitoring.clue:{c.pk}", "village": c.village_id, "household_id": c.household_id,
               "subject_name": c.display_name, "need": f"{c.get_source_display()}：{c.summary}",
               "found_on": c.created_at.date(), "assistance": HELP_BY_SOURCE.get(c.source, ["dibao"])}


FEEDS = [discovery_clues]
