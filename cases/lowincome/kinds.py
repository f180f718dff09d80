"""低保边缘, 刚性支出困难 and 防返贫监测 in the one application state machine (the 低保 procedure: intake, check
and investigation with the means test line by line, joint meeting, publicity, township confirmation; own time
limits `lowincome.*`), and the 单人户 hook on 低保 confirmation (§2)."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.dibao import kinds
from cases.dibao.assessment import application_assess, assessment_input
from cases.dibao.models import Application
from cases.entitlements.models import Entitlement
from cases.lowincome import eligibility
from core import audit, categories, params

C = categories.Category
MONITOR_CATEGORIES = (C.MONITOR_UNSTABLE, C.MONITOR_EDGE, C.MONITOR_SUDDEN)
KIND_CATEGORY = {Application.Kind.DIBAO_EDGE: C.DIBAO_EDGE, Application.Kind.RIGID_EXPENSE: C.RIGID_EXPENSE}
SINGLE_PREFIX = "单人户："


def _open(household, *codes) -> list[Entitlement]:
    return list(household.entitlements.open().filter(category__in=codes))


def _held_reasons(household, codes) -> list[str]:
    """Open entitlements that rule a category out; a 单人户 低保 covers one member, not the household."""
    return [f"家庭已享受{e.get_category_display()}" for e in _open(household, *codes)
            if not e.reason.startswith(SINGLE_PREFIX)]


def assess_edge(application, on: dt.date | None = None):
    on = on or timezone.localdate()
    data = assessment_input(application.household, on)
    result = eligibility.assess_edge(data, params.get("lowincome.edge_income_ratio", on))
    held = _held_reasons(application.household, (C.DIBAO, *categories.TEKUN))
    result.reasons += held
    result.eligible = result.eligible and not held
    return result


def assess_rigid(application, on: dt.date | None = None):
    on = on or timezone.localdate()
    data = assessment_input(application.household, on)
    result = eligibility.assess_rigid(
        data, edge_ratio=params.get("lowincome.edge_income_ratio", on),
        income_ratio=params.get("lowincome.rigid_income_ratio", on),
        share=params.get("lowincome.rigid_expense_share", on))
    held = _held_reasons(application.household, (C.DIBAO, *categories.TEKUN, C.DIBAO_EDGE))
    result.reasons += held
    result.eligible = result.eligible and not held
    return result


def assess_monitor(application, on: dt.date | None = None):
    on = on or timezone.localdate()
    data = assessment_input(application.household, on)
    return eligibility.assess_monitor(
        data, subcategory_label=categories.label(application.subcategory) if application.subcategory else "",
        source_label=application.get_source_display(), source_note=application.source_note)


def _check_fixed(kind):
    def check(*, household, subcategory, source, source_note):
        category = KIND_CATEGORY[kind]
        if _open(household, category):
            raise ValidationError(f"该家庭已是{categories.label(category)}，无需重复认定")
    return check


def check_monitor(*, household, subcategory, source, source_note):
    if subcategory not in MONITOR_CATEGORIES:
        raise ValidationError({"subcategory": "请选择防返贫监测类型（脱贫不稳定 / 边缘易致贫 / 突发严重困难）"})
    if not source_note:
        raise ValidationError({"source_note": "防返贫监测须写明来源（乡村振兴部门名单批次、转介部门或发现经过）"})
    if _open(household, *MONITOR_CATEGORIES):
        raise ValidationError("该家庭已纳入防返贫监测，无需重复认定")


def monitor_category(application) -> str:
    return application.subcategory


def dibao_confirmed(application, entitlement) -> None:
    """单人户 (§2): the member is covered by 低保 alone; the rest of the household stays 低保边缘 (one person
    fewer on the edge enrolment, so the price subsidy is never counted twice)."""
    person = application.single_person
    if person is None or entitlement is None:
        return
    entitlement.reason = f"{SINGLE_PREFIX}{person.name}（{application.number}）"
    entitlement.save(update_fields=["reason"])
    for edge in _open(application.household, C.DIBAO_EDGE):
        before = {"persons_covered": edge.persons_covered}
        edge.persons_covered = max(edge.persons_covered - 1, 0)
        edge.reason = f"{person.name}单人户纳入低保，其余成员仍为低保边缘"[:200]
        edge.updated_at = timezone.now()
        edge.save(update_fields=["persons_covered", "reason", "updated_at"])
        audit.record(actor=application.decided_by, action="entitlement.single_person", obj=edge, before=before,
                     after={"persons_covered": edge.persons_covered}, reason=edge.reason)


def register() -> None:
    kinds.register(Application.Kind.DIBAO_EDGE, assess=assess_edge, category_for=lambda app: C.DIBAO_EDGE,
                   check_accept=_check_fixed(Application.Kind.DIBAO_EDGE))
    kinds.register(Application.Kind.RIGID_EXPENSE, assess=assess_rigid, category_for=lambda app: C.RIGID_EXPENSE,
                   check_accept=_check_fixed(Application.Kind.RIGID_EXPENSE))
    kinds.register(Application.Kind.MONITOR, assess=assess_monitor, category_for=monitor_category,
                   check_accept=check_monitor)
    kinds.register(Application.Kind.DIBAO, assess=application_assess, on_confirmed=dibao_confirmed)
