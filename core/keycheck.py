"""Refuse wrong keys at startup: compare each loaded key version with the check value the database
recorded when that version was first used (core.models.KeyCheck).

Called by the system check framework (`manage.py check`, runserver, migrate), by jiuzhu/wsgi.py and
by the Celery worker on start. Versions the database has never seen are enrolled.
"""
from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, IntegrityError, transaction

from core import crypto, keys
from core.models import KeyCheck
from core.sealing import sealed_models


def problems(*, enroll: bool = True) -> list[str]:
    """Chinese descriptions of every mismatch; empty when the keys fit the database."""
    try:
        ring = keys.get_keyring()
    except ImproperlyConfigured as exc:
        return [str(exc)]
    loaded = {("enc", v): crypto.check_value("enc", k) for v, k in ring.enc.items()}
    loaded.update({("index", v): crypto.check_value("index", k) for v, k in ring.index_keys.items()})
    try:
        stored = {(r.kind, r.version): r.check_value for r in KeyCheck.objects.all()}
    except DatabaseError:  # not migrated yet (e.g. during the first migrate)
        return []
    found = []
    for (kind, version), value in sorted(loaded.items()):
        label = KeyCheck.Kind(kind).label
        if (kind, version) in stored:
            if stored[(kind, version)] != value:
                found.append(f"第 {version} 版{label}与数据库登记的校验值不符：密钥错误或被替换，已拒绝启动")
        elif enroll:
            try:
                with transaction.atomic():
                    KeyCheck.objects.create(kind=kind, version=version, check_value=value)
            except IntegrityError:  # another process enrolled it at the same moment: compare again
                if KeyCheck.objects.get(kind=kind, version=version).check_value != value:
                    found.append(f"第 {version} 版{label}与数据库登记的校验值不符：密钥错误或被替换，已拒绝启动")
    for kind, version in sorted(set(stored) - set(loaded)):
        if kind == "enc" and _enc_version_in_use(version):
            found.append(f"数据库中仍有第 {version} 版数据加密密钥加密的数据，但当前密钥中缺少该版本")
    return found


def _enc_version_in_use(version: int) -> bool:
    return any(m._base_manager.filter(key_version=version).exists() for m in sealed_models())


def verify() -> None:
    """Raise ImproperlyConfigured (loudly, with every reason) when the keys do not fit the database."""
    found = problems()
    if found:
        raise ImproperlyConfigured("密钥校验失败：" + "；".join(found))
