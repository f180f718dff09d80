"""Browser: 詹店镇's caseworker uploads a file with a card column and a new member of a registered household
(update mode, dry run) and reads what would change."""
import datetime as dt

import pytest

from tests.factories import make_id
from tests.imports.helpers import row, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_dry_run_in_update_mode_shows_the_new_member_and_the_card(login_as, shot, tmp_path):
    from accounts.models import User
    from cases.models import Household
    from imports import services

    head_id, wife_id = make_id(), make_id(sex="F")
    family = [row("H1", "张大山", head_id, "户主"), row("H1", "李秀英", wife_id, "妻")]
    page = login_as("zhandian_jingban")
    actor = User.objects.get(username="zhandian_jingban")
    job = services.import_request(actor=actor, name="a.xlsx", data=xlsx(family), dry_run=False, enqueue=False)
    services.import_run(job.pk)
    household = Household.objects.get(head_name="张大山")
    family[0][18], family[0][19] = "6217000000000001234", "武陟农商银行"
    family.append(row("H1", "张小花", make_id(birth=dt.date(2024, 3, 1), sex="F"), "女"))
    path = tmp_path / "新增成员.xlsx"
    path.write_bytes(xlsx(family))
    _upload(page, path, mode="update", wait_for="试导入通过", shot=lambda: shot(page, "upload-form"))
    body = page.inner_text("body")
    shot(page, "dry-run")
    assert "新增成员" in body and "张小花（子女）" in body and "社保卡号/银行账号" in body
    assert "武陟农商银行 ****1234" in body and str(household.pk) in body
    assert household.members.count() == 2  # a dry run writes nothing


def test_a_csv_with_errors_is_refused_on_the_page_and_its_error_report_holds_the_original_rows(login_as, shot,
                                                                                                   tmp_path):
    """A GBK CSV (stored compressed) with a wrong ID and a household without a head: nothing is written, the page
    lists both errors, and the downloaded report has the original rows with the reason beside them."""
    import io

    from openpyxl import load_workbook

    from cases.models import Person
    from tests.imports.helpers import gbk_csv

    good, bad = make_id(), make_id()[:17] + "0"
    if bad == good[:17] + good[17]:
        bad = good[:17] + "1"
    rows = [row("H1", "王一", good, "户主")] + [row(f"H{n}", f"赵{n}", make_id(), "户主") for n in range(2, 60)]
    rows += [row("H90", "钱二", bad, "户主"), row("H91", "孙三", make_id(), "子")]
    path = tmp_path / "花名册.csv"
    path.write_bytes(gbk_csv(rows))
    persons = Person.objects.count()
    page = login_as("zhandian_jingban")
    _upload(page, path, wait_for="下载错误报告")
    body = page.inner_text("body")
    shot(page, "csv-refused")
    assert "未导入任何数据" in body and "没有户主" in body and "校验位错误" in body
    with page.expect_download() as download:
        page.get_by_text("下载错误报告").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True).worksheets[0]
    cells = [[c for c in r if c not in (None, "")] for r in sheet.iter_rows(values_only=True)]
    text = "\n".join(" ".join(map(str, r)) for r in cells)
    assert "钱二" in text and "孙三" in text and "校验位错误" in text and "没有户主" in text
    assert Person.objects.count() == persons


def _upload(page, path, *, wait_for: str, mode: str = "", shot=None) -> None:
    """Upload `path` on the import page as a caseworker does, and wait for the job's page to show `wait_for`."""
    assert page.goto("/imports/").status == 200
    if shot:
        shot()
    page.set_input_files("input[type=file]", str(path))
    if mode:
        page.select_option("select[name=mode]", mode)
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url("**/imports/*/")
    page.wait_for_selector(f"text={wait_for}", timeout=30_000)
