import pytest
from django.test import Client

from demo.users import DEMO_PASSWORD

PAGES = ["/reports/aims/", "/reports/monthly/", "/reports/charts/", "/audit-trail/",
         "/api/v1/reports/aims/", "/api/v1/reports/monthly/"]


@pytest.mark.parametrize("username", ["shi_admin", "wuzhi_minzheng", "wuzhi_caizheng", "zhandian_jingban",
                                      "heying_cun", "wuzhi_choucha", "shi_shenji"])
def test_pages_render(users, username):
    c = Client()
    assert c.login(username=username, password=DEMO_PASSWORD)
    for url in PAGES:
        r = c.get(url)
        assert r.status_code in (200, 404), (url, r.status_code)
