import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from core.models import AuditEvent
from funds import bankresults, exports, services
from funds.models import ExportJob, PaymentBatch, PaymentLine
from tests.funds.conftest import MONTH, make_paid, price, to_sent

pytestmark = pytest.mark.django_db
S = PaymentBatch.Status


def _batch(users, wuzhi, n=3, subsidy=False):
    if subsidy:
        price(users)
    made = [make_paid("dibao", f"{300 + i}.50", i + 1) for i in range(n)]
    batch = services.batch_draft(actor=users["wuzhi_minzheng"], county=wuzhi, month=MONTH)
    return batch, made


# --- the 一卡通 file -------------------------------------------------------------------------------

def test_export_file_read_back_cell_by_cell(users, standards, wuzhi, tmp_path):
    """§6 the 一卡通 xlsx: the 12 columns, full ID and card numbers as text, amounts, a totals row."""
    batch, made = _batch(users, wuzhi, n=2, subsidy=True)
    batch = services.batch_transition(actor=users["wuzhi_minzheng"], batch=batch, to=S.FINALISED)
    path = tmp_path / "out.xlsx"
    rows = exports.write_payment_file(batch, path)
    assert rows == 4  # 2 低保 + 2 价格补贴
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == ["序号", "县（市、区）", "乡镇（街道）", "村（社区）", "户主姓名", "身份证号码",
                                        "社保卡号/银行账号", "开户银行", "救助类别", "保障人数", "发放金额（元）", "备注"]
    lines = list(PaymentLine.objects.filter(batch=batch).select_related("payee", "payee__person").order_by("line_no"))
    for r, line in enumerate(lines, start=2):
        cells = [c for c in ws[r]]
        head = line.payee.person
        expected = [line.line_no, "武陟县", "詹店镇", "何营东村", line.head_name, head.reveal_id_number(),
                    line.payee.reveal_card(), "中国农业银行焦作分行",
                    "低保" if line.category == "dibao" else "价格临时补贴", line.persons_covered,
                    float(line.amount), "新增" if line.category == "dibao" else "低保对象；新增"]
        assert [c.value for c in cells] == expected
        assert cells[5].data_type == "s" and len(cells[5].value) == 18  # text, never 4.10823E+17
        assert cells[6].data_type == "s" and len(cells[6].value) == 19
        assert cells[5].number_format == "@" and cells[6].number_format == "@"
    total = [c.value for c in ws[len(lines) + 2]]
    assert total[0] == "合计" and total[4] == "4条"
    # 人数 counts each household once: the price-subsidy lines carry the same people as the 低保 lines
    per_household = {ln.household_id: ln.persons_covered for ln in lines}
    assert len(per_household) == 2 and total[9] == sum(per_household.values())
    assert total[9] < sum(ln.persons_covered for ln in lines)
    assert Decimal(str(total[10])) == batch.total_amount
    assert ws.max_row == len(lines) + 2


def test_export_job_runs_in_background_and_download_is_audited(client, users, standards, wuzhi,
                                                                django_capture_on_commit_callbacks):
    """§6 the export is a persisted job with progress; every download is audited (who, which batch, how many rows)."""
    batch, _ = _batch(users, wuzhi, n=3)
    finance = users["wuzhi_caizheng"]
    batch = services.batch_transition(actor=users["wuzhi_minzheng"], batch=batch, to=S.FINALISED)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(actor=finance, batch=batch)
    job.refresh_from_db()  # eager Celery in tests: the task already ran on commit
    assert job.status == ExportJob.Status.SUCCEEDED and job.progress == 100 and job.rows == 3
    client.force_login(finance)
    resp = client.get(f"/funds/exports/{job.pk}/download/")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    assert wb.active.max_row == 5
    event = AuditEvent.objects.get(action="payment_export.download")
    assert event.actor == finance and event.object_id == str(batch.pk) and event.after["rows"] == 3
    assert event.category == "access"


