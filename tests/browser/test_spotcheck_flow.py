"""Browser: a county reviewer opens a month's spot-check and works through the sample (§5)."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_reviewer_works_through_a_sample(login_as, shot):
    from accounts.models import User
    from audit.models import SpotCheck
    from tests.audit.test_spotchecks import MONTH, _decision

    page = login_as("wuzhi_choucha")  # seeds the demo users
    users = {u.username: u for u in User.objects.all()}
    for _ in range(3):
        _decision(users)
    for _ in range(2):
        _decision(users, status="refused")
    _decision(users, township="410823102")
    page.click("nav >> text=县级抽查")
    page.fill("#id_month", f"{MONTH:%Y-%m}")
    page.click("text=发起抽查")
    page.wait_for_selector("text=各乡镇抽查比例")
    shot(page, "drawn")
    sc = SpotCheck.objects.get()
    sampled = sc.items.count()
    assert sampled == 3  # 詹店镇 ceil(30 % of 5) = 2, 西陶镇 1
    page.click("table >> nth=1 >> a >> nth=0")
    for i in range(sampled):
        page.check("input[name=finding][value=correct]" if i else "input[name=finding][value=wrong]")
        if i == 0:
            page.fill("#id_finding_reason", "家庭收入核算漏计务工收入")
        page.click("text=保存并检查下一件")
    page.wait_for_selector("text=各乡镇抽查比例")
    page.click("text=用随机种子复核抽样")
    page.wait_for_selector("text=完全一致")
    shot(page, "reviewed")
    assert sc.items.filter(finding="").count() == 0
    assert sc.items.filter(finding="wrong").count() == 1
