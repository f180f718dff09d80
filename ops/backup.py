"""One encrypted backup archive: a consistent database dump, the key file, a manifest — and its restore.

Archive (`*.jzbk`): MAGIC, an 8-byte nonce prefix, then SM4-GCM chunks of a tar file (length | ciphertext+tag;
nonce = prefix + chunk number; the associated data names the chunk number and whether it is the last, so a
reordered, truncated or altered archive does not decrypt). The tar holds
- `database.dump` (PostgreSQL: `pg_dump -Fc` under an exported snapshot) or `database.sqlite3` (SQLite: the
  online backup API, a consistent copy while the site runs);
- `keys.json`: the key ring the sealed columns need (the database alone is useless without it);
- `manifest.json`: engine, time, row counts of every table (from the same snapshot as the dump) and the
  SHA-256 of every file.

The archive key is NOT the data key: `JIUZHU_BACKUP_KEY` (32 hex, an SM4 key) or the file
`JIUZHU_BACKUP_KEY_FILE` (default `.keys/backup.key`, created on first use outside production). Keep it apart
from the archives: whoever holds both holds every ID number.

`restore` writes into the EMPTY database DATABASE_URL names (refuses one with tables), then checks every
table's count against the manifest and that every sealed value decrypts with the restored keys.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from core import keys, params
from core.sealing import sealed_models
from ops import heartbeat

MAGIC = b"JIUZHU-BACKUP-1\n"
CHUNK = 1 << 20
SUFFIX = ".jzbk"
MEMBERS = ("manifest.json", "keys.json", "database.dump", "database.sqlite3")


class BackupError(Exception):
    """A refusal or failure with a Chinese message for the operator."""


@dataclass
class Result:
    path: Path
    manifest: dict
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --- paths and the archive key ---------------------------------------------------------------------------

def backup_dir() -> Path:
    return Path(getattr(settings, "JIUZHU_BACKUP_DIR", Path(settings.BASE_DIR) / "backups"))


def backup_key() -> bytes:
    raw = os.environ.get("JIUZHU_BACKUP_KEY", "").strip()
    path = Path(getattr(settings, "JIUZHU_BACKUP_KEY_FILE", Path(settings.BASE_DIR) / ".keys" / "backup.key"))
    if not raw and path.exists():
        raw = path.read_text().strip()
    if not raw:
        if settings.JIUZHU_REQUIRE_KEYS:
            raise BackupError("缺少备份加密密钥：请设置 JIUZHU_BACKUP_KEY（32 位十六进制）或 JIUZHU_BACKUP_KEY_FILE")
        raw = secrets.token_hex(16)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(raw + "\n")
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        key = b""
    if len(key) != 16:
        raise BackupError("备份加密密钥格式不正确：应为 32 位十六进制（SM4 密钥）")
    return key


# --- encryption --------------------------------------------------------------------------------------------

def _aad(number: int, last: bool) -> bytes:
    return MAGIC + number.to_bytes(8, "big") + (b"L" if last else b"C")


def encrypt_file(source: Path, target: Path, key: bytes) -> None:
    prefix = os.urandom(8)
    size = source.stat().st_size
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with source.open("rb") as src, os.fdopen(fd, "wb") as out:
        out.write(MAGIC + prefix)
        number, done = 0, 0
        while True:
            block = src.read(CHUNK)
            done += len(block)
            last = done >= size
            enc = Cipher(algorithms.SM4(key), modes.GCM(prefix + number.to_bytes(4, "big"))).encryptor()
            enc.authenticate_additional_data(_aad(number, last))
            body = enc.update(block) + enc.finalize() + enc.tag
            out.write(len(body).to_bytes(4, "big") + body)
            number += 1
            if last:
                break


def decrypt_file(source: Path, target: Path, key: bytes) -> None:
    with source.open("rb") as src, target.open("wb") as out:
        if src.read(len(MAGIC)) != MAGIC:
            raise BackupError("不是本系统的备份文件（文件头不符）")
        prefix = src.read(8)
        number = 0
        while True:
            head = src.read(4)
            if len(head) < 4:
                raise BackupError("备份文件不完整（被截断）")
            body = src.read(int.from_bytes(head, "big"))
            last = src.peek(1)[:1] == b"" if hasattr(src, "peek") else False
            dec = Cipher(algorithms.SM4(key), modes.GCM(prefix + number.to_bytes(4, "big"), body[-16:])).decryptor()
            dec.authenticate_additional_data(_aad(number, last))
            try:
                out.write(dec.update(body[:-16]) + dec.finalize())
            except InvalidTag:
                raise BackupError("备份文件无法解密：备份密钥错误，或文件被篡改、截断") from None
            number += 1
            if last:
                return


# --- dump ----------------------------------------------------------------------------------------------------

def _sqlite_tables(conn: sqlite3.Connection) -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def _pg_env(db: dict) -> dict:
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGHOST": db.get("HOST") or "127.0.0.1",
           "PGPORT": str(db.get("PORT") or 5432), "PGUSER": db.get("USER") or "postgres"}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_tables(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    names = [r[0] for r in cursor.fetchall()]
    counts = {}
    for name in names:
        cursor.execute(f'SELECT COUNT(*) FROM "{name}"')
        counts[name] = cursor.fetchone()[0]
    return counts


def _dump(db: dict, folder: Path) -> tuple[str, dict[str, int]]:
    if db["ENGINE"] == "django.db.backends.sqlite3":
        target = folder / "database.sqlite3"
        src, dst = sqlite3.connect(str(db["NAME"]), timeout=30), sqlite3.connect(str(target))
        try:
            src.backup(dst)  # online backup: a consistent copy while others read and write
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            return "sqlite", _sqlite_tables(dst)
        finally:
            src.close()
            dst.close()
    if db["ENGINE"] == "django.db.backends.postgresql":
        # A snapshot exported by this transaction: pg_dump and the row counts see exactly the same data.
        conn = connection.get_new_connection(connection.get_connection_params())
        try:
            conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                out = subprocess.run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                                      "-f", str(folder / "database.dump")], env=_pg_env(db), capture_output=True,
                                     text=True, timeout=6 * 3600)
                if out.returncode:
                    raise BackupError(f"pg_dump 失败：{out.stderr.strip()[:500]}")
                counts = _pg_tables(cursor)
            conn.rollback()
        finally:
            conn.close()
        return "postgresql", counts
    raise BackupError(f"不支持的数据库类型：{db['ENGINE']}")


def _key_file_bytes() -> bytes:
    if settings.JIUZHU_KEYS_JSON:
        return settings.JIUZHU_KEYS_JSON.encode()
    return Path(settings.JIUZHU_KEY_FILE).read_bytes()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def create(output: Path | str | None = None) -> Result:
    """Write one encrypted archive; returns its path and manifest."""
    key = backup_key()
    now = timezone.localtime()
    if output is None:
        backup_dir().mkdir(parents=True, exist_ok=True)
        output = backup_dir() / f"jiuzhu-backup-{now:%Y%m%d-%H%M%S}{SUFFIX}"
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jiuzhu-backup-", dir=output.parent) as tmp:
        folder = Path(tmp)
        engine, counts = _dump(settings.DATABASES["default"], folder)
        (folder / "keys.json").write_bytes(_key_file_bytes())
        files = [p for p in sorted(folder.iterdir()) if p.name in MEMBERS]
        manifest = {"format": 1, "created_at": now.isoformat(), "engine": engine, "tables": counts,
                    "rows": sum(counts.values()),
                    "files": {p.name: {"sha256": _sha256(p), "size": p.stat().st_size} for p in files}}
        (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        plain = folder / "archive.tar"
        with tarfile.open(plain, "w") as tar:
            for name in ("manifest.json", *[p.name for p in files]):
                tar.add(folder / name, arcname=name)
        part = output.with_name(output.name + ".part")
        encrypt_file(plain, part, key)
        part.replace(output)
    heartbeat.touch("backup", file=output.name, size=output.stat().st_size, rows=manifest["rows"],
                    tables=len(counts), engine=engine)
    return Result(output, manifest)


def prune(now: dt.datetime | None = None) -> list[Path]:
    """Remove archives in the backup folder older than the retention (param ops.backup_retention_days)."""
    days = params.get("ops.backup_retention_days")
    limit = (now or timezone.now()).timestamp() - days * 86400
    removed = []
    for path in backup_dir().glob(f"jiuzhu-backup-*{SUFFIX}"):
        if path.stat().st_mtime < limit:
            path.unlink()
            removed.append(path)
    return removed


def archives() -> list[dict]:
    folder = backup_dir()
    if not folder.is_dir():
        return []
    rows = [{"name": p.name, "size_mb": round(p.stat().st_size / 2**20, 2),
             "at": dt.datetime.fromtimestamp(p.stat().st_mtime, tz=dt.UTC)}
            for p in folder.glob(f"*{SUFFIX}")]
    return sorted(rows, key=lambda r: r["at"], reverse=True)


# --- restore -------------------------------------------------------------------------------------------------

def open_archive(path: Path, folder: Path) -> dict:
    """Decrypt and unpack into `folder`; check every file against the manifest. Returns the manifest."""
    plain = folder / "archive.tar"
    decrypt_file(Path(path), plain, backup_key())
    with tarfile.open(plain) as tar:
        for member in tar.getmembers():
            if member.name not in MEMBERS or not member.isfile():
                raise BackupError(f"备份文件包含意外内容：{member.name[:60]}")
            with tar.extractfile(member) as src, (folder / member.name).open("wb") as dst:
                shutil.copyfileobj(src, dst)
    plain.unlink()
    manifest = json.loads((folder / "manifest.json").read_text())
    for name, meta in manifest["files"].items():
        if not (folder / name).exists() or _sha256(folder / name) != meta["sha256"]:
            raise BackupError(f"备份文件中的 {name} 校验和不符")
    return manifest


def _target_is_empty(db: dict) -> bool:
    if db["ENGINE"] == "django.db.backends.sqlite3":
        path = Path(str(db["NAME"]))
        if not path.exists() or path.stat().st_size == 0:
            return True
        conn = sqlite3.connect(str(path))
        try:
            return not conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' LIMIT 1").fetchone()
        finally:
            conn.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_tables WHERE schemaname = current_schema() LIMIT 1")
        return cursor.fetchone() is None


def _restore_keys(folder: Path, keys_to: Path | None) -> Path | None:
    """The archive's key ring goes where this installation reads keys, unless other keys are already there."""
    archived = json.loads((folder / "keys.json").read_text())
    if keys_to is None and settings.JIUZHU_KEYS_JSON:
        if json.loads(settings.JIUZHU_KEYS_JSON) != archived:
            raise BackupError("JIUZHU_KEYS 中的密钥与备份中的密钥不同：请用 --keys-to 指定写出备份密钥文件的位置")
        return None
    target = Path(keys_to or settings.JIUZHU_KEY_FILE)
    if target.exists():
        if json.loads(target.read_text()) != archived:
            raise BackupError(f"密钥文件 {target} 已存在且与备份中的密钥不同，已拒绝覆盖；请用 --keys-to 指定新位置")
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write((folder / "keys.json").read_bytes())
    return target


