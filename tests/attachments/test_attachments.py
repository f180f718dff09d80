"""Attachments: type from content, size bound, sealed at rest, scoped by the owner, audited on every opening,
the checklist of an application kind and the printable list of 材料 received; the API."""
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.parameters import services as param_services
from attachments import checklist, services
from attachments.models import Attachment, AttachmentContent
from cases.dibao import workflow
from core import crypto, keys, rotation
from core.models import AuditEvent
from tests.cases.dibao_helpers import poor_household, seed_standards

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


@pytest.fixture
def keyfile(tmp_path, settings):
    """A writable copy of the fixed test keys (rotation adds versions to it)."""
    path = tmp_path / "keys.json"
    shutil.copy(Path(__file__).resolve().parent.parent / "keys" / "test-keys.json", path)
    settings.JIUZHU_KEY_FILE, settings.JIUZHU_KEYS_JSON = str(path), ""
    keys.reset_keyring()
    yield path
    keys.reset_keyring()


@pytest.fixture
def hh(users):
    seed_standards()
    return poor_household()


@pytest.fixture
def app(users, hh):
    return workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="户主收入低")


def test_type_comes_from_content_not_name(users, hh):
    worker = users["zhandian_jingban"]
    att = services.attach(actor=worker, owner=hh, data=JPEG, filename="scan.pdf", doc_type="hukou")
    assert att.mime == "image/jpeg"
    with pytest.raises(ValidationError) as exc:
        services.attach(actor=worker, owner=hh, data=b"MZ\x90\x00 not a pdf", filename="证明.pdf", doc_type="income")
    assert "PDF、JPEG 或 PNG" in str(exc.value)
    with pytest.raises(ValidationError):
        services.attach(actor=worker, owner=hh, data=b"", filename="x.png", doc_type="income")
    assert Attachment.objects.count() == 1


def test_size_limit_is_a_city_parameter(users, hh, settings):
    worker = users["zhandian_jingban"]
    big = PDF + b"0" * (1024 * 1024)
    param_services.parameter_set(actor=users["shi_admin"], key="attachments.max_size_mb", value=1,
                                 effective_from=dt.date(2020, 1, 1), reason="测试")
    with pytest.raises(ValidationError) as exc:
        services.attach(actor=worker, owner=hh, data=big, filename="big.pdf", doc_type="income")
    assert "1 MB" in str(exc.value)


def test_content_sealed_at_rest_and_bound_to_its_row(users, hh):
    att = services.attach(actor=users["zhandian_jingban"], owner=hh, data=PDF, filename="a.pdf", doc_type="income")
    with connection.cursor() as cur:
        cur.execute("SELECT content_cipher FROM attachments_attachmentcontent")
        raw = bytes(cur.fetchone()[0])
    assert b"%PDF" not in raw and len(raw) > len(PDF)
    body = AttachmentContent.objects.get(attachment=att)
    assert body.reveal() == PDF
    # a body copied to another row does not open
    other = services.attach(actor=users["zhandian_jingban"], owner=hh, data=PNG, filename="b.png", doc_type="other")
    copy = AttachmentContent.objects.get(attachment=other)
    copy.content_cipher = body.content_cipher
    with pytest.raises(crypto.DecryptionError):
        copy.reveal()


def test_rotation_reseals_attachment_bodies(keyfile, users, hh):
    att = services.attach(actor=users["zhandian_jingban"], owner=hh, data=PDF, filename="a.pdf", doc_type="income")
    keys.add_enc_version()
    rotation.rotate_all()
    body = AttachmentContent.objects.get(attachment=att)
    assert body.key_version == keys.get_keyring().current
    assert body.reveal() == PDF


def test_scope_owner_region_and_roles(users, hh):
    worker = users["zhandian_jingban"]
    att = services.attach(actor=worker, owner=hh, data=PDF, filename="a.pdf", doc_type="income")
    # another township's caseworker may neither add nor open
    with pytest.raises(ValidationError):
        services.attach(actor=users["xitao_jingban"], owner=hh, data=PDF, filename="a.pdf", doc_type="income")
    with pytest.raises(ValidationError):
        services.open_content(actor=users["xitao_jingban"], attachment=att)
    # the county reviewer reads but may not add
    assert services.open_content(actor=users["wuzhi_choucha"], attachment=att) == PDF
    with pytest.raises(ValidationError):
        services.attach(actor=users["wuzhi_choucha"], owner=hh, data=PDF, filename="a.pdf", doc_type="income")
    # the finance officer reads no case files at all
    with pytest.raises(ValidationError):
        services.open_content(actor=users["wuzhi_caizheng"], attachment=att)


def test_every_opening_is_audited(users, hh, client):
    att = services.attach(actor=users["zhandian_jingban"], owner=hh, data=PDF, filename="a.pdf", doc_type="income")
    client.force_login(users["wuzhi_choucha"])
    for _ in range(2):
        r = client.get(f"/attachments/file/{att.pk}/")
        assert r.status_code == 200 and r.content == PDF
        assert r["X-Content-Type-Options"] == "nosniff"
    r = client.get(f"/attachments/file/{att.pk}/?download=1")
    assert r["Content-Disposition"].startswith("attachment;")
    events = AuditEvent.objects.filter(object_type="attachments.attachment", object_id=str(att.pk))
    assert events.filter(action="attachment.view", actor_username="wuzhi_choucha").count() == 2
    assert events.filter(action="attachment.download").count() == 1
    # out of reach: 404 and the attempt is on the trail
    client.force_login(users["xiangyun_jingban"])
    assert client.get(f"/attachments/file/{att.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", actor_username="xiangyun_jingban").exists()