def test_failed_export_is_visible_retryable_and_leaves_batch_alone(users, standards, wuzhi, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    """A failed export never leaves a batch stuck: the job shows the error, the batch keeps its state, retry works."""
    batch, _ = _batch(users, wuzhi, n=1)
    officer = users["wuzhi_minzheng"]
    batch = services.batch_transition(actor=officer, batch=batch, to=S.FINALISED)

    def boom(*a, **k):
        raise OSError("磁盘已满")

    monkeypatch.setattr(exports, "write_payment_file", boom)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(actor=officer, batch=batch)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "磁盘已满" in job.error
    assert PaymentBatch.objects.get(pk=batch.pk).status == S.FINALISED
    services.batch_transition(actor=officer, batch=batch, to=S.FUNDS_REQUESTED)  # not blocked
    monkeypatch.undo()
    for reader in ("wuzhi_choucha", "shi_admin"):  # may read the batch, may not export: may not retry either
        with pytest.raises(ValidationError, match="无权导出"):
            services.export_retry(actor=users[reader], job=job)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_retry(actor=officer, job=job)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.SUCCEEDED and job.attempts == 2


def test_draft_cannot_be_exported(users, standards, wuzhi):
    batch, _ = _batch(users, wuzhi, n=1)
    with pytest.raises(ValidationError, match="请先定稿"):
        services.export_request(actor=users["wuzhi_minzheng"], batch=batch)


# --- bank results ----------------------------------------------------------------------------------

def _result_rows(batch, fail_line_no=None):
    rows = []
    for ln in PaymentLine.objects.filter(batch=batch, excluded=False).select_related("payee", "payee__person"):
        failed = ln.line_no == fail_line_no
        rows.append([ln.line_no, ln.payee.person.reveal_id_number(), ln.payee.reveal_card(), str(ln.amount),
                     "失败" if failed else "成功", "账户已销户" if failed else ""])
    return rows


HEADER = ["序号", "身份证号码", "社保卡号/银行账号", "发放金额(元)", "发放状态", "失败原因"]


def _xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    if header:
        ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv(rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


@pytest.fixture
def sent(users, standards, wuzhi):
    batch, _ = _batch(users, wuzhi, n=3)
    return to_sent(batch, users)


def _problems(users, batch, name, data) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        bankresults.bank_result_import(actor=users["wuzhi_minzheng"], batch=batch, name=name, data=data)
    batch.refresh_from_db()
    assert batch.status == S.SENT_TO_BANK  # nothing changed
    assert not PaymentLine.objects.filter(batch=batch).exclude(bank_status="pending").exists()
    return exc.value.messages


def test_bank_result_valid_xlsx_marks_paid_and_failed_and_moves_batch(users, sent):
    """§6 a valid result file updates every line at once and moves the batch to 已导入发放结果."""
    outcome = bankresults.bank_result_import(actor=users["wuzhi_minzheng"], batch=sent, name="结果.xlsx",
                                             data=_xlsx(_result_rows(sent, fail_line_no=2)))
    assert (outcome.paid, outcome.failed) == (2, 1)
    sent.refresh_from_db()
    assert sent.status == S.RESULT_IMPORTED
    failed = PaymentLine.objects.get(batch=sent, bank_status="failed")
    assert failed.line_no == 2 and failed.bank_reason == "账户已销户"


def test_bank_result_valid_csv_by_id_number_only(users, sent):
    rows = [[None, r[1], r[2], r[3], r[4], r[5]] for r in _result_rows(sent)]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER[1:])
    w.writerows([r[1:] for r in rows])
    outcome = bankresults.bank_result_import(actor=users["wuzhi_minzheng"], batch=sent, name="result.csv",
                                             data=buf.getvalue().encode("gb18030"))
    assert outcome.paid == 3


def test_bad_bank_file_wrong_batch(users, sent, wuzhi):
    """§6 a result file of another batch is refused, saying so."""
    rows = [["410823-202611-01"] + r for r in _result_rows(sent)]
    problems = _problems(users, sent, "r.xlsx", _xlsx(rows, header=["批次号"] + HEADER))
    assert any("文件与本批次" in p for p in problems)
    assert any("批次号“410823-202611-01”与本批次“410823-202612-01”不符" in p for p in problems)


def test_bad_bank_file_line_numbers_of_another_batch(users, sent):
    rows = _result_rows(sent)
    for r in rows:
        r[0] += 100
    problems = _problems(users, sent, "r.xlsx", _xlsx(rows))
    assert problems[0].startswith("文件与本批次（410823-202612-01，3户）不符")
    assert "第2行：序号 101 不在本批次中" in problems


def test_bad_bank_file_wrong_amounts(users, sent):
    rows = _result_rows(sent)
    rows[1][3] = "999.99"
    problems = _problems(users, sent, "r.xlsx", _xlsx(rows))
    assert problems == ["第3行：金额 999.99 元与发放明细 301.50 元不符"]


def test_bad_bank_file_unknown_ids(users, sent):
    from tests.factories import make_id

    rows = _result_rows(sent)
    rows[0][1] = make_id("410823")
    rows[2][0] = None
    rows[2][1] = make_id("410823")
    problems = _problems(users, sent, "r.csv", _csv(rows))
    assert "第2行：身份证号码与本批次序号 1 的发放对象不符" in problems
    assert any(p.startswith("第4行：身份证号码 410823") and p.endswith("不在本批次中") for p in problems)


def test_bad_bank_file_invalid_id_excel_scientific_notation(users, sent):
    rows = _result_rows(sent)
    rows[0][1] = "4.10823E+17"
    problems = _problems(users, sent, "r.csv", _csv(rows))
    assert problems[0].startswith("第2行：身份证号码“4.10823E+17”无效")


def test_bad_bank_file_duplicates(users, sent):
    rows = _result_rows(sent)
    rows.append(list(rows[0]))
    problems = _problems(users, sent, "r.xlsx", _xlsx(rows))
    assert problems == ["第5行：与第2行重复（本批次序号 1）"]


def test_bad_bank_file_wrong_card_and_status(users, sent):
    rows = _result_rows(sent)
    rows[0][2] = "6228480000000000018"
    rows[1][4] = "处理中"
    rows[2][4], rows[2][5] = "失败", ""
    problems = _problems(users, sent, "r.xlsx", _xlsx(rows))
    assert problems == ["第2行：社保卡号/银行账号与本批次序号 1 的卡号不符",
                        "第3行：发放状态“处理中”无法识别，应为“成功”或“失败”",
                        "第4行：发放失败但未注明原因"]


def test_bad_bank_file_missing_lines(users, sent):
    problems = _problems(users, sent, "r.xlsx", _xlsx(_result_rows(sent)[:2]))
    assert problems == ["结果文件缺少本批次 1 条明细的结果（序号 3）"]


def test_bad_bank_file_empty_sheet(users, sent):
    assert _problems(users, sent, "r.xlsx", _xlsx([], header=None)) == ["文件是空的：没有表头，也没有数据行"]
    assert _problems(users, sent, "r.xlsx", _xlsx([])) == ["文件中没有数据行（只有表头）"]


def test_bad_bank_file_not_a_spreadsheet(users, sent):
    assert _problems(users, sent, "r.xlsx", b"PK\x03\x04 not really a zip") == [
        "无法读取文件：文件已损坏或不是 Excel 表格，请用 Excel 打开确认后重新上传"]
    assert _problems(users, sent, "r.pdf", b"%PDF-1.4") == [
        "无法读取文件：不是 Excel 文件：上传的是PDF 文件，请上传 .xlsx、.xls 或 .csv 表格"]


def test_bad_bank_file_missing_columns(users, sent):
    problems = _problems(users, sent, "r.xlsx", _xlsx([[1, "x"]], header=["序号", "姓名"]))
    assert problems == ["表头缺少必需的列：社保卡号/银行账号、发放金额(元)、发放状态（第1行应为表头）"]


def test_failed_lines_reissued_in_supplementary_batch_after_card_correction(users, sent):
    """§6 failed lines are re-issued in a supplementary batch once the card is corrected; never paid twice."""
    officer = users["wuzhi_minzheng"]
    bankresults.bank_result_import(actor=officer, batch=sent, name="r.xlsx", data=_xlsx(_result_rows(sent, 2)))
    sent.refresh_from_db()
    with pytest.raises(ValidationError, match="请先为失败家庭更正"):
        services.batch_supplement(actor=officer, batch=sent)
    failed = PaymentLine.objects.get(batch=sent, bank_status="failed")
    services.payee_set(actor=officer, household=failed.household, card_number="6228480000000000018",
                       bank_name="中国农业银行焦作分行", reason="原卡已销户")
    supplement = services.batch_supplement(actor=officer, batch=sent)
    assert supplement.kind == "supplementary" and supplement.parent == sent and supplement.status == S.DRAFT
    line = supplement.lines.get()
    assert line.household_id == failed.household_id and line.amount == failed.amount
    assert line.change == "reissue" and line.reissue_of_id == failed.pk and line.card_masked == "****0018"
    failed.refresh_from_db()
    assert failed.bank_status == "reissued" and not failed.claims_slot
    assert PaymentLine.objects.filter(household=failed.household, month=MONTH, category="dibao",
                                      claims_slot=True).count() == 1
    with pytest.raises(ValidationError):
        services.batch_supplement(actor=officer, batch=sent)  # nothing left to re-issue


def test_a_failed_payment_line_tells_its_household_once(users, sent, django_capture_on_commit_callbacks):
    """§6 / [9/10]: a line the bank returns as failed sends the household one 发放异常 notice (the amount and the
    township, never an ID or card number); running the notifier again sends nothing more."""
    from notifications import services as notify
    from notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        bankresults.bank_result_import(actor=users["wuzhi_minzheng"], batch=sent, name="结果.xlsx",
                                       data=_xlsx(_result_rows(sent, fail_line_no=2)))
    failed = PaymentLine.objects.get(batch=sent, bank_status="failed")
    notes = Notification.objects.filter(kind="payment_failed")
    assert list(notes.values_list("payment_line_id", flat=True)) == [failed.pk]
    body = notes.get().body
    assert f"{failed.amount:,.2f}" in body and failed.head_name in body
    assert failed.payee.person.reveal_id_number() not in body
    assert notify.notify_payment_failures(sent.pk) == 0 and notes.count() == 1


# --- 序号 without gaps (issue #21) ------------------------------------------------------------------

def _gappy_batch(users, wuzhi):
    """Four households in one village, in drafting order: paid, no card, held (death), paid."""
    from tests.funds.conftest import hold

    first = make_paid("dibao", "310.00", 1)
    no_card = make_paid("dibao", "320.00", 1, card=False)
    held = make_paid("dibao", "330.00", 1)
    hold(held[0])
    last = make_paid("dibao", "340.00", 1)
    batch = services.batch_draft(actor=users["wuzhi_minzheng"], county=wuzhi, month=MONTH)
    return batch, first, no_card, held, last


def _file_to_results(path, fail_no=None):
    """What the bank sends back: the 一卡通 file's own 序号, ID, card and amount, with a status per row."""
    ws = load_workbook(path).active
    rows = []
    for cells in ws.iter_rows(min_row=2, values_only=True):
        if cells[0] == "合计":
            break
        failed = cells[0] == fail_no
        rows.append([cells[0], cells[5], cells[6], f"{cells[10]:.2f}", "失败" if failed else "成功",
                     "账户已冻结" if failed else ""])
    return rows


def test_export_numbers_paid_lines_without_gaps_and_bank_results_match_them(users, standards, wuzhi, tmp_path):
    """一卡通 序号 runs 1..N over the lines actually paid (excluded lines are not in the file, and leave no gap),
    and the bank's result file, numbered like the file, lands on the same lines."""
    batch, first, no_card, held, last = _gappy_batch(users, wuzhi)
    assert (batch.line_count, batch.excluded_count) == (2, 2)
    batch = to_sent(batch, users)
    path = tmp_path / "yikatong.xlsx"
    assert exports.write_payment_file(batch, path) == 2
    results = _file_to_results(path, fail_no=2)
    assert [r[0] for r in results] == [1, 2]
    assert [r[3] for r in results] == ["310.00", "340.00"]
    # the excluded lines keep numbers after the paid ones, never inside the file's range
    excluded = PaymentLine.objects.filter(batch=batch, excluded=True).order_by("line_no")
    assert [ln.line_no for ln in excluded] == [3, 4]
    assert {ln.household_id for ln in excluded} == {no_card[0].pk, held[0].pk}

    outcome = bankresults.bank_result_import(actor=users["wuzhi_minzheng"], batch=batch, name="结果.xlsx",
                                             data=_xlsx(results))
    assert (outcome.paid, outcome.failed) == (1, 1)
    failed = PaymentLine.objects.get(batch=batch, bank_status="failed")
    assert failed.household_id == last[0].pk and failed.amount == Decimal("340.00")
    assert PaymentLine.objects.get(batch=batch, bank_status="paid").household_id == first[0].pk
    assert set(excluded.values_list("bank_status", flat=True)) == {"pending"}


def test_bank_result_naming_an_excluded_lines_number_is_refused(users, standards, wuzhi):
    """序号 4 is an excluded line's number (paid lines are 1..2): it was never in the file, so a result for it is
    not in the batch."""
    batch, *_ = _gappy_batch(users, wuzhi)
    batch = to_sent(batch, users)
    rows = _result_rows(batch) + [[4, "", "6228480000000000000", "330.00", "成功", ""]]
    problems = _problems(users, batch, "r.xlsx", _xlsx(rows))
    assert any("序号 4 不在本批次中" in p for p in problems)


def test_batch_page_shows_the_files_numbers(client, users, standards, wuzhi):
    """The batch page shows the paid lines under the 序号 of the file; excluded lines show none."""
    batch, *_ = _gappy_batch(users, wuzhi)
    client.force_login(users["wuzhi_minzheng"])
    page = client.get(f"/funds/batches/{batch.pk}/").content.decode()
    numbers = [int(n) for n in re.findall(r'<td class="num">(\d+)</td><td>詹店镇', page)]
    assert numbers == [1, 2]
    page = client.get(f"/funds/batches/{batch.pk}/?view=excluded").content.decode()
    assert re.findall(r'<td class="num">(\d+)</td><td>詹店镇', page) == []
    assert page.count("不在一卡通发放文件中") == 2
