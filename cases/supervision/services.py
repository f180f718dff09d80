"""Payment holds, deaths reported by departments, and the §12 回避 rule for registered close relatives of staff."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.scope import Action, require
from cases.households.models import Household, Person
from cases.supervision.models import PaymentHold, RelativeLink
from core import audit, auditchain, bulk
from core.models import AuditEvent


def payment_hold_place(*, actor, household: Household, kind: str, reason: str, person: Person | None = None,
                       source: str = ""):
    """Hold a household's payment from the next batch (deaths from data comparison, suspensions)."""

    hold = PaymentHold(household=household, person=person, kind=kind, reason=reason, source=source,
                       created_by=actor if getattr(actor, "is_authenticated", False) else None,
                       county_id=household.county_id, township_id=household.township_id,
                       village_id=household.village_id)
    hold.full_clean(exclude=["created_by", "county", "township", "village"])
    with transaction.atomic():
        hold.save()
        audit.record(actor=actor, action="payment_hold.place", obj=hold, after=audit.snapshot(hold),
                     reason=reason)
    return hold


def payment_hold_release(*, actor, hold, reason: str):
    if hold.released_at is not None:
        raise ValidationError("该暂停发放已解除")
    if not reason.strip():
        raise ValidationError("解除暂停发放必须说明原因")
    with transaction.atomic():
        hold.released_at = timezone.now()
        hold.released_reason = reason
        hold.save(update_fields=["released_at", "released_reason"])
        audit.record(actor=actor, action="payment_hold.release", obj=hold, reason=reason)
    return hold


def relative_links_replace(*, actor, registry_ref: str, staff_name: str, staff_user, county_code: str,
                           links: list[tuple[str, str]]) -> int:
    """Replace the registry entries of one staff member: `links` = [(id_index, relation label), ...].

    Called by the supervision app's registry services (§12 近亲属备案). Returns the number of links.
    """

    with transaction.atomic():
        RelativeLink.objects.filter(registry_ref=registry_ref).delete()
        RelativeLink.objects.bulk_create([
            RelativeLink(id_index=idx, registry_ref=registry_ref, staff_name=staff_name, staff_user=staff_user,
                         relation=relation, county_id=county_code)
            for idx, relation in links
        ])
    return len(links)


def relative_links_for_household(household_id: int):
    """Registry entries matching any member of the household (for flags and recusal)."""

    members = Person.objects.filter(household_id=household_id).values("id_index")
    return RelativeLink.objects.filter(id_index__in=members).select_related("staff_user")


def must_recuse(*, actor, household_id: int) -> bool:
    """§12: a staff member whose registered close relative is in the household may not act on its case."""
    return relative_links_for_household(household_id).filter(staff_user=actor).exists()


def refuse_if_relative(*, actor, household_id: int) -> None:
    """§12 回避: refuse any step on a case, entitlement or grant of a household with the actor's relative."""
    if must_recuse(actor=actor, household_id=household_id):
        raise ValidationError("该家庭有您备案的近亲属，按规定您须回避，不能经办或审批该家庭的救助事项")


def payment_hold_place_many(*, actor, items: list[dict], kind: str, source: str = "") -> list[int]:
    """Hold many lines at once (deaths found by a data comparison): the holds' keys reserved from their sequence,
    then one COPY for the holds and one for their audit events (no model instance per hold: a run can place
    hundreds). `items`: dicts with household_id, person_id (or None), county_id, township_id, village_id, reason.
    Returns the new holds' ids, in the order of `items`."""

    if not items:
        return []
    user = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    source = source[:100]
    label = PaymentHold.Kind(kind).label
    with transaction.atomic():
        ids = bulk.reserve_ids(PaymentHold, len(items))
        rows = [(pk, i["household_id"], i.get("person_id"), kind, i["reason"][:200], source,
                 user.pk if user else None, now, i["county_id"], i["township_id"], i["village_id"])
                for pk, i in zip(ids, items, strict=True)]
        bulk.insert_rows(PaymentHold, HOLD_FIELDS, rows)
        events = [
            AuditEvent(actor=user, actor_username=getattr(user, "username", ""), actor_role=getattr(user, "role", ""),
                       action="payment_hold.place", object_type="cases.paymenthold", object_id=str(pk),
                       object_repr=f"{label} 家庭{household}"[:200], county_code=county, township_code=township,
                       village_code=village, at=now,
                       after={"household": household, "person": person, "kind": kind, "source": source},
                       reason=reason)
            for pk, household, person, _, reason, _, _, _, county, township, village in rows
        ]
        auditchain.lock()  # chained like every entry (issue #15), in insertion order
        auditchain.seal(events)
        bulk.insert(AuditEvent, events)
    return ids


HOLD_FIELDS = ["id", "household_id", "person_id", "kind", "reason", "source", "created_by_id", "created_at",
               "county_id", "township_id", "village_id"]


def person_confirm_death(*, actor, person: Person, deceased_on, evidence: str):
    """The township confirms a death reported by a department (§1). Only records the fact; ending the
    entitlement is the township's separate exit procedure (termination notice)."""
    require(actor, Action.CASE_PROCESS, person)
    if not evidence or not evidence.strip():
        raise ValidationError("确认死亡须写明核实依据（如死亡医学证明、户籍注销证明、入户核实）")
    if deceased_on is None:
        raise ValidationError("请填写核实的死亡日期")
    if deceased_on > timezone.localdate():
        raise ValidationError("死亡日期不能晚于今天")
    if deceased_on < person.birth_date:
        raise ValidationError("死亡日期不能早于出生日期")
    with transaction.atomic():
        before = person.deceased_on
        person.deceased_on = deceased_on
        person.save(update_fields=["deceased_on"])
        audit.record(actor=actor, action="person.confirm_death", obj=person,
                     before={"deceased_on": str(before) if before else None},
                     after={"deceased_on": str(deceased_on)}, reason=evidence)
    return person
