"""The import's pages, API and command."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from openpyxl import load_workbook
from rest_framework.test import APIClient

from cases.models import Household
from core.models import AuditEvent
from imports import columns
from imports.models import HouseholdImport
from tests.factories import make_id
from tests.imports.helpers import gbk_csv, row, xlsx


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_api_post_returns_202_with_the_job_then_get_shows_errors_and_report(users):
    api = _api(users["zhandian_jingban"])
    data = xlsx([row("H1", "张三", make_id()), row("H1", "李四", "123", "配偶")])
    with TestCase.captureOnCommitCallbacks(execute=True):
        resp = api.post("/api/v1/household-imports/", {"file": SimpleUploadedFile("a.xlsx", data), "dry_run": "true"},
                        format="multipart")
    assert resp.status_code == 202, resp.content
    job_id = resp.json()["id"]
    body = api.get(f"/api/v1/household-imports/{job_id}/").json()
    assert body["status"] == "failed" and body["rows_total"] == 2 and body["rows_valid"] == 1
    assert body["errors"][0] == {"sheet": "家庭成员", "row": 3, "column": "身份证号码", "value": "***",
                                 "reason": "身份证号码应为18位，当前为3位"}
    assert body["error_report"].endswith(f"/imports/{job_id}/errors.xlsx")
    assert _api(users["xitao_jingban"]).get(f"/api/v1/household-imports/{job_id}/").status_code == 404
    assert _api(users["wuzhi_minzheng"]).get(f"/api/v1/household-imports/{job_id}/").status_code == 200  # county


def test_api_refuses_a_renamed_pdf_and_roles_without_import(users):
    api = _api(users["zhandian_jingban"])
    resp = api.post("/api/v1/household-imports/", {"file": SimpleUploadedFile("a.xlsx", b"%PDF-1.4" + bytes(100))},
                    format="multipart")
    assert resp.status_code == 400 and "不是 Excel 文件" in resp.json()["file"][0]
    resp = _api(users["heying_cun"]).post("/api/v1/household-imports/",
                                          {"file": SimpleUploadedFile("a.xlsx", b"x")}, format="multipart")
    assert resp.status_code == 404
    assert not HouseholdImport.objects.exists()


def test_page_upload_progress_result_and_error_report(client, users):
    client.force_login(users["zhandian_jingban"])
    assert "批量导入" in client.get("/").content.decode()
    template = client.get("/imports/template/")
    book = load_workbook(io.BytesIO(template.content))
    assert [c.value for c in book["家庭成员"][1]] == [c.label for c in columns.COLUMNS]
    assert "填写说明" in book.sheetnames
    bad = gbk_csv([row("H1", "=HYPERLINK(\"http://x\",\"点\")", make_id()), row("H2", "王五", make_id(), "子女")])
    with TestCase.captureOnCommitCallbacks(execute=True):
        resp = client.post("/imports/", {"file": SimpleUploadedFile("a.csv", bad), "mode": "create"})
    assert resp.status_code == 302
    page = client.get(resp["Location"]).content.decode()
    assert "没有户主" in page and "下载错误报告" in page
    job = HouseholdImport.objects.get()
    report = client.get(f"/imports/{job.pk}/errors.xlsx")
    sheet = load_workbook(io.BytesIO(report.content))["错误报告"]
    assert sheet.cell(1, 1).value == "错误说明" and sheet.cell(1, 3).value == "户编号"
    assert "没有户主" in sheet.cell(3, 1).value and sheet.cell(3, 2).value == 3
    assert sheet.cell(2, 8).data_type == "s" and sheet.cell(2, 8).value.startswith("=HYPERLINK")  # text, not formula
    assert AuditEvent.objects.filter(action="export", object_id=str(job.pk)).exists()
    good = xlsx([row("H1", "张三", make_id())])
    with TestCase.captureOnCommitCallbacks(execute=True):
        resp = client.post("/imports/", {"file": SimpleUploadedFile("b.xlsx", good), "mode": "create"})
    page = client.get(resp["Location"]).content.decode()
    household = Household.objects.get()
    assert "导入完成" in page and f"/households/{household.pk}/" in page


def test_page_refuses_a_bad_file_at_once(client, users):
    client.force_login(users["zhandian_jingban"])
    resp = client.post("/imports/", {"file": SimpleUploadedFile("a.xlsx", b"%PDF-1.4 x"), "mode": "create"})
    assert resp.status_code == 200 and "不是 Excel 文件" in resp.content.decode()
    assert not HouseholdImport.objects.exists()


def test_pages_are_out_of_reach_for_other_townships_and_roles(client, users):
    job_owner = users["zhandian_jingban"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        from imports import services

        job = services.import_request(actor=job_owner, name="a.xlsx", data=xlsx([row("H1", "张三", make_id())]),
                                      dry_run=True)
    client.force_login(users["xitao_jingban"])
    assert client.get(f"/imports/{job.pk}/").status_code == 404
    assert client.get(f"/imports/{job.pk}/errors.xlsx").status_code == 404
    client.force_login(users["wuzhi_caizheng"])
    assert client.get("/imports/").status_code in (403, 404)


def test_command_prints_every_error_and_exits_non_zero(users, tmp_path, capsys):
    path = tmp_path / "caseload.xlsx"
    path.write_bytes(xlsx([row("H1", "张三", make_id()), row("H2", "李四", "4.10823E+17"),
                           row("H3", "王五", make_id(), village="不存在村")]))
    with pytest.raises(CommandError):
        call_command("import_households", str(path), "--county", "410823")
    out = capsys.readouterr().out
    assert "第3行 身份证号码" in out and "科学计数法" in out and "第4行 村（社区）" in out
    assert not Household.objects.exists()


def test_command_dry_run_then_real_run(users, tmp_path, capsys):
    path = tmp_path / "caseload.csv"
    ident = make_id()
    path.write_bytes(("户编号,村（社区）,家庭住址,户籍类型,姓名,身份证号码,与户主关系\n"
                      f"1,410823101200,何营东村1组,农村,张三,{ident},户主\n").encode("gbk"))
    call_command("import_households", str(path), "--county", "410823", "--dry-run")
    assert "试导入通过" in capsys.readouterr().out and not Household.objects.exists()
    call_command("import_households", str(path), "--county", "410823")
    assert Household.objects.get().village_id == "410823101200"
    with pytest.raises(CommandError):
        call_command("import_households", str(path), "--county", "999999")


def test_detail_page_and_status_poll_never_read_the_stored_file(client, users):
    """A county's caseload is stored sealed on the job (30 MB for 100,000 households); only the worker reads it.
    The detail page and its progress poll must not load it (0.66 s per view at that size)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["zhandian_jingban"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        resp = client.post("/imports/", {"file": SimpleUploadedFile("b.xlsx", xlsx([row("H1", "张三", make_id())])),
                                         "mode": "create"})
    job = HouseholdImport.objects.get()
    assert job.stored_file()  # the file is there to be read...
    for url in (resp["Location"], f"/imports/{job.pk}/?format=json"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert not [q for q in ctx.captured_queries if "file_cipher" in q["sql"]], url  # ...but not by a page
