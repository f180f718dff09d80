"""Browser: a township caseworker files a scanned document and a phone photo on a household and an application,
sees the checklist move on the case, and opens the printable list of 材料 received."""
import pytest

from attachments.models import Attachment
from cases.dibao import workflow
from tests.cases.dibao_helpers import poor_household, seed_standards

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cf"
                    "c0f01f0005000201a5d0b9dc0000000049454e44ae426082")


def test_upload_from_household_and_case(login_as, demo_users, shot):
    seed_standards()
    hh = poor_household()
    app = workflow.application_accept(actor=demo_users["zhandian_jingban"], household=hh, reason="户主收入低")
    page = login_as("zhandian_jingban")

    page.goto(f"/applications/{app.pk}/")
    assert "尚缺材料" in page.inner_text("#attachments")
    shot(page, "1-case-missing")
    page.click("#attachments >> text=上传 / 管理材料")
    assert page.get_attribute("#id_photo", "capture") == "environment"
    page.select_option("#id_doc_type", "income")
    page.fill("#id_title", "户主打零工收入说明")
    page.set_input_files("#id_file", files=[{"name": "收入.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    shot(page, "2-upload-form")
    page.click("button:has-text('上传')")
    page.wait_for_selector("text=已上传")
    assert "户主打零工收入说明" in page.inner_text("main")
    shot(page, "3-uploaded")

    # a wrong file: clear message, what was typed is still there
    page.select_option("#id_doc_type", "hukou")
    page.fill("#id_title", "户口簿首页")
    page.set_input_files("#id_file", files=[{"name": "户口.doc", "mimeType": "application/msword",
                                             "buffer": b"\xd0\xcf\x11\xe0 word file"}])
    page.click("button:has-text('上传')")
    page.wait_for_selector(".field.has-error")
    assert "只能上传" in page.inner_text(".field.has-error")
    assert page.input_value("#id_title") == "户口簿首页"
    shot(page, "4-refused")

    # a phone photo of a member's ID card, filed on the household page
    page.goto(f"/households/{hh.pk}/")
    page.click("#attachments >> text=上传 / 管理材料")
    member = hh.members.order_by("pk").first()
    page.select_option("#id_owner", f"cases.person:{member.pk}")
    page.select_option("#id_doc_type", "id_card")
    page.set_input_files("#id_photo", files=[{"name": "IMG_0001.png", "mimeType": "image/png", "buffer": PNG}])
    page.click("button:has-text('上传')")
    page.wait_for_selector("text=已上传")
    shot(page, "5-household-files")

    page.goto(f"/applications/{app.pk}/")
    panel = page.inner_text("#attachments")
    assert "✓ 身份证" in panel and "✓ 收入证明" in panel and "缺 户口簿" in panel
    shot(page, "6-case-checklist")
    page.goto(f"/attachments/cases.application/{app.pk}/received/")
    assert "材料接收清单" in page.inner_text("body")
    shot(page, "7-received")
    assert Attachment.objects.count() == 2