def _load(db: dict, folder: Path, engine: str) -> None:
    if engine == "sqlite":
        if db["ENGINE"] != "django.db.backends.sqlite3":
            raise BackupError("该备份来自 SQLite 数据库，只能恢复到 SQLite（DATABASE_URL=sqlite:///...）")
        connections.close_all()
        src, dst = sqlite3.connect(str(folder / "database.sqlite3")), sqlite3.connect(str(db["NAME"]))
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        return
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("该备份来自 PostgreSQL 数据库，只能恢复到 PostgreSQL")
    out = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d", db["NAME"],
                          str(folder / "database.dump")], env=_pg_env(db), capture_output=True, text=True,
                         timeout=6 * 3600)
    if out.returncode:
        raise BackupError(f"pg_restore 失败：{out.stderr.strip()[:500]}")


def current_counts() -> dict[str, int]:
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        conn = sqlite3.connect(str(db["NAME"]))
        try:
            return _sqlite_tables(conn)
        finally:
            conn.close()
    with connection.cursor() as cursor:
        return _pg_tables(cursor)


def unreadable_sealed_values(limit: int = 20) -> tuple[int, list[str]]:
    """Decrypt every sealed column of every row with the keys now configured: (values read, failures)."""
    checked, failures = 0, []
    for model in sealed_models():
        for row in model._base_manager.all().iterator(chunk_size=2000):
            for column in model.sealed_fields:
                try:
                    if row.unseal_column(column) is not None:
                        checked += 1
                except Exception as exc:
                    if len(failures) < limit:
                        failures.append(f"{model._meta.label} #{row.pk} {column}: {type(exc).__name__}")
    return checked, failures