def test_checklist_shows_missing_on_the_case(users, hh, app, client):
    worker = users["zhandian_jingban"]
    required = checklist.required("dibao")
    assert "id_card" in required and "income" in required
    assert "身份证" in checklist.missing(app)
    head = hh.members.first()
    services.attach(actor=worker, owner=head, data=JPEG, filename="id.jpg", doc_type="id_card")  # family file
    services.attach(actor=worker, owner=app, data=PDF, filename="inc.pdf", doc_type="income")
    missing = checklist.missing(app)
    assert "身份证" not in missing and "收入证明" not in missing and "户口簿" in missing
    client.force_login(worker)
    page = client.get(f"/applications/{app.pk}/").content.decode()
    assert "尚缺材料" in page and "户口簿" in page
    # a document of another application of the same household does not count for this one
    other = workflow.application_accept(actor=worker, household=hh, reason="临时困难", kind="temporary_aid")
    services.attach(actor=worker, owner=other, data=PDF, filename="h.pdf", doc_type="hukou")
    assert "户口簿" in checklist.missing(app)


def test_printable_list_of_received(users, hh, app, client):
    worker = users["zhandian_jingban"]
    services.attach(actor=worker, owner=app, data=PDF, filename="inc.pdf", doc_type="income", title="工资证明<b>")
    client.force_login(worker)
    r = client.get(f"/attachments/cases.application/{app.pk}/received/")
    text = r.content.decode()
    assert r.status_code == 200 and "材料接收清单" in text and "工资证明&lt;b&gt;" in text and "尚缺" in text
    assert AuditEvent.objects.filter(action="export", actor_username="zhandian_jingban").exists()


def test_upload_page_keeps_fields_and_explains(users, hh, client):
    client.force_login(users["zhandian_jingban"])
    url = f"/attachments/cases.household/{hh.pk}/"
    bad = io.BytesIO(b"GIF89a not allowed")
    bad.name = "a.gif"
    r = client.post(url, {"owner": f"cases.household:{hh.pk}", "doc_type": "income", "title": "低保收入说明",
                          "file": bad})
    text = r.content.decode()
    assert r.status_code == 400 and "只能上传" in text and "低保收入说明" in text
    good = io.BytesIO(PNG)
    good.name = "photo.png"
    member = hh.members.first()
    r = client.post(url, {"owner": f"cases.person:{member.pk}", "doc_type": "id_card", "file": good})
    assert r.status_code == 302
    att = Attachment.objects.get()
    assert att.owner == member and att.household_ref == hh.pk and att.title == "身份证"
    # a pick outside the household is refused
    other = poor_household()
    good.seek(0)
    r = client.post(url, {"owner": f"cases.person:{other.members.first().pk}", "doc_type": "id_card",
                          "file": good})
    assert r.status_code == 400 and Attachment.objects.count() == 1


def test_oversized_upload_is_not_read(users, hh, client):
    param_services.parameter_set(actor=users["shi_admin"], key="attachments.max_size_mb", value=1,
                                 effective_from=dt.date(2020, 1, 1), reason="测试")
    client.force_login(users["zhandian_jingban"])
    big = io.BytesIO(PDF + b"0" * (1024 * 1024 + 10))
    big.name = "big.pdf"
    r = client.post(f"/attachments/cases.household/{hh.pk}/", {"doc_type": "income", "title": "大文件",
                                                              "owner": f"cases.household:{hh.pk}", "file": big})
    assert r.status_code == 400 and "1 MB" in r.content.decode()
    assert not Attachment.objects.exists()


def test_remove_needs_reason_and_is_audited(users, hh):
    worker = users["zhandian_jingban"]
    att = services.attach(actor=worker, owner=hh, data=PDF, filename="a.pdf", doc_type="income")
    with pytest.raises(ValidationError):
        services.remove(actor=worker, attachment=att, reason=" ")
    services.remove(actor=worker, attachment=att, reason="重复上传")
    assert not Attachment.objects.current().exists()
    assert AuditEvent.objects.filter(action="attachment.remove", reason="重复上传").exists()


def test_api(users, hh, app):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(users["zhandian_jingban"])
    f = io.BytesIO(PDF)
    f.name = "收入.pdf"
    r = api.post("/api/v1/attachments/", {"owner_type": "cases.application", "owner_id": app.pk,
                                          "doc_type": "income", "title": "收入证明", "file": f}, format="multipart")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["mime"] == "application/pdf"
    r = api.get(f"/api/v1/attachments/?owner_type=cases.application&owner_id={app.pk}")
    assert [row["id"] for row in r.json()["results"]] == [pk]
    r = api.get(f"/api/v1/attachments/{pk}/content/")
    assert r.status_code == 200 and r.content == PDF
    r = api.get(f"/api/v1/attachments/checklist/?owner_type=cases.application&owner_id={app.pk}")
    assert "身份证" in r.json()["missing"]
    bad = io.BytesIO(b"<html>x</html>")
    bad.name = "x.pdf"
    r = api.post("/api/v1/attachments/", {"owner_type": "cases.application", "owner_id": app.pk,
                                          "doc_type": "income", "file": bad}, format="multipart")
    assert r.status_code == 400 and "PDF" in str(r.json())
    other = APIClient()
    other.force_authenticate(users["xiangyun_jingban"])
    assert other.get(f"/api/v1/attachments/{pk}/").status_code == 404
    assert other.get("/api/v1/attachments/").json()["results"] == []
    fin = APIClient()
    fin.force_authenticate(users["wuzhi_caizheng"])
    assert fin.get("/api/v1/attachments/").status_code == 404
