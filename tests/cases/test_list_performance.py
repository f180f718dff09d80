"""Issue #2 items 12/13: the household list and the home page stay cheap at city scale."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PersonFactory, make_id

COUNT = re.compile(r"COUNT\(", re.I)


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
def test_household_list_query_count_is_constant_and_never_counts(client, users):
    """#2.13 list: the same few queries for 1 or 60 households, and never a COUNT."""
    client.force_login(users["zhandian_jingban"])
    PersonFactory(household__village="410823101200")
    client.get("/households/")  # warm: parameter cache, content types
    _, few = _get(client, "/households/")
    for _ in range(60):
        PersonFactory(household__village="410823101200")
    response, many = _get(client, "/households/")
    assert len(many) == len(few) <= 8
    assert not any(COUNT.search(sql) and "cases_person" not in sql for sql in many)
    assert "下一页" in response.content.decode()


@pytest.mark.django_db
def test_household_search_by_id_name_and_last4_within_scope(client, users):
    """#2.4 search by full ID (blind index), by name, by name plus last four; out of scope finds nothing."""
    value = make_id("410823")
    member = PersonFactory(household__village="410823101200", name="欧阳测试", id_number=value)
    household = member.household
    client.force_login(users["zhandian_jingban"])
    for q in (value, value.lower(), f" {value[:6]} {value[6:]} ", "欧阳测试", f"欧阳测试{value[-4:]}",
              household.head_name[:1]):
        body = client.get("/households/", {"q": q}).content.decode()
        assert f"/households/{household.pk}/" in body, q
    client.force_login(users["xitao_jingban"])  # 西陶镇: same city, another township
    assert f"/households/{household.pk}/" not in client.get("/households/", {"q": value}).content.decode()


@pytest.mark.django_db
def test_home_counts_are_cached_per_scope(client, users):
    """#2.13 home: the counts of households in scope are computed once per few minutes, not per request."""
    PersonFactory(household__village="410823101200")
    client.force_login(users["shi_admin"])
    _, first = _get(client, "/")
    assert any(COUNT.search(sql) for sql in first)
    _, second = _get(client, "/")
    assert not any(COUNT.search(sql) for sql in second)
    client.force_login(users["zhandian_jingban"])  # another scope: its own counts
    response, third = _get(client, "/")
    assert any(COUNT.search(sql) for sql in third)
    assert "统计数每5分钟更新" in response.content.decode()


def test_village_short_name_does_not_double_the_village_character():
    """Display: 郭村村民委员会 is 郭村 (village 郭村), 何营东村民委员会 is 何营东村."""
    from core.models import Region

    assert Region(code="1", name="郭村村民委员会").short_name == "郭村"
    assert Region(code="2", name="何营东村民委员会").short_name == "何营东村"
    assert Region(code="3", name="建设路社区居民委员会").short_name == "建设路社区"


@pytest.mark.django_db
def test_cached_grants_follow_grant_and_revoke_at_once(client, users, settings):
    """§0 explicit grants: with the shared grants cache on, a grant and a revoke take effect on the next request."""
    from accounts import services as account_services
    from core import params

    settings.JIUZHU_SHARED_CACHE = True
    params._local.clear()
    other = PersonFactory(household__village="410823101200").household  # 詹店镇
    xitao = users["xitao_jingban"]
    client.force_login(xitao)
    url = f"/households/{other.pk}/"
    assert client.get(url).status_code == 404  # caches the (empty) grant list
    account_services.object_grant(actor=users["wuzhi_minzheng"], user=xitao, obj=other, level="view",
                                  reason="跨镇协查")
    assert client.get(url).status_code == 200
    account_services.object_revoke(actor=users["wuzhi_minzheng"], user=xitao, obj=other, level="view",
                                   reason="协查结束")
    assert client.get(url).status_code == 404


def test_list_rows_built_in_python_match_the_templates_markup():
    """The household list's rows (cases.households.listing) are what the template loop rendered, escaping included."""
    import datetime as dt

    from django.template import engines

    from cases.households import listing

    row_template = engines["django"].from_string(
        '{% for h in rows %}<tr><td><a href="{{ h.url }}">{{ h.head_name }}</a></td><td class="num">{{ h.members }}'
        '</td><td>{% include "cases/_categories.html" with held=h.categories %}</td><td>{{ h.hukou }}</td>'
        "<td>{{ h.township }}</td><td>{{ h.village }}</td><td>{{ h.address }}</td></tr>\n{% endfor %}")
    rows = [
        {"url": "/households/7/", "head_name": '<b>"张&三\'</b>', "members": "3", "hukou": "农业",
         "township": "詹店镇", "village": "郭村", "address": "郭村4组<script>",
         "categories": [{"code": "dibao", "label": "低保", "ended": False, "start": dt.date(2026, 3, 1), "end": None},
                        {"code": "tekun", "label": "特困", "ended": True, "start": dt.date(2024, 1, 1),
                         "end": dt.date(2025, 11, 1)}]},
        {"url": "/households/8/", "head_name": "李四", "members": "1", "hukou": "非农业", "township": "西陶镇",
         "village": "", "address": "", "categories": []},
    ]
    assert str(listing.rows_html(rows)) == row_template.render({"rows": rows})
    assert "&lt;script&gt;" in listing.rows_html(rows)
