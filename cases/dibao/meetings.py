"""The township's joint meeting (联席会议): one meeting decides several applications."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.scope import Action, require
from cases.dibao.models import Meeting
from cases.dibao.workflow import transition
from core import audit
from core.models import Region


def meeting_record(*, actor, township: Region, held_on: dt.date, chair: str, attendees: str, decisions: list,
                   place: str = "", note: str = "") -> Meeting:
    """One 联席会议 with a decision per case: decisions = [(application, "approve"|"refuse", note), ...]."""
    require(actor, Action.CASE_PROCESS, refuse="只有乡镇（街道）经办人可以登记联席会议")
    if actor.region_id != township.pk:
        raise ValidationError("只能登记本乡镇（街道）的联席会议")
    if not chair.strip():
        raise ValidationError({"chair": "请填写主持人"})
    names = [n for n in attendees.replace("、", "\n").replace("，", "\n").replace(",", "\n").splitlines() if n.strip()]
    if len(names) < 3:
        raise ValidationError({"attendees": "联席会议参会人员不少于3人"})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "会议日期不能晚于今天"})
    if not decisions:
        raise ValidationError("请至少对一件申请作出集体研究意见")
    with transaction.atomic():
        meeting = Meeting(county_id=township.pk[:6], township=township, held_on=held_on, chair=chair.strip(),
                          attendees="、".join(n.strip() for n in names), place=place.strip(), note=note.strip(),
                          created_by=actor)
        meeting.full_clean(exclude=["created_by", "county", "township"])
        meeting.save()
        audit.record(actor=actor, action="meeting.record", obj=meeting, after=audit.snapshot(meeting),
                     region=(meeting.county_id, meeting.township_id, ""))
        for application, decision, case_note in decisions:
            try:
                transition(actor=actor, application=application, action="meeting_decide", meeting=meeting,
                           decision=decision, note=case_note)
            except ValidationError as exc:
                raise ValidationError(f"{application.number}（{application.household}）：{'；'.join(exc.messages)}") \
                    from None
    return meeting
