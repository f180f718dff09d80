"""Every page of parameters, standards and the calendar as anonymous and as each demo role: 302/200/404."""
import pytest

from accounts.scope import ROLE_ACTIONS, Action

VIEW_PAGES = ["/params/", "/calendar/", "/calendar/?year=2027", "/standards/"]
CHANGE_PAGES = {"/params/dibao.publicity_days/": Action.PARAMS_CHANGE,
                "/standards/new/": Action.STANDARDS_CHANGE, "/standards/care/new/": Action.STANDARDS_CHANGE}
PUBLIC_PAGES = ["/public/", "/public/?county=410823", "/public/410823101200/"]

USERNAMES = ["shi_admin", "wuzhi_minzheng", "wuzhi_choucha", "wuzhi_caizheng", "zhandian_jingban",
             "zhandian_shenpi", "heying_cun", "shi_xitong", "shi_anquan", "shi_shenji"]


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_but_public_pages_are_open(client):
    """§11: the public notice pages need no login; everything else does."""
    for url in VIEW_PAGES + list(CHANGE_PAGES):
        resp = client.get(url)
        assert resp.status_code == 302 and "/accounts/login/" in resp["Location"], url
    for url in PUBLIC_PAGES:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("username", USERNAMES)
def test_each_role_gets_200_or_404(client, users, username):
    """§0: a role sees what its actions allow; everything else is 404 (never 403)."""
    user = users[username]
    actions = ROLE_ACTIONS[user.role]
    client.force_login(user)
    for url in VIEW_PAGES:
        expected = 200 if Action.PARAMS_VIEW in actions else 404
        assert client.get(url).status_code == expected, (username, url)
    for url, action in CHANGE_PAGES.items():
        expected = 200 if action in actions else 404
        assert client.get(url).status_code == expected, (username, url)
    for url in PUBLIC_PAGES:
        assert client.get(url).status_code == 200, (username, url)


def test_only_the_city_administrator_sets_standards_and_params_change_stays_with_admins():
    """§0 roles: city administrator — parameters, standards; the system administrator keeps parameters only."""
    assert {r for r, a in ROLE_ACTIONS.items() if Action.STANDARDS_CHANGE in a} == {"city_admin"}
    assert {r for r, a in ROLE_ACTIONS.items() if Action.PARAMS_CHANGE in a} == {"city_admin", "system_admin"}
