"""The bank's result file (xlsx or csv): line no. or ID number, card, amount, status, reason.

All or nothing: the file is read and checked completely against the batch first; only a file without a
single problem changes anything, and then every line's result is written in one statement.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.scope import Action, require
from core import audit, idnumbers, pii, tabular, uploads
from core.queue import enqueue_on_commit
from funds import services
from funds.models import PaymentBatch, PaymentLine

COLUMNS = {
    "batch": ("批次号", "批次编号"),
    "line_no": ("序号", "行号"),
    "id_number": ("身份证号码", "身份证号", "证件号码"),
    "card": ("社保卡号/银行账号", "社保卡号", "银行账号", "卡号", "账号"),
    "amount": ("发放金额(元)", "发放金额", "金额(元)", "金额"),
    "status": ("发放状态", "状态", "处理结果"),
    "reason": ("失败原因", "原因", "备注"),
}
OK_WORDS = {"成功", "已发放", "发放成功"}
FAIL_WORDS = {"失败", "发放失败", "未发放"}
MAX_LISTED = 50


class BankFileError(ValidationError):
    """Carries every problem found (Chinese), so the page can list them all."""


@dataclass
class ParsedRow:
    row: int  # spreadsheet row number (header is row 1)
    values: dict


@dataclass
class Outcome:
    paid: int = 0
    failed: int = 0
    problems: list[str] = field(default_factory=list)


LIMITS = {"max_bytes": 20 * 1024 * 1024, "max_columns": 60}


def limits():
    return uploads.default_limits(**LIMITS)


def read_table(name: str, data: bytes) -> list[list]:
    """Rows of the first sheet (xlsx, xls or csv, the type read from the content) through the one bounded
    reader (core.tabular); raises BankFileError for anything else."""
    try:
        return tabular.read(data, name=name, limits=limits()).first.rows
    except uploads.UploadRefused as exc:
        raise BankFileError([f"无法读取文件：{exc.messages[0]}"]) from None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def header_positions(row: list) -> dict[str, int]:
    """{key: column} of the header (row 1); BankFileError naming the missing required columns."""
    header = [tabular.normalize_header(h) for h in row]
    position = {}
    for key, names in COLUMNS.items():
        for n in names:
            if tabular.normalize_header(n) in header:
                position[key] = header.index(tabular.normalize_header(n))
                break
    missing = []
    if "line_no" not in position and "id_number" not in position:
        missing.append("序号或身份证号码")
    for key, label in (("card", "社保卡号/银行账号"), ("amount", "发放金额(元)"), ("status", "发放状态")):
        if key not in position:
            missing.append(label)
    if missing:
        raise BankFileError([f"表头缺少必需的列：{'、'.join(missing)}（第1行应为表头）"])
    return position


def check_header(name: str, data: bytes) -> None:
    """At upload, in the web request: the gate (size, type, zip bounds) and the header row."""
    try:
        rows = tabular.peek(data, name=name, limits=limits(), rows=5)
    except uploads.UploadRefused as exc:
        raise BankFileError([f"无法读取文件：{exc.messages[0]}"]) from None
    rows = [r for r in rows if any(_cell(v) for v in r)]
    if not rows:
        raise BankFileError(["文件是空的：没有表头，也没有数据行"])
    header_positions(rows[0])


def parse(name: str, data: bytes) -> list[ParsedRow]:
    rows = read_table(name, data)
    rows = [r for r in rows if any(_cell(v) for v in r)]
    if not rows:
        raise BankFileError(["文件是空的：没有表头，也没有数据行"])
    position = header_positions(rows[0])
    body = rows[1:]
    if not body:
        raise BankFileError(["文件中没有数据行（只有表头）"])
    out = []
    for i, r in enumerate(body, start=2):
        values = {k: _cell(r[p]) if p < len(r) else "" for k, p in position.items()}
        if values.get("line_no", "") == "合计" or values.get("line_no", "").startswith("合计"):
            continue
        out.append(ParsedRow(i, values))
    if not out:
        raise BankFileError(["文件中没有数据行（只有表头和合计行）"])
    return out


def check(batch, parsed: list[ParsedRow]) -> tuple[list[str], list[tuple]]:
    """(problems, updates) where updates are (line pk, bank_status, reason)."""
    lines = list(PaymentLine.objects.filter(batch=batch, excluded=False).select_related("payee", "payee__person")
                 .only("pk", "line_no", "amount", "payee__card_index", "payee__person__id_index"))
    by_no = {ln.line_no: ln for ln in lines}
    by_id: dict[str, list] = {}
    for ln in lines:
        if ln.payee and ln.payee.person:
            by_id.setdefault(ln.payee.person.id_index, []).append(ln)
    problems: list[str] = []
    seen: dict[int, int] = {}
    updates = []
    unmatched = 0
    for pr in parsed:
        v, where = pr.values, f"第{pr.row}行"
        if "batch" in v and v["batch"] and v["batch"] != batch.number:
            problems.append(f"{where}：批次号“{v['batch']}”与本批次“{batch.number}”不符，是否上传错了批次？")
            unmatched += 1
            continue
        line = None
        id_index = None
        if v.get("id_number"):
            try:
                id_index = idnumbers.index_of(v["id_number"])
            except ValidationError as exc:
                problems.append(f"{where}：身份证号码“{v['id_number']}”无效（{exc.messages[0]}）")
                continue
        if v.get("line_no"):
            try:
                no = int(Decimal(v["line_no"]))
            except (InvalidOperation, ValueError):
                problems.append(f"{where}：序号“{v['line_no']}”不是数字")
                continue
            line = by_no.get(no)
            if line is None:
                problems.append(f"{where}：序号 {no} 不在本批次中")
                unmatched += 1
                continue
            if id_index and (not line.payee.person or line.payee.person.id_index != id_index):
                problems.append(f"{where}：身份证号码与本批次序号 {no} 的发放对象不符")
                continue
        elif id_index:
            candidates = by_id.get(id_index, [])
            if not candidates:
                problems.append(f"{where}：身份证号码 {idnumbers.mask(idnumbers.parse(v['id_number']).value)} 不在本批次中")
                unmatched += 1
                continue
            # one person may have several lines (低保 + 价格补贴): take them in order of amount match
            line = next((c for c in candidates if c.pk not in {u[0] for u in updates}
                         and _amount(v.get("amount")) == c.amount), candidates[0])
        else:
            problems.append(f"{where}：序号和身份证号码都为空")
            continue
        if line.line_no in seen:
            problems.append(f"{where}：与第{seen[line.line_no]}行重复（本批次序号 {line.line_no}）")
            continue
        seen[line.line_no] = pr.row
        try:
            card_ok = line.payee.card_index == pii.index("card", pii.normalize_card(v.get("card", "")))
        except ValidationError as exc:
            problems.append(f"{where}：卡号无效（{exc.messages[0]}）")
            continue
        if not card_ok:
            problems.append(f"{where}：社保卡号/银行账号与本批次序号 {line.line_no} 的卡号不符")
        amount = _amount(v.get("amount"))
        if amount is None:
            problems.append(f"{where}：金额“{v.get('amount', '')}”不是有效数字")
        elif amount != line.amount:
            problems.append(f"{where}：金额 {amount} 元与发放明细 {line.amount} 元不符")
        status = v.get("status", "")
        if status in OK_WORDS:
            updates.append((line.pk, PaymentLine.BankStatus.PAID, ""))
        elif status in FAIL_WORDS:
            reason = v.get("reason", "")
            if not reason:
                problems.append(f"{where}：发放失败但未注明原因")
            updates.append((line.pk, PaymentLine.BankStatus.FAILED, reason[:200]))
        else:
            problems.append(f"{where}：发放状态“{status}”无法识别，应为“成功”或“失败”")
    if parsed and unmatched > len(parsed) / 2:
        problems.insert(0, f"文件与本批次（{batch.number}，{batch.line_count}户）不符：{unmatched}行在本批次中找不到，"
                           "请确认上传的是本批次的银行结果文件")
    missing = [ln.line_no for ln in lines if ln.line_no not in seen]
    if missing:
        shown = "、".join(str(n) for n in missing[:20])
        problems.append(f"结果文件缺少本批次 {len(missing)} 条明细的结果（序号 {shown}{' 等' if len(missing) > 20 else ''}）")
    return problems, updates


def _amount(raw) -> Decimal | None:
    try:
        return Decimal(str(raw).replace(",", "").replace("元", "").strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


def bank_result_import(*, actor, batch, name: str, data: bytes | None = None,
                       parsed: list[ParsedRow] | None = None) -> Outcome:
    """Check the whole file (or its `parsed` rows); raise BankFileError listing every problem, or apply all
    results at once. Run by the worker (funds.bankjobs); the web request only queues it."""
    require(actor, Action.PAYMENT_PREPARE, batch)
    if batch.status != PaymentBatch.Status.SENT_TO_BANK:
        raise BankFileError([f"批次当前为“{batch.get_status_display()}”，送银行后才能导入发放结果"])
    if parsed is None:
        parsed = parse(name, data)
    problems, updates = check(batch, parsed)
    if problems:
        listed = problems[:MAX_LISTED]
        if len(problems) > MAX_LISTED:
            listed.append(f"……另有 {len(problems) - MAX_LISTED} 个问题未列出")
        raise BankFileError(listed)
    outcome = Outcome()
    with transaction.atomic():
        objs = [PaymentLine(pk=pk, bank_status=st, bank_reason=reason) for pk, st, reason in updates]
        PaymentLine.objects.bulk_update(objs, ["bank_status", "bank_reason"], batch_size=2000)
        outcome.paid = sum(1 for _, st, _ in updates if st == PaymentLine.BankStatus.PAID)
        outcome.failed = len(updates) - outcome.paid
        services.batch_transition(actor=actor, batch=batch, to=PaymentBatch.Status.RESULT_IMPORTED, _via_import=True)
        audit.record(actor=actor, action="payment_batch.bank_result", obj=batch,
                     after={"file": name[:100], "paid": outcome.paid, "failed": outcome.failed},
                     region=(batch.county_id, "", ""))
        if outcome.failed:  # the households hear about it (SMS), once the results are committed
            enqueue_on_commit("notifications.tasks.payment_failures", batch.pk)
    return outcome
