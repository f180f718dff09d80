"""The home page's recent batches: read once per view with SQL compiled once per scope (funds.selectors.
recent_batches), rows built in Python (funds.listing) with exactly the markup the template loop produced."""
import datetime as dt
from decimal import Decimal

import pytest
from django.template import engines
from django.utils import timezone

from funds import deadlines, listing, selectors
from funds.models import PaymentBatch

pytestmark = pytest.mark.django_db
D = dt.date
# the loop templates/home.html had before the rows were built in Python
ROW_TEMPLATE = (
    "{% load humanize jiuzhu %}"
    """{% for r in batches %}{% with b=r.batch %}<tr><td><a href="{% url 'funds:batch_detail' b.pk %}">{{ b.month|date:"Y年n月" }}</a></td><td>{{ b.county }}</td><td>{{ b.get_kind_display }}</td><td>{{ b.get_status_display }}</td><td class="num">{{ b.line_count|intcomma }}</td><td class="num">{{ b.total_amount|yuan }}</td>
  {% for st in r.states %}<td>{% if st.state == "met" %}<span class="tag tag-ok">按时</span>{% elif st.state == "missed" %}<span class="tag tag-danger">逾期完成</span>{% elif st.state == "overdue" %}<span class="tag tag-danger">已逾期</span>{% else %}<span class="tag">{{ st.due|date:"n月j日" }}前</span>{% endif %}</td>{% endfor %}</tr>{% endwith %}{% endfor %}"""  # noqa: E501
)


def _at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def batches(db):
    made = []
    specs = [("410823", D(2026, 10, 1), "regular", 1, "result_imported", 12345, "1234567.50",
              {"funds_requested_at": _at(D(2026, 9, 30)), "transferred_at": _at(D(2026, 10, 9)),
               "result_imported_at": _at(D(2026, 10, 10))}),
             ("410823", D(2026, 10, 1), "supplementary", 2, "draft", 3, "0.00", {}),
             ("410825", D(2026, 11, 1), "regular", 1, "funds_requested", 999, "88.8",
              {"funds_requested_at": _at(D(2026, 11, 6))}),
             ("410825", D(2026, 12, 1), "one_off", 1, "finalised", 1000000, "5", {}),
             ("410882", D(2026, 9, 1), "regular", 1, "closed", 0, "0", {}),
             ("410823", D(2026, 8, 1), "regular", 1, "closed", 7, "1", {})]
    for county, month, kind, sequence, status, lines, total, stamps in specs:
        made.append(PaymentBatch.objects.create(county_id=county, month=month, kind=kind, sequence=sequence,
                                                status=status, line_count=lines, total_amount=Decimal(total),
                                                **stamps))
    return made


@pytest.mark.parametrize("username", ["shi_admin", "wuzhi_minzheng", "wenxian_minzheng", "wuzhi_caizheng"])
def test_recent_batches_are_batch_lists_first_rows_and_render_as_the_template_did(users, batches, username):
    user = users[username]
    today = D(2026, 12, 3)
    expected = list(selectors.batch_list(user=user).select_related("county")[:5])
    recent = selectors.recent_batches(user=user, limit=5)
    assert [b.id for b in recent] == [b.pk for b in expected]
    due = deadlines.schedules([b.month for b in recent])
    rows = [{"batch": b, "states": deadlines.states(b, today, due[b.month])} for b in recent]
    old = [{"batch": b, "states": deadlines.states(b, today, due[b.month])} for b in expected]
    assert str(listing.batch_rows_html(rows)) == engines["django"].from_string(ROW_TEMPLATE).render({"batches": old})


def test_no_reach_no_batches(users, batches):
    assert selectors.recent_batches(user=users["zhandian_jingban"]) == []  # a township takes no payment.view


def test_the_city_home_shows_current_batches(client, users, batches):
    client.force_login(users["shi_admin"])
    assert "1,000,000" in client.get("/").content.decode()
    PaymentBatch.objects.filter(line_count=1000000).update(line_count=2000000)
    body = client.get("/").content.decode()
    assert "2,000,000" in body and "1,000,000" not in body


def test_home_alerts_are_current_and_addressed_to_region_and_role(client, users):
    from core.models import Alert

    def make(key, **fields):
        return Alert.objects.create(dedupe_key=key, kind="test", message=f"消息{key}", **fields)

    make("a", region_code="410823", level="overdue", link="/funds/")
    make("b", region_code="410823", role="finance_officer", level="warning")
    make("c", region_code="410825")
    client.force_login(users["wuzhi_minzheng"])  # county officer of 410823
    body = client.get("/").content.decode()
    assert '<a href="/funds/">消息a</a>' in body and "逾期" in body
    assert "消息b" not in body and "消息c" not in body
    make("d", region_code="410823", role="county_officer", level="warning")
    Alert.objects.filter(dedupe_key="a").update(resolved_at=timezone.now())
    body = client.get("/").content.decode()
    assert "消息d" in body and "预警" in body and "消息a" not in body
    client.force_login(users["wuzhi_caizheng"])
    body = client.get("/").content.decode()
    assert "消息b" in body and "消息d" not in body
