"""Top floor: the home page reads every app; error pages never show a stack trace."""
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone

from accounts.scope import Action, can
from cases import overview as selectors
from cases.dibao import selectors as dibao_selectors
from core import sqlmemo, workdays
from core.models import Alert
from funds import deadlines
from funds import listing as funds_listing
from funds import selectors as funds_selectors
from jiuzhu import charts
from jiuzhu import overdue as overdue_board


@login_required
def home(request):
    user = request.user
    cards = []
    if can(user, Action.CASE_VIEW):
        counts = selectors.home_counts(user=user)  # cached per scope for a few minutes
        cards.append({"label": "登记家庭", "value": counts["households"], "url": "cases:household_list"})
        cards.append({"label": "在保低保家庭", "value": counts["dibao"], "url": None})
        cards.append({"label": "在保特困人员家庭", "value": counts["tekun"], "url": None})
    calendar_warnings = []
    if can(user, Action.PARAMS_CHANGE):
        calendar_warnings = workdays.unknown_years()
    work = []
    if can(user, Action.CASE_PROCESS) or can(user, Action.CASE_DECIDE):
        todo = dibao_selectors.todo_counts(user=user)  # counts only, one statement
        work = [{"label": label, "count": count} for label, count in todo["groups"]]
        work.append({"label": "待送达通知书", "count": todo["notices"]})
        work.append({"label": "待复核", "count": todo["rechecks"]})
    batches = []
    if can(user, Action.PAYMENT_VIEW):
        today = timezone.localdate()
        recent = funds_selectors.recent_batches(user=user, limit=5)
        due = deadlines.schedules([b.month for b in recent])  # one read of the calendar for all five
        batches = [{"batch": b, "states": deadlines.states(b, today, due[b.month])} for b in recent]
    alerts = open_alerts(user=user)
    chart = charts.applications_by_month(user) if can(user, Action.CASE_VIEW) else ""
    return render(request, "home.html", {"cards": cards, "can_create": can(user, Action.CASE_CHANGE),
                                         "calendar_warnings": calendar_warnings, "work": work,
                                         "alerts": alerts, "batches": batches, "chart": chart,
                                         "batch_rows": funds_listing.batch_rows_html(batches) if batches else ""})


_ALERT_LEVELS = dict(Alert.Level.choices)


def open_alerts(*, user, limit: int = 8) -> list[dict]:
    """The newest unresolved alerts of the user's region addressed to everyone there or to the user's role, with
    their level's label; the SQL compiled once per region and role (core.sqlmemo), run afresh on every view."""
    rows = sqlmemo.values(("home.alerts", user.region_id, user.role, limit), lambda: (
        Alert.objects.filter(resolved_at__isnull=True, region_code=user.region_id)
        .filter(Q(role="") | Q(role=user.role)).order_by("-created_at")
        .values("created_at", "level", "message", "link")[:limit]))
    for row in rows:
        row["level_label"] = _ALERT_LEVELS.get(row["level"], row["level"])
    return rows


OVERDUE_ACTIONS = (Action.CASE_VIEW, Action.SUPERVISION_VIEW, Action.PAYMENT_VIEW)


@login_required
def overdue(request):
    """逾期事项: everything time-limited in the user's region that is overdue or nearly due (issue #8-4)."""
    if not any(can(request.user, a) for a in OVERDUE_ACTIONS):
        raise Http404("未找到")
    return render(request, "overdue.html", overdue_board.board(user=request.user))


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    """Role checks answer 404 (accounts.scope); a 403 that still gets here is a refused CSRF token or a
    PermissionDenied raised by a library: a Chinese page in the site's layout, never Django's."""
    return render(request, "errors/403.html", status=403)


def csrf_failure(request, reason=""):
    return render(request, "errors/403.html", status=403)


def server_error(request):
    """A static page: no database, no context processors, no template tags that could fail again."""
    return HttpResponseServerError(loader.get_template("errors/500.html").template.source,
                                   content_type="text/html; charset=utf-8")
