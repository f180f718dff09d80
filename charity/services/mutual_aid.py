"""§8 救急难 mutual-aid societies: set-up per village, members, contributions, grants under the society's own
rules (max grant, who decides), balance under a row lock, never negative."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.scope import Action, require
from cases.households.models import Household
from charity.models import Contribution, MutualAidSociety, Referral, SocietyGrant, SocietyMember
from charity.services.common import positive, text, within
from charity.services.referrals import referral_outcome
from core import audit
from core.models import Region


def society_create(*, actor, village: Region, name: str, max_grant: Decimal, deciders: str,
                   rules: str = "") -> MutualAidSociety:
    if village.level != Region.Level.VILLAGE:
        raise ValidationError({"village": "互助社按村（社区）成立"})
    society = MutualAidSociety(name=text(name, "name", "互助社名称"), max_grant=positive(max_grant, "max_grant"),
                               deciders=text(deciders, "deciders", "决定方式"), rules=rules.strip())
    society.place_from_village(village)
    require(actor, Action.MUTUAL_AID_CHANGE, society, refuse="互助社由村（社区）或乡镇登记")
    if MutualAidSociety.objects.filter(village=village).exists():
        raise ValidationError({"village": "该村（社区）已成立互助社"})
    with transaction.atomic():
        society.save()
        audit.record(actor=actor, action="society.create", obj=society,
                     after={"name": society.name, "max_grant": str(society.max_grant), "deciders": society.deciders})
    return society


def society_rules_set(*, actor, society: MutualAidSociety, max_grant: Decimal, deciders: str,
                      rules: str) -> MutualAidSociety:
    within(actor, Action.MUTUAL_AID_CHANGE, society)
    before = {"max_grant": str(society.max_grant), "deciders": society.deciders}
    society.max_grant = positive(max_grant, "max_grant")
    society.deciders, society.rules = text(deciders, "deciders", "决定方式"), rules.strip()
    with transaction.atomic():
        society.save(update_fields=["max_grant", "deciders", "rules"])
        audit.record(actor=actor, action="society.rules", obj=society, before=before,
                     after={"max_grant": str(society.max_grant), "deciders": society.deciders})
    return society


def member_add(*, actor, society: MutualAidSociety, name: str, kind: str, post: str,
               joined_on: dt.date | None = None) -> SocietyMember:
    within(actor, Action.MUTUAL_AID_CHANGE, society)
    if kind not in SocietyMember.Kind.values or post not in SocietyMember.Post.values:
        raise ValidationError("请选择成员类型和职务")
    with transaction.atomic():
        member = SocietyMember.objects.create(society=society, name=text(name, "name", "姓名")[:100], kind=kind,
                                              post=post, joined_on=joined_on or timezone.localdate())
        audit.record(actor=actor, action="society.member_add", obj=society, after={"name": member.name, "post": post})
    return member


def contribution_record(*, actor, society: MutualAidSociety, contributor: str, kind: str, amount: Decimal,
                        received_on: dt.date, goods: str = "") -> Contribution:
    """Money raises the balance; goods in kind are recorded at their value but are not money to grant."""
    within(actor, Action.MUTUAL_AID_CHANGE, society)
    contributor, amount = text(contributor, "contributor", "捐助人"), positive(amount)
    if kind not in Contribution.Kind.values:
        raise ValidationError({"kind": "请选择资金或实物"})
    if kind == Contribution.Kind.IN_KIND:
        goods = text(goods, "goods", "实物名称及数量")
    if received_on is None or received_on > timezone.localdate():
        raise ValidationError({"received_on": "日期不能晚于今天"})
    with transaction.atomic():
        MutualAidSociety.objects.select_for_update().get(pk=society.pk)
        c = Contribution.objects.create(society=society, contributor=contributor[:100], kind=kind, amount=amount,
                                        goods=goods.strip()[:200], received_on=received_on, created_by=actor)
        if kind == Contribution.Kind.MONEY:
            MutualAidSociety.objects.filter(pk=society.pk).update(balance=F("balance") + amount,
                                                                 updated_at=timezone.now())
        society.refresh_from_db(fields=["balance"])
        audit.record(actor=actor, action="society.contribution", obj=society,
                     after={"kind": kind, "amount": str(amount), "balance": str(society.balance)})
    return c


def society_grant(*, actor, society: MutualAidSociety, household: Household, amount: Decimal, reason: str,
                  decided_on: dt.date, decision: str, referral: Referral | None = None) -> SocietyGrant:
    """A grant decided by the society (the decision recorded as the rules say), within its max grant and balance."""
    within(actor, Action.MUTUAL_AID_CHANGE, society)
    if household.village_id != society.village_id:
        raise ValidationError({"household": "互助金只发给本村（社区）的家庭"})
    amount = positive(amount)
    reason, decision = text(reason, "reason", "困难情形"), text(decision, "decision", "决定情况", minimum=4)
    if amount > society.max_grant:
        raise ValidationError({"amount": f"超过互助社章程规定的单次上限{society.max_grant}元"})
    if decided_on is None or decided_on > timezone.localdate():
        raise ValidationError({"decided_on": "决定日期不能晚于今天"})
    if referral is not None and (referral.society_id != society.pk or referral.household_id != household.pk
                                 or referral.status != Referral.Status.OPEN):
        raise ValidationError({"referral": "该转介不是转给本互助社的待处理转介"})
    with transaction.atomic():
        locked = MutualAidSociety.objects.select_for_update().get(pk=society.pk)
        updated = MutualAidSociety.objects.filter(pk=locked.pk, balance__gte=amount).update(
            balance=F("balance") - amount, updated_at=timezone.now())
        if not updated:
            raise ValidationError({"amount": f"互助社余额不足：当前余额{locked.balance}元"})
        locked.refresh_from_db(fields=["balance"])
        grant = SocietyGrant.objects.create(
            society=locked, household=household, amount=amount, reason=reason[:200], decided_on=decided_on,
            decision=decision[:200], referral=referral, balance_after=locked.balance, created_by=actor,
            county_id=household.county_id, township_id=household.township_id, village_id=household.village_id)
        if referral is not None:
            referral_outcome(referral, granted=True, outcome=f"互助社发放互助金{amount}元")
        audit.record(actor=actor, action="society.grant", obj=grant, reason=reason,
                     after={"amount": str(amount), "decision": decision[:200], "balance": str(locked.balance)})
    return grant
