"""§5 县级抽查: stratified, reproducible sampling of a month's township decisions, findings and answers.

Sampling (`draw`): the relative stratum first — at least `relative_ratio` (60 %) of the county's decisions
involving a registered close relative, rounded up — then, township by township, general cases until each
township reaches `ratio` (30 %) of its decisions, rounded up (relative cases drawn count toward it).
A `random.Random(seed)` over the population sorted by id makes the draw reproducible: the seed and the
drawn list are stored, and `redraw(spot_check)` recomputes it for verification.
"""
from __future__ import annotations

import datetime as dt
import math
import random
import secrets
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.scope import Action, can, require, scope_q
from audit.models import SpotCheck, SpotCheckItem
from cases.models import Application, Person, RelativeLink
from core import audit, params, workdays
from core.models import Region
from core.months import first_of_month, month_range

# 不予受理 (refused intake, §7/§12) is a township decision too and is sampled with the others
DECIDED = [Application.Status.CONFIRMED, Application.Status.REFUSED, Application.Status.NOT_ACCEPTED]


@dataclass(frozen=True)
class Decision:
    application_id: int
    township: str
    relative: bool


def ceil_ratio(n: int, ratio: Decimal) -> int:
    return math.ceil(Decimal(n) * ratio) if n else 0


def draw(population: list[Decision], *, ratio: Decimal, relative_ratio: Decimal, seed: int) -> dict[int, str]:
    """application_id -> stratum ('relative' | 'general') for the sampled decisions."""
    rng = random.Random(seed)
    population = sorted(population, key=lambda d: d.application_id)
    chosen: dict[int, str] = {}
    relatives = [d for d in population if d.relative]
    for d in rng.sample(relatives, ceil_ratio(len(relatives), relative_ratio)):
        chosen[d.application_id] = SpotCheckItem.Stratum.RELATIVE
    by_township: dict[str, list[Decision]] = defaultdict(list)
    for d in population:
        by_township[d.township].append(d)
    for township in sorted(by_township):
        decisions = by_township[township]
        need = ceil_ratio(len(decisions), ratio) - sum(1 for d in decisions if d.application_id in chosen)
        rest = [d for d in decisions if d.application_id not in chosen]
        for d in rng.sample(rest, max(0, min(need, len(rest)))):
            chosen[d.application_id] = SpotCheckItem.Stratum.GENERAL
    return chosen


def population_for(county_code: str, month: dt.date) -> list[Decision]:
    """Every township decision of the month in the county — confirmations and refusals."""
    first, last = month_range(month)
    apps = list(Application.objects.filter(handling_county_id=county_code, status__in=DECIDED,
                                           decided_on__range=(first, last))
                .values_list("id", "handling_township_id", "household_id"))
    relative_households = set(Person.objects.filter(household_id__in=[a[2] for a in apps],
                                                    id_index__in=RelativeLink.objects.values("id_index"))
                              .values_list("household_id", flat=True))
    return [Decision(a[0], a[1], a[2] in relative_households) for a in apps]