def restore(path: Path | str, *, keys_to: Path | str | None = None) -> Result:
    """Bring an archive back into the empty database DATABASE_URL names; refuses a database with tables."""
    db = settings.DATABASES["default"]
    if not Path(path).exists():
        raise BackupError(f"找不到备份文件 {path}")
    if not _target_is_empty(db):
        raise BackupError(f"目标数据库 {Path(str(db['NAME'])).name} 不是空的：恢复只写入新建的空数据库，"
                          "请新建数据库并用 DATABASE_URL 指向它")
    with tempfile.TemporaryDirectory(prefix="jiuzhu-restore-") as tmp:
        folder = Path(tmp)
        manifest = open_archive(Path(path), folder)
        key_path = _restore_keys(folder, Path(keys_to) if keys_to else None)
        _load(db, folder, manifest["engine"])
    connections.close_all()
    counts = current_counts()
    problems = [f"表 {t}：备份 {n} 行，恢复后 {counts.get(t)} 行" for t, n in manifest["tables"].items()
                if counts.get(t) != n]
    notes = []
    if key_path is not None and keys_to:
        notes.append(f"密钥已写入 {key_path}：启动前请将 JIUZHU_KEY_FILE 指向该文件（未用其检查解密）")
    else:
        if key_path is not None:
            notes.append(f"密钥文件：{key_path}")
        keys.reset_keyring()
        checked, failures = unreadable_sealed_values()
        manifest["sealed_checked"] = checked
        problems += [f"无法解密：{f}" for f in failures]
    return Result(Path(path), manifest, problems, notes)
