"""One search box across the registry and every kind of case number, within the user's reach, grouped.

What the box understands (full-width characters and stray spaces are forgiven):
- a case number of any kind: DB2026-00008 / TK… / LS… (applications), a complaint's number, a payment batch
  (410823-202611-01), a written notice (…〔2026〕12号);
- a full ID number (through the blind index: the number itself is never stored or searched in clear);
- a name plus the ID's last four (张三1234), or a name (households by head, persons by name).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.urls import reverse

from accounts.scope import Action, can, county_q
from audit.models import Complaint
from cases.models import Application, Household, Notice, Person
from core import idnumbers
from funds.models import PaymentBatch

LIMIT = 20
_APPLICATION = re.compile(r"^(?P<prefix>DB|TK|LS|SQ)\s*(?P<year>\d{4})\s*-?\s*(?P<pk>\d{1,9})$", re.I)
_BATCH = re.compile(r"^(?P<county>\d{6})-(?P<month>\d{6})-(?P<seq>\d{1,3})$")
_NOTICE = re.compile(r"〔(?P<year>\d{4})〕\s*(?P<pk>\d{1,9})\s*号?$")
_LAST4 = re.compile(r"^(?P<name>[^\d\s]+)\s*(?P<last4>\d{3}[\dXx])$")
KIND_OF_PREFIX = {"DB": "dibao", "TK": "tekun", "LS": "temporary_aid"}


@dataclass
class Hit:
    title: str
    detail: str
    url: str


@dataclass
class Group:
    key: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False


def normalize(raw: str) -> str:
    text = unicodedata.normalize("NFKC", str(raw or "")).strip()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # dashes of every width
    return re.sub(r"\s+", " ", text)[:60]


def _take(qs, group: Group, make) -> None:
    rows = list(qs[: LIMIT + 1])
    group.more = len(rows) > LIMIT
    group.hits.extend(make(r) for r in rows[:LIMIT])


def _app_hit(a: Application) -> Hit:
    return Hit(a.number, f"{a.get_kind_display()} · {a.household.head_name}户 · {a.get_status_display()}",
               reverse("cases:application_detail", args=[a.pk]))


def _household_hit(h: Household) -> Hit:
    return Hit(f"{h.head_name}户", f"{h.township.name} {h.village.name} · {h.address}",
               reverse("cases:household_detail", args=[h.pk]))


def _person_hit(p: Person) -> Hit:
    return Hit(p.name, f"{p.id_masked} · {p.get_relationship_display()} · {p.household.head_name}户",
               reverse("cases:household_detail", args=[p.household_id]) + "#members")


def search(user, raw: str) -> list[Group]:
    q = normalize(raw)
    if len(q) < 2:
        return []
    compact = q.replace(" ", "")
    groups = {key: Group(key, label) for key, label in (
        ("applications", "救助申请"), ("households", "家庭"), ("persons", "人员"), ("notices", "书面通知"),
        ("complaints", "信访投诉"), ("batches", "发放批次"))}
    cases_visible = can(user, Action.CASE_VIEW)
    if cases_visible:
        _cases(user, q, compact, groups)
    if can(user, Action.COMPLAINT_HANDLE) or can(user, Action.SUPERVISION_VIEW):
        action = Action.COMPLAINT_HANDLE if can(user, Action.COMPLAINT_HANDLE) else Action.SUPERVISION_VIEW
        _take(Complaint.objects.restrict(user, action).filter(number__iexact=compact), groups["complaints"],
              lambda c: Hit(c.number, f"{c.get_category_display()} · {c.summary}",
                            reverse("audit:complaint_detail", args=[c.pk])))
    if can(user, Action.PAYMENT_VIEW) and (m := _BATCH.match(compact)):
        month = m["month"]
        qs = PaymentBatch.objects.restrict(user, Action.PAYMENT_VIEW).filter(
            county_id=m["county"], month__year=int(month[:4]), month__month=int(month[4:]), sequence=int(m["seq"]))
        _take(qs, groups["batches"], lambda b: Hit(b.number, f"{b.month:%Y年%-m月} · {b.get_status_display()}",
                                                    reverse("funds:batch_detail", args=[b.pk])))
    return [g for g in groups.values() if g.hits]


def _cases(user, q: str, compact: str, groups: dict[str, Group]) -> None:
    apps = Application.objects.restrict(user, Action.CASE_VIEW).select_related("household")
    if m := _APPLICATION.match(compact):
        qs = apps.filter(pk=int(m["pk"]), accepted_on__year=int(m["year"]))
        kind = KIND_OF_PREFIX.get(m["prefix"].upper())
        qs = qs.filter(kind=kind) if kind else qs.none()
        _take(qs, groups["applications"], _app_hit)
        return
    if m := _NOTICE.search(compact):
        qs = Notice.objects.restrict(user, Action.CASE_VIEW).filter(pk=int(m["pk"]), decided_on__year=int(m["year"]))
        _take(qs, groups["notices"], lambda n: Hit(n.number, f"{n.get_kind_display()} · {n.addressee}",
                                                   reverse("cases:notice_detail", args=[n.pk])))
        return
    persons = Person.objects.restrict(user, Action.CASE_VIEW).select_related("household")
    named = persons.filter(county_q(user, Action.CASE_VIEW, Person))  # the persons' name index is led by the county
    households = Household.objects.restrict(user, Action.CASE_VIEW).select_related("township", "village")
    if value := idnumbers.normalize_for_lookup(compact):
        found = persons.with_id_number(value)
        _take(found, groups["persons"], _person_hit)
        _take(households.filter(pk__in=found.values("household_id")), groups["households"], _household_hit)
        _take(apps.filter(household__in=found.values("household_id")), groups["applications"], _app_hit)
        return
    if m := _LAST4.match(compact):
        found = named.filter(name=m["name"], id_last4=m["last4"].upper())
        _take(found, groups["persons"], _person_hit)
        _take(households.filter(pk__in=found.values("household_id")), groups["households"], _household_hit)
        return
    if compact.isdigit():
        return  # a bare number is none of the above: a partial ID number is not searchable by design
    _take(households.filter(head_name__startswith=compact), groups["households"], _household_hit)
    _take(named.filter(name__startswith=compact), groups["persons"], _person_hit)
    _take(apps.filter(household__head_name__startswith=compact), groups["applications"], _app_hit)


def as_json(groups: list[Group]) -> list[dict]:
    return [{"group": g.key, "label": g.label, "more": g.more,
             "results": [{"title": h.title, "detail": h.detail, "url": h.url} for h in g.hits]} for g in groups]
