"""Harness entries for core:* (parameters, working-day calendar) and the public notice board (public:*)."""
import datetime as dt

from accounts.scope import Action as A
from tests.harness import VILLAGE, page, part

PARAM_KEY = "dibao.phase_out_months"


@part("param_change")
def _param_change(w):
    """A parameter change scheduled 30 days ahead, which param_cancel can withdraw."""
    from django.utils import timezone

    from accounts.parameters import services
    from core import params

    day = timezone.localdate() + dt.timedelta(days=30)
    services.parameter_set(actor=w.users["shi_admin"], key=PARAM_KEY, value=params.get(PARAM_KEY),
                           effective_from=day, reason="测试调整")
    return day


@part("workday_override")
def _workday_override(w):
    from django.utils import timezone

    from accounts.parameters import services

    day = dt.date(timezone.localdate().year + 1, 3, 7)
    services.workday_override_set(actor=w.users["shi_admin"], date=day, is_workday=False, name="测试调休",
                                  reason="市政府通知")
    return day


def _next_year_day(w):
    from django.utils import timezone

    return {"date": dt.date(timezone.localdate().year + 1, 3, 14).isoformat(), "is_workday": "0",
            "name": "测试放假", "reason": "市政府通知"}


ENTRIES = [
    page("core:param_list", "/params/", A.PARAMS_VIEW, scoped=False),
    page("core:param_edit", f"/params/{PARAM_KEY}/", A.PARAMS_CHANGE, scoped=False),
    page("core:param_cancel", f"/params/{PARAM_KEY}/cancel/", A.PARAMS_CHANGE, method="post", ok=302,
         data=lambda w: {"effective_from": w.get("param_change").isoformat(), "reason": "撤销"}, scoped=False),
    page("core:calendar", "/calendar/", A.PARAMS_VIEW, scoped=False),
    page("core:calendar", "/calendar/", A.PARAMS_CHANGE, method="post", data=_next_year_day, ok=302, scoped=False,
         note="readers of the calendar may not post to it (404)"),
    page("core:calendar_delete", lambda w: f"/calendar/{w.get('workday_override').isoformat()}/delete/",
         A.PARAMS_CHANGE, method="post", data={"reason": "通知撤回"}, ok=302, scoped=False),
    page("public:index", "/public/", public=True, anonymous=200, scoped=False,
         note="the public notice board needs no login"),
    page("public:village", f"/public/{VILLAGE}/", public=True, anonymous=200, scoped=False,
         note="the public notice board needs no login"),
]
