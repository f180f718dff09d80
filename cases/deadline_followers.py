"""Open deadlines of cases counted in working days: an application's 办结期限, an undelivered notice's 送达期限,
a 先行救助's paperwork deadline. Recomputed when the calendar changes (core.followers)."""
from __future__ import annotations

import datetime as dt

from cases.dibao.deadlines import compute_deadline, kind_param
from cases.dibao.models import Application, ApplicationEvent, Notice
from cases.temporary_aid.models import TemporaryAid
from core import audit, params, workdays


def _moved(actor, obj, field: str, label: str, old: dt.date, new: dt.date, what: str) -> str:
    audit.record(actor=actor, action="deadline.recomputed", obj=obj, before={field: old.isoformat()},
                 after={field: new.isoformat()}, reason="节假日安排调整")
    return f"{what} {label} {old:%Y-%m-%d} → {new:%Y-%m-%d}"


def applications(day: dt.date):
    def finish(actor) -> list[str]:
        lines = []
        for app in (Application.objects.open().filter(accepted_on__lt=day, deadline__gte=day - dt.timedelta(days=1))
                    .select_for_update()):
            new = compute_deadline(app.accepted_on, extended=app.extended, kind=app.kind)
            if new != app.deadline:
                old, app.deadline = app.deadline, new
                app.save(update_fields=["deadline"])
                ApplicationEvent.objects.create(application=app, action="deadline", label="办结期限随节假日调整",
                                                note=f"{old:%Y-%m-%d} → {new:%Y-%m-%d}", actor=actor,
                                                actor_name=str(actor), from_status=app.status,
                                                to_status=app.status)
                lines.append(_moved(actor, app, "deadline", "办结期限", old, new, app.number))
        return lines
    return finish


def notices(day: dt.date):
    def finish(actor) -> list[str]:
        lines = []
        for n in (Notice.objects.filter(delivered_on__isnull=True, decided_on__lt=day,
                                        due_by__gte=day - dt.timedelta(days=1))
                  .select_related("application").select_for_update(of=("self",))):
            kind = n.application.kind if n.application else "dibao"
            new = workdays.add_workdays(n.decided_on, kind_param(kind, "notice_workdays", n.decided_on))
            if new != n.due_by:
                old, n.due_by = n.due_by, new
                n.save(update_fields=["due_by"])
                lines.append(_moved(actor, n, "due_by", "送达期限", old, new, n.number))
        return lines
    return finish


def temporary_aid(day: dt.date):
    def finish(actor) -> list[str]:
        lines = []
        for aid in TemporaryAid.objects.filter(paperwork_due__gte=day - dt.timedelta(days=1), granted_on__lt=day,
                                               paperwork_submitted_on__isnull=True).select_for_update():
            start = aid.granted_on
            new = workdays.add_workdays(start, params.get("temp_aid.paperwork_workdays", start))
            if new != aid.paperwork_due:
                old, aid.paperwork_due = aid.paperwork_due, new
                aid.save(update_fields=["paperwork_due"])
                lines.append(_moved(actor, aid, "paperwork_due", "补充说明期限", old, new, f"临时救助 #{aid.pk}"))
        return lines
    return finish


FOLLOWERS = [applications, notices, temporary_aid]
