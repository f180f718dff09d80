"""整件事: one screening of a household against every kind of help at once, and the intake that opens the
applications it qualifies for with the data entered once (§7 "一套表、一张网、整件事").

`CHECKS` is a list: each `Check` has a key, a label, the application kind it opens (empty: a referral to another
department) and a function `fn(household, on, situations) -> Result`. More kinds plug in by appending a Check
(e.g. 低保边缘 / 刚性支出困难 open an application as soon as that application kind exists).

- `screen(household, *, on=None, situations=()) -> list[Result]` — a pure read.
- `screening_open(*, actor, household, reason, chosen, record=None, applicants=None) -> Screening` — opens the
  chosen applications: village staff draft them (代办, status draft), township caseworkers accept them (受理);
  referrals are recorded; a ledger record given is closed with the outcome.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.scope import Action, can, reaches
from cases.dibao import assessment as dibao_assessment
from cases.dibao import intake, means_test, workflow
from cases.dibao.models import Application
from cases.entitlements.models import Entitlement
from cases.households.models import Household
from cases.standards.selectors import StandardMissing
from cases.tekun.eligibility import eligibility as tekun_eligibility
from core import audit, params
from core.models import Region
from discovery import services
from discovery.models import LedgerRecord, Screening, Situation

QUALIFIES, POSSIBLE, NO, ALREADY, REFER = "qualifies", "possible", "no", "already", "referral"
VERDICT_LABELS = {QUALIFIES: "符合条件", POSSIBLE: "可能符合，需调查核实", NO: "不符合", ALREADY: "已在享受或办理中",
                  REFER: "建议转介"}


@dataclass
class Result:
    key: str
    label: str
    verdict: str
    reasons: list[str] = field(default_factory=list)
    opens: str = ""  # application kind opened when chosen ("" = referral only)
    applicant_id: int | None = None
    referral: bool = False  # another department's assistance: recorded as a referral whatever the verdict

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def can_open(self) -> bool:
        return self.verdict in (QUALIFIES, POSSIBLE) and bool(self.opens)

    @property
    def is_referral(self) -> bool:
        return self.referral


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    fn: Callable[[Household, dt.date, tuple], Result]


def _open_kinds(household: Household) -> set[str]:
    return set(household.applications.open().values_list("kind", flat=True))


def _in_force(household: Household) -> set[str]:
    return set(household.entitlements.open().values_list("category", flat=True))


def check_dibao(household, on, situations) -> Result:
    r = Result("dibao", "最低生活保障（低保）", NO, opens=Application.Kind.DIBAO)
    if Entitlement.Category.DIBAO in _in_force(household) or "dibao" in _open_kinds(household):
        r.verdict, r.reasons = ALREADY, ["已在享受低保或已有低保申请在办"]
        return r
    try:
        result = means_test.assess(dibao_assessment.assessment_input(household, on))
    except StandardMissing as exc:  # no standard in force: screened by hand
        r.verdict, r.reasons = POSSIBLE, [f"无法自动测算（{exc}），请入户调查核实"]
        return r
    if result.eligible:
        r.verdict = QUALIFIES
        r.reasons = [f"家庭月人均收入{result.per_capita_monthly}元，低于低保标准{result.standard}元；"
                     f"测算月救助金额{result.monthly_amount}元"]
    else:
        r.reasons = list(result.reasons)
    return r


def check_tekun(household, on, situations) -> Result:
    r = Result("tekun", "特困人员救助供养", NO, opens=Application.Kind.TEKUN)
    if _in_force(household) & {"tekun_central", "tekun_dispersed"} or "tekun" in _open_kinds(household):
        r.verdict, r.reasons = ALREADY, ["已在享受特困供养或已有特困申请在办"]
        return r
    best = None
    living = list(household.members.filter(deceased_on__isnull=True).order_by("id"))
    for person in living:
        # living with a working-age member able to work: that member is an obligor (法定义务人)
        if any(p.pk != person.pk and 18 <= p.age_on(on) < 60 and p.work_capacity == "full" for p in living):
            continue
        try:
            e = tekun_eligibility(person, on)
        except StandardMissing as exc:
            r.verdict, r.reasons = POSSIBLE, [f"无法自动测算（{exc}），请入户调查核实"]
            return r
        if e.eligible:
            r.verdict, r.applicant_id, r.reasons = QUALIFIES, person.pk, [f"{person.name}：无劳动能力、无收入来源、无法定义务人"]
            return r
        if e.incapacity and (best is None or len(e.reasons) < len(best[1].reasons)):
            best = (person, e)
    if best is not None:
        person, e = best
        r.applicant_id = person.pk
        r.verdict = POSSIBLE if all("义务人" in x for x in e.reasons) else NO
        r.reasons = [f"{person.name}：" + "；".join(e.reasons)]
    else:
        r.reasons = ["家庭成员均不属于无劳动能力情形，或与有劳动能力的法定义务人共同生活"]
    return r


SUDDEN = {Situation.ILLNESS, Situation.DISASTER, Situation.JOB_LOSS}


def check_temporary_aid(household, on, situations) -> Result:
    r = Result("temporary_aid", "临时救助", NO)
    found = [Situation(s).label for s in situations if s in SUDDEN]
    if found:
        r.verdict = POSSIBLE
        r.reasons = [f"突发困难：{'、'.join(found)}。临时救助须核定金额，请乡镇在“临时救助”中办理（小额可先行救助）"]
    else:
        r.reasons = ["未发现突发性、紧迫性困难"]
    return r


def check_edge(household, on, situations) -> Result:
    """低保边缘 / 刚性支出困难 ([4/10]): flagged now, opened as an application once those kinds exist."""
    kind = "dibao_edge" if "dibao_edge" in Application.Kind.values else ""
    r = Result("dibao_edge", "低保边缘 / 刚性支出困难", NO, opens=kind)
    if _in_force(household) & {"dibao_edge", "rigid_expense", "dibao"}:
        r.verdict, r.reasons = ALREADY, ["已在享受低保或已认定为低保边缘/刚性支出困难家庭"]
        return r
    try:
        result = means_test.assess(dibao_assessment.assessment_input(household, on))
    except StandardMissing:
        return r
    ratio = params.get("dibao_edge.income_ratio", on) if "dibao_edge.income_ratio" in params.REGISTRY \
        else Decimal("1.5")
    if not result.eligible and result.per_capita_monthly < result.standard * ratio:
        r.verdict = POSSIBLE
        r.reasons = [f"月人均收入{result.per_capita_monthly}元，低于低保标准的{ratio}倍"
                     + ("" if kind else "（该类别的申请开通后可直接开启）")]
    else:
        r.reasons = ["收入不在低保边缘范围内" if not result.eligible else "符合低保条件，按低保申请"]
    return r


def _referral(key, label, situation_keys, member_test):
    def fn(household, on, situations) -> Result:
        r = Result(key, label, NO, referral=True)
        hits = [Situation(s).label for s in situations if s in situation_keys]
        members = [p.name for p in household.members.filter(deceased_on__isnull=True) if member_test(p, on)]
        if hits or members:
            r.verdict = REFER
            r.reasons = ["；".join(x for x in ("、".join(hits), "涉及：" + "、".join(members) if members else "") if x)]
        return r
    return fn


CHECKS: list[Check] = [
    Check("dibao", "最低生活保障（低保）", check_dibao),
    Check("tekun", "特困人员救助供养", check_tekun),
    Check("dibao_edge", "低保边缘 / 刚性支出困难", check_edge),
    Check("temporary_aid", "临时救助", check_temporary_aid),
    Check("medical", "医疗救助（医保部门）", _referral("medical", "医疗救助（医保部门）", {Situation.ILLNESS},
                                                lambda p, on: bool(p.serious_illness))),
    Check("education", "教育救助（教育部门）", _referral("education", "教育救助（教育部门）",
                                                  {Situation.SCHOOL, Situation.CHILD_NO_CARE},
                                                  lambda p, on: p.employment == "student")),
    Check("housing", "住房救助（住建部门）", _referral("housing", "住房救助（住建部门）",
                                                {Situation.HOUSING, Situation.DISASTER}, lambda p, on: False)),
    Check("employment", "就业救助（人社部门）", _referral("employment", "就业救助（人社部门）", {Situation.JOB_LOSS},
                                                   lambda p, on: p.employment == "unemployed"
                                                   and p.work_capacity == "full")),
]

CHECK_CHOICES = [(c.key, c.label) for c in CHECKS]


def screen(household: Household, *, on: dt.date | None = None, situations=()) -> list[Result]:
    on = on or timezone.localdate()
    return [c.fn(household, on, tuple(situations)) for c in CHECKS]


def screening_open(*, actor, household: Household, reason: str, chosen: list[str], record: LedgerRecord | None = None,
                   applicants: dict[str, int] | None = None) -> Screening:
    village_staff = actor.region.level == Region.Level.VILLAGE and can(actor, Action.CASE_CHANGE)
    township = actor.region.level == Region.Level.TOWNSHIP and can(actor, Action.CASE_PROCESS)
    if not (village_staff or township) or not can(actor, Action.DISCOVERY_LEDGER):
        raise ValidationError("只有村（社区）专干（代办）和乡镇经办人（受理）可以开启申请")
    if not reaches(actor, Action.CASE_VIEW, household):
        raise ValidationError("该家庭不在您的管辖范围内")
    if record is not None and (record.household_id not in (None, household.pk) or record.status != "open"):
        raise ValidationError("该台账记录不属于此家庭或已办结")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写申请事由（将带入每一件申请）"})
    situations = record.visit.situations if record is not None and record.visit_id else []
    results = screen(household, situations=situations)
    by_key = {r.key: r for r in results}
    unknown = [k for k in chosen if k not in by_key]
    if unknown:
        raise ValidationError("未知的筛查项目")
    if not chosen:
        raise ValidationError({"chosen": "请至少选择一项要开启的申请或转介"})
    applicants = applicants or {}
    opened, referrals = [], []
    with transaction.atomic():
        for key in chosen:
            r = by_key[key]
            if r.is_referral:
                referrals.append({"key": key, "label": r.label, "reasons": r.reasons})
                continue
            if not r.can_open:
                raise ValidationError(f"“{r.label}”：{r.verdict_label}，不能开启申请")
            member = household.members.filter(pk=applicants.get(key) or r.applicant_id).first() \
                if (applicants.get(key) or r.applicant_id) else None
            if village_staff:
                app = intake.application_draft(actor=actor, household=household, reason=reason, kind=r.opens,
                                               applicant=member)
            else:
                app = workflow.application_accept(actor=actor, household=household, reason=reason, kind=r.opens,
                                                  applicant=member)
            opened.append({"key": key, "application": app.pk, "number": app.number, "status": app.status})
        s = Screening(household=household, record=record, results=[asdict(r) for r in results], opened=opened,
                      referrals=referrals, reason=reason, screened_by=actor, county_id=household.county_id,
                      township_id=household.township_id, village_id=household.village_id)
        s.save()
        audit.record(actor=actor, action="screening.open", obj=s, after={"opened": opened, "referrals": referrals})
        if record is not None:
            if record.household_id is None:
                record.household = household
                record.save(update_fields=["household"])
            first = Application.objects.get(pk=opened[0]["application"]) if opened else None
            outcome = LedgerRecord.Outcome.APPLICATION if opened else LedgerRecord.Outcome.REFERRED_DEPARTMENT
            note = "；".join([f"开启申请{o['number']}" for o in opened] + [f"转介{x['label']}" for x in referrals])
            services.record_close(actor=actor, record=record, outcome=outcome, note=note, application=first)
    return s