def spotcheck_open(*, actor, county: Region, month: dt.date, seed: int | None = None) -> SpotCheck:
    require(actor, Action.SPOTCHECK_REVIEW, refuse="只有县级抽查员可以发起抽查")
    q = scope_q(actor, Action.SPOTCHECK_REVIEW)
    if q.children and county.code != actor.region_id:
        raise ValidationError("只能抽查本县（市、区）")
    month = first_of_month(month)
    if month > timezone.localdate():
        raise ValidationError({"month": "不能抽查未来的月份"})
    population = population_for(county.code, month)
    if not population:
        raise ValidationError({"month": f"{month:%Y年%m月}没有乡镇审核确认（含不予确认）决定，无需抽查"})
    ratio, rel_ratio = params.get("spotcheck.ratio", month), params.get("spotcheck.relative_ratio", month)
    seed = seed if seed is not None else secrets.randbits(48)
    chosen = draw(population, ratio=ratio, relative_ratio=rel_ratio, seed=seed)
    decisions = dict(Application.objects.filter(pk__in=chosen).values_list("id", "status"))
    township_of = {d.application_id: d.township for d in population}
    try:
        with transaction.atomic():
            sc = SpotCheck.objects.create(county=county, month=month, seed=seed, ratio=ratio, relative_ratio=rel_ratio,
                                          population=len(population), created_by=actor)
            SpotCheckItem.objects.bulk_create([
                SpotCheckItem(spot_check=sc, application_id=app_id, county_id=county.code,
                              township_id=township_of[app_id], stratum=stratum, decision=decisions[app_id])
                for app_id, stratum in sorted(chosen.items())
            ])
            audit.record(actor=actor, action="spotcheck.open", obj=sc, region=(county.code, "", ""),
                         after={"month": str(month), "seed": seed, "population": len(population),
                                "sampled": len(chosen), "ratio": str(ratio), "relative_ratio": str(rel_ratio)})
    except IntegrityError:
        raise ValidationError({"month": f"{county.name}{month:%Y年%m月}的抽查已经发起"}) from None
    return sc


def redraw(sc: SpotCheck) -> bool:
    """Recompute the draw from the stored seed: True when it gives exactly the stored list."""
    population = population_for(sc.county_id, sc.month)
    again = draw(population, ratio=sc.ratio, relative_ratio=sc.relative_ratio, seed=sc.seed)
    stored = dict(sc.items.values_list("application_id", "stratum"))
    return again == stored


def ratios(sc: SpotCheck) -> list[dict]:
    """Per township: decisions, sampled and the ratio reached; relative decisions likewise."""
    population = population_for(sc.county_id, sc.month)
    sampled = dict(sc.items.values_list("application_id", "stratum"))
    names = dict(Region.objects.filter(code__in={d.township for d in population}).values_list("code", "name"))
    rows = []
    for township in sorted({d.township for d in population}):
        ds = [d for d in population if d.township == township]
        rel = [d for d in ds if d.relative]
        n_s = sum(1 for d in ds if d.application_id in sampled)
        r_s = sum(1 for d in rel if d.application_id in sampled)
        rows.append({"township": names.get(township, township), "decisions": len(ds), "sampled": n_s,
                     "ratio": round(100 * n_s / len(ds), 1), "met": n_s >= ceil_ratio(len(ds), sc.ratio),
                     "relative": len(rel), "relative_sampled": r_s})
    rel_total = sum(r["relative"] for r in rows)
    rel_sampled = sum(r["relative_sampled"] for r in rows)
    rows.append({"township": "合计", "decisions": len(population), "sampled": len(sampled),
                 "ratio": round(100 * len(sampled) / len(population), 1) if population else 0, "met": None,
                 "relative": rel_total, "relative_sampled": rel_sampled,
                 "relative_ratio": round(100 * rel_sampled / rel_total, 1) if rel_total else None,
                 "relative_met": rel_sampled >= ceil_ratio(rel_total, sc.relative_ratio)})
    return rows


def finding_record(*, actor, item: SpotCheckItem, finding: str, reason: str = "", home_visit: str = "") -> SpotCheckItem:
    if not can(actor, Action.SPOTCHECK_REVIEW) or actor.region_id != item.county_id:
        raise ValidationError("只有本县抽查员可以填写检查结论")
    if item.spot_check.status == SpotCheck.Status.CLOSED:
        raise ValidationError("该抽查已结束")
    if finding not in (SpotCheckItem.Finding.CORRECT, SpotCheckItem.Finding.WRONG,
                       SpotCheckItem.Finding.REINVESTIGATE):
        raise ValidationError({"finding": "请选择检查结论"})
    if finding != SpotCheckItem.Finding.CORRECT and not reason.strip():
        raise ValidationError({"finding_reason": "结论为错误或需重新调查时须写明问题及理由"})
    if item.stratum == SpotCheckItem.Stratum.RELATIVE and not home_visit.strip():
        raise ValidationError({"home_visit": "近亲属备案对象须由县级入户核查，请填写入户核查情况"})
    today = timezone.localdate()
    with transaction.atomic():
        before = item.finding
        item.finding, item.finding_reason, item.home_visit = finding, reason.strip(), home_visit.strip()
        item.reviewed_by, item.reviewed_at = actor, timezone.now()
        item.answer_due = (workdays.add_workdays(today, params.get("spotcheck.answer_workdays", today))
                           if finding != SpotCheckItem.Finding.CORRECT else None)
        item.save(update_fields=["finding", "finding_reason", "home_visit", "reviewed_by", "reviewed_at",
                                 "answer_due"])
        audit.record(actor=actor, action="spotcheck.finding", obj=item, region=(item.county_id, item.township_id, ""),
                     before={"finding": before}, after={"finding": finding, "reason": reason},
                     object_repr=f"抽查 申请#{item.application_id}")
    return item


