"""Month arithmetic, one definition for every app: benefits, batches, re-checks and reports count in months."""
import calendar
import datetime as dt


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, n: int) -> dt.date:
    """Same day-of-month n months later (negative: earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + n
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def previous_month(month: dt.date) -> dt.date:
    """First day of the month before `month`'s month."""
    return add_months(first_of_month(month), -1)


def month_range(month: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of `month`'s month."""
    first = first_of_month(month)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the site's time zone, as an aware datetime.

    `created_at < day_start(d)` is "created before day d" as a plain timestamp comparison: `created_at__date`
    converts every row's timestamp to a local date (AT TIME ZONE), which costs a county's 70,000-row count
    most of its time."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
