"""The three aims' indicators (三个兜底, issue #20): the shared vocabulary, like core.overdue.

Every app that holds the data of an indicator answers for it: `<app>/indicators.py` lists `INDICATORS`, each
an `Indicator` whose `rows(ask)` is the queryset (or short list) of the cases behind the number — already
restricted to the asking user's scope and the asked region, built with aggregate-friendly filters, never a
loop over cases. The top floor (`reports`) collects them with `core.registry.collect`, counts them for the
month and the month before, and compares them with their target, a parameter `aims.<code>` registered here
from the indicator's own default (so the city administrator can change it on the parameters page).
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from core import params
from core.models import Region

AIMS = [
    ("laodi", "兜牢底", "应保尽保：困难群众不漏一户、不落一人（发现、受理、救助不缺位）"),
    ("zhundi", "兜准底", "应退尽退：不符合条件的及时退出，人情保、关系保、错保及时纠正"),
    ("haodi", "兜好底", "按时足额：资金按时足额发放到位，事项在时限内办结，不作为、慢作为、乱作为及时纠正"),
]
AIM_LABELS = {code: label for code, label, _ in AIMS}
PARAM_AREA = "aims"


@dataclass(frozen=True)
class Ask:
    """What every indicator is asked with: the user, the region (within the user's scope, checked by the
    caller), the month (first day) and the day the month is looked at (`as_of`: its last day, or today for the
    running month)."""
    user: object
    region: Region
    month: dt.date
    today: dt.date

    @property
    def month_end(self) -> dt.date:
        return self.month.replace(day=calendar.monthrange(self.month.year, self.month.month)[1])

    @property
    def as_of(self) -> dt.date:
        return min(self.month_end, self.today)

    @property
    def next_month(self) -> dt.date:
        return (self.month_end + dt.timedelta(days=1))

    def place(self, qs, *, county: str = "county_id", township: str | None = "township_id",
              village: str | None = "village_id"):
        """`qs` narrowed to the asked region. A model that has no township (or village) key is narrowed to
        the nearest coarser level the region lies in (a county's batch for a township's dashboard)."""
        level, code = self.region.level, self.region.code
        if level == Region.Level.CITY:
            return qs
        if level == Region.Level.VILLAGE and village:
            return qs.filter(**{village: code})
        if level in (Region.Level.VILLAGE, Region.Level.TOWNSHIP) and township:
            return qs.filter(**{township: code[:9]})
        return qs.filter(**{county: code[:6]})


@dataclass(frozen=True)
class Column:
    """One column of the drill-down list and its xlsx: `value(row)`; `link(row)` for the page; `person(row)`
    marks the column as the ID number of that person (masked on the page, full in an export only for a user
    who may see full numbers and states a reason)."""
    label: str
    value: Callable[[object], object] | None = None
    link: Callable[[object], str] | None = None
    person: Callable[[object], object] | None = None


@dataclass(frozen=True)
class Indicator:
    code: str  # stable, used in the API and the parameter key aims.<code>
    aim: str  # laodi / zhundi / haodi
    label: str
    definition: str  # shown beside the number
    actions: tuple  # the user sees the indicator when the role may take any of these (accounts.scope.Action)
    rows: Callable[[Ask], object]  # the cases behind the number: a restricted queryset (or a short list)
    columns: tuple = ()
    unit: str = "户"
    target: Decimal | None = Decimal("0")  # default of the parameter aims.<code>; None: shown, not judged
    better: str = "lower"  # lower / higher
    value: Callable[[Ask], Decimal] | None = None  # when the number is not the count of rows (a rate)
    order: int = 100
    source: str = ""  # the page where the cases are handled (url name), linked under the list

    @property
    def param_key(self) -> str:
        return f"{PARAM_AREA}.{self.code}"

    def measure(self, ask: Ask) -> Decimal:
        if self.value is not None:
            return Decimal(self.value(ask)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        rows = self.rows(ask)
        return Decimal(len(rows) if isinstance(rows, list) else rows.count())

    def target_on(self, day: dt.date) -> Decimal | None:
        if self.target is None:
            return None
        return Decimal(str(params.get(self.param_key, day)))

    def status(self, value: Decimal, target: Decimal | None) -> str:
        """green within target; amber up to twice the target (half of it for 'higher is better'); red beyond;
        info for a number that is watched, not judged."""
        if target is None:
            return "info"
        if self.better == "higher":
            if value >= target:
                return "green"
            return "amber" if value >= target / 2 else "red"
        if value <= target:
            return "green"
        return "amber" if target > 0 and value <= target * 2 else "red"


STATUS_LABELS = {"green": "达标", "amber": "预警", "red": "未达标", "info": "关注"}


def rate(part: int, whole: int) -> Decimal:
    """A percentage with one decimal; 0 when there is nothing to measure."""
    if not whole:
        return Decimal("0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def register_targets(indicators) -> None:
    """Each indicator's target becomes the parameter aims.<code> (default from the indicator)."""
    params.AREAS.setdefault(PARAM_AREA, "三个兜底指标目标值")
    for ind in indicators:
        if ind.target is None:
            continue
        unit = "%" if ind.unit == "%" else ind.unit
        params.REGISTRY.setdefault(ind.param_key, params.Param(
            ind.target, Decimal, f"{AIM_LABELS.get(ind.aim, ind.aim)}：{ind.label}（目标）", unit,
            Decimal("0"), Decimal("100000"),
            help="数值不高于目标为达标" if ind.better == "lower" else "数值不低于目标为达标"))


def today() -> dt.date:
    return timezone.localdate()