def answer_record(*, actor, item: SpotCheckItem, answer: str) -> SpotCheckItem:
    if not can(actor, Action.SPOTCHECK_ANSWER) or actor.region_id != item.township_id:
        raise ValidationError("只有承办乡镇可以答复")
    if item.finding not in (SpotCheckItem.Finding.WRONG, SpotCheckItem.Finding.REINVESTIGATE):
        raise ValidationError("该案件无需答复")
    if item.spot_check.status == SpotCheck.Status.CLOSED:
        raise ValidationError("该抽查已结束")
    if len(answer.strip()) < 5:
        raise ValidationError({"answer": "请写明整改或重新调查情况"})
    with transaction.atomic():
        item.township_answer, item.answered_by, item.answered_at = answer.strip(), actor, timezone.now()
        item.save(update_fields=["township_answer", "answered_by", "answered_at"])
        audit.record(actor=actor, action="spotcheck.answer", obj=item, region=(item.county_id, item.township_id, ""),
                     after={"answer": answer.strip()}, object_repr=f"抽查 申请#{item.application_id}")
    return item


def spotcheck_close(*, actor, sc: SpotCheck, summary: str) -> SpotCheck:
    if not can(actor, Action.SPOTCHECK_REVIEW) or actor.region_id != sc.county_id:
        raise ValidationError("只有本县抽查员可以结束抽查")
    if sc.status == SpotCheck.Status.CLOSED:
        raise ValidationError("该抽查已结束")
    pending = sc.items.filter(finding="").count()
    unanswered = sc.items.filter(finding__in=["wrong", "reinvestigate"], township_answer="").count()
    if pending or unanswered:
        raise ValidationError(f"尚有{pending}件未检查、{unanswered}件乡镇未答复，不能结束")
    with transaction.atomic():
        sc.status, sc.closed_by, sc.closed_at, sc.summary = SpotCheck.Status.CLOSED, actor, timezone.now(), summary
        sc.save(update_fields=["status", "closed_by", "closed_at", "summary"])
        audit.record(actor=actor, action="spotcheck.close", obj=sc, region=(sc.county_id, "", ""),
                     after={"summary": summary})
    return sc


# --- selectors ---

def spotcheck_list(*, user):
    action = Action.SPOTCHECK_REVIEW if can(user, Action.SPOTCHECK_REVIEW) else Action.SUPERVISION_VIEW
    return (SpotCheck.objects.restrict(user, action).select_related("county")
            .annotate(sampled=Count("items"), done=Count("items", filter=~Q(items__finding="")),
                      problems=Count("items", filter=Q(items__finding__in=["wrong", "reinvestigate"]))))


def items_for(*, user, sc: SpotCheck):
    qs = sc.items.select_related("application__household", "township", "reviewed_by")
    if user.region.level == Region.Level.TOWNSHIP:
        qs = qs.filter(township_id=user.region_id)
    return qs


def township_items(*, user):
    """The township's spot-check items that need an answer."""
    return (SpotCheckItem.objects.restrict(user, Action.SPOTCHECK_ANSWER)
            .filter(finding__in=["wrong", "reinvestigate"])
            .select_related("spot_check__county", "application__household"))
