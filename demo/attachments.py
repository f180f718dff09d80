"""Demo 材料: a few synthetic scanned documents and photos on the open 低保 applications of 詹店镇 (so the
checklist shows both received and missing items). The files are generated here: a one-page PDF and a small
grey PNG, no real document."""
from __future__ import annotations

import struct
import zlib

from accounts.models import User
from attachments import services
from attachments.models import Attachment
from cases.models import Application


def synthetic_pdf(title: str) -> bytes:
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def synthetic_png(width: int = 120, height: int = 80, shade: int = 200) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes([shade, shade, shade]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def seed(stdout) -> None:
    if Attachment.objects.exists():
        stdout.write("演示材料已存在，跳过。")
        return
    worker = User.objects.filter(username="zhandian_jingban").first()
    if worker is None:
        return
    apps = list(Application.objects.filter(handling_township_id=worker.region_id, kind="dibao")
                .exclude(status__in=Application.FINAL).select_related("household").order_by("pk")[:4])
    total = 0
    for i, app in enumerate(apps):
        head = app.household.members.order_by("pk").first()
        services.attach(actor=worker, owner=app, data=synthetic_pdf("Application form (demo)"),
                        filename="申请书.pdf", doc_type="application_form", title="低保申请书（演示）")
        if head is not None:
            services.attach(actor=worker, owner=head, data=synthetic_png(), filename="IMG_0001.png",
                            doc_type="id_card", title=f"{head.name}身份证（演示照片）")
        if i % 2 == 0:
            services.attach(actor=worker, owner=app.household, data=synthetic_pdf("Hukou (demo)"),
                            filename="户口簿.pdf", doc_type="hukou", title="户口簿（演示）")
            total += 1
        total += 2
    stdout.write(f"演示材料：{total} 份。")
