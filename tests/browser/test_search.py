"""Browser: the search box in the top bar finds a case by its number and a person by the full ID number."""
import pytest

from cases.dibao import workflow
from tests.cases.dibao_helpers import poor_household, seed_standards

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_search_box(login_as, demo_users, shot):
    seed_standards()
    hh = poor_household()
    app = workflow.application_accept(actor=demo_users["zhandian_jingban"], household=hh, reason="户主收入低")
    head = hh.members.get(relationship="head")
    page = login_as("zhandian_jingban")
    page.fill(".topsearch input[name=q]", app.number.lower())
    page.press(".topsearch input[name=q]", "Enter")
    page.wait_for_url("**/search/**")
    assert page.inner_text("[data-group=applications]").count(app.number) == 1
    shot(page, "1-case-number")
    page.click(f"text={app.number}")
    page.wait_for_url(f"**/applications/{app.pk}/")

    page.fill(".topsearch input[name=q]", head.reveal_id_number())
    page.press(".topsearch input[name=q]", "Enter")
    page.wait_for_selector("[data-group=persons]")
    text = page.inner_text("main")
    assert head.name in text and head.id_masked in text and head.reveal_id_number() not in text
    shot(page, "2-id-number")

    page.fill(".search-form input[name=q]", "DB2099-99999")
    page.click(".search-form button")
    page.wait_for_selector("text=没有找到")
    shot(page, "3-nothing")
