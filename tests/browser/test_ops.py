"""The system administrator's 系统状态 page and the Chinese error pages, in the browser (issue 14 §3, §5)."""
import pytest

from ops import heartbeat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_system_status_page_from_the_menu(login_as, shot):
    from django.core.management import call_command

    call_command("setup_periodic_tasks", stdout=open("/dev/null", "w"))
    heartbeat.touch("beat", task="ops.tasks.heartbeat_task", periodic="运行心跳")
    heartbeat.touch("worker", task_id="x", periodic="运行心跳", hostname="celery@demo")
    heartbeat.touch("periodic:运行心跳", state="SUCCESS", task="ops.tasks.heartbeat_task", runtime=0.01)
    page = login_as("shi_xitong")
    page.get_by_role("link", name="系统状态").click()
    page.wait_for_url("**/system/status/")
    assert page.get_by_role("heading", name="运行部件").is_visible()
    assert "各部件运行正常" in page.content()
    shot(page, "system-status")


def test_unknown_page_is_the_chinese_404_in_the_layout(login_as, shot):
    page = login_as("zhandian_jingban")
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert "未找到" in page.content() and "URLconf" not in page.content()
    assert page.locator("nav.sidebar").is_visible(), "in the site's layout, with the menu"
    shot(page, "404")
