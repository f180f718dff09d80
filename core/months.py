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
