"""The checked writes of parameters and of the working-day calendar: only roles with Action.PARAMS_CHANGE
may; the validated, audited write itself is core's (core.params, core.workdays)."""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from accounts.scope import Action, require
from core import followers, params, workdays


def parameter_set(*, actor, key: str, value, effective_from: dt.date, reason: str):
    """Set `key` to `value` from `effective_from` (core.params.parameter_write); audited.

    Only roles with Action.PARAMS_CHANGE may. The page refuses dates before today; the service accepts
    them so that a published rule can be recorded from its own date.
    """
    require(actor, Action.PARAMS_CHANGE, refuse="只有市级管理员可以调整参数")
    return params.parameter_write(actor=actor, key=key, value=value, effective_from=effective_from, reason=reason)


def parameter_cancel(*, actor, key: str, effective_from: dt.date, reason: str):
    """Withdraw a change that has not taken effect yet (core.params.parameter_withdraw); audited."""
    require(actor, Action.PARAMS_CHANGE, refuse="只有市级管理员可以调整参数")
    return params.parameter_withdraw(actor=actor, key=key, effective_from=effective_from, reason=reason)


def workday_override_set(*, actor, date: dt.date, is_workday: bool, name: str, reason: str = ""):
    """Declare one day a holiday or an adjusted working day (core.workdays); audited, PARAMS_CHANGE only.
    The open deadlines counted across that day are recomputed (core.followers); `row.moved` says what moved."""
    require(actor, Action.PARAMS_CHANGE, refuse="只有市级管理员可以维护节假日安排")
    with transaction.atomic():
        pending = followers.prepare(date)
        row = workdays.workday_override_write(actor=actor, date=date, is_workday=is_workday, name=name,
                                              reason=reason)
        row.moved = followers.finish(pending, actor)
    return row


def workday_override_delete(*, actor, date: dt.date, reason: str = "") -> list[str]:
    """Remove a city override (core.workdays); audited, PARAMS_CHANGE only. Returns the deadlines that moved."""
    require(actor, Action.PARAMS_CHANGE, refuse="只有市级管理员可以维护节假日安排")
    with transaction.atomic():
        pending = followers.prepare(date)
        workdays.workday_override_remove(actor=actor, date=date, reason=reason)
        return followers.finish(pending, actor)
