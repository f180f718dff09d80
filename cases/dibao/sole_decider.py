"""A township with a single 审批人 who registered the case himself: separation of duties would leave the case
without anyone to decide it. Two ways out:
- a named deputy: the city or county grants another township leader the decision on this one case (an explicit
  object grant, `accounts.services.object_grant`; `handles` already honours it);
- the county: the county civil-affairs officer of the handling county may confirm or refuse it, but only while
  the handling township has no other active 审批人 than the registrar (one rule for buttons and services)."""
from __future__ import annotations

from accounts.models import Role, User
from cases.dibao.models import Application


def other_deciders(app: Application) -> bool:
    return User.objects.filter(role=Role.TOWNSHIP_LEADER, region_id=app.handling_township_id,
                               is_active=True).exclude(pk=app.registered_by_id).exists()


def county_may_decide(user, app: Application) -> bool:
    return (getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.COUNTY_OFFICER
            and user.region_id == app.handling_county_id and app.registered_by_id != user.pk
            and not other_deciders(app))


def registrar_message(app: Application) -> str:
    """What the registrar is told when he tries to decide his own case: what happened and what to do."""
    if other_deciders(app):
        return ("您是本申请的受理人，不能对其审核确认（经办与审批分离）。"
                "请由本乡镇（街道）其他审批人审核确认。")
    return ("您是本申请的受理人，不能对其审核确认（经办与审批分离）。本乡镇（街道）没有其他审批人，"
            "请报县民政局审核确认，或请县民政局指定其他乡镇审批人代为审核。")


def county_may_decide_anyone(app: Application) -> bool:
    """Whether the case now waits for the county (the registrar is the township's only 审批人)."""
    registrar = User.objects.filter(pk=app.registered_by_id, role=Role.TOWNSHIP_LEADER).exists()
    return registrar and not other_deciders(app)
