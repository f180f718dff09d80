"""Browser: the caseworker asks for missing documents by SMS from the case and sees it in the outbox; the city
edits a template and a wrong placeholder is explained beside the field."""
import pytest

from cases.dibao import workflow
from tests.cases.dibao_helpers import poor_household, seed_standards

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_documents_sms_and_templates(login_as, demo_users, shot):
    seed_standards()
    hh = poor_household()
    hh.set_phone("13800001234")
    hh.save()
    app = workflow.application_accept(actor=demo_users["zhandian_jingban"], household=hh, reason="户主收入低")
    page = login_as("zhandian_jingban")
    page.goto(f"/applications/{app.pk}/")
    page.click("text=短信通知补交所缺材料")
    page.wait_for_selector("text=补交材料短信")
    assert "138****1234" in page.inner_text("#sms")
    shot(page, "1-case-sms")
    page.goto("/notifications/")
    assert app.number in page.inner_text("main")
    shot(page, "2-outbox")

    admin = login_as("shi_admin")
    admin.goto("/notifications/templates/")
    admin.fill("form:has(input[value=publicity]) textarea", "{户主}您好，{身份证号}")
    admin.click("form:has(input[value=publicity]) button")
    admin.wait_for_selector(".field.has-error")
    assert "不认识的占位符" in admin.inner_text(".field.has-error")
    shot(admin, "3-template-error")
