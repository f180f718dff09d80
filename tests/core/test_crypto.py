"""Issue #3 §1-§3: SM4-GCM at rest with row binding, blind index, keys, known-answer tests."""
import json
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from cases.models import Household, Person
from core import crypto, idnumbers, keycheck, keys
from core.models import KeyCheck
from tests.factories import PersonFactory, make_id


def test_kat_self_test_passes_and_detects_a_broken_cipher(monkeypatch):
    """§3 startup runs the SM4 and SM3 known-answer tests (GB/T 32907, GB/T 32905)."""
    crypto.self_test()
    monkeypatch.setattr(crypto, "_SM3_ABC", "0" * 64)
    with pytest.raises(crypto.SelfTestError, match="SM3"):
        crypto.self_test()


@pytest.mark.django_db
def test_tampering_one_byte_raises():
    """§1 one flipped byte of a ciphertext fails loudly instead of decrypting to a wrong value."""
    person = PersonFactory()
    blob = bytearray(bytes(person.id_cipher))
    for position in (3, 20, len(blob) - 1):  # nonce, body, tag
        damaged = bytearray(blob)
        damaged[position] ^= 0x01
        person.id_cipher = bytes(damaged)
        with pytest.raises(crypto.DecryptionError, match="密文校验失败"):
            person.reveal_id_number()


@pytest.mark.django_db
def test_ciphertext_copied_to_another_row_fails():
    """§1 the row's identity is associated data: a ciphertext copied to another row does not decrypt."""
    a, b = PersonFactory(), PersonFactory()
    b.id_cipher = a.id_cipher
    with pytest.raises(crypto.DecryptionError):
        b.reveal_id_number()
    h1, h2 = a.household, b.household
    h1.set_phone("13803910000")
    h2.phone_cipher = h1.phone_cipher
    with pytest.raises(crypto.DecryptionError):
        h2.reveal_phone()


@pytest.mark.django_db
def test_ciphertext_records_key_version_and_row_key_version_follows():
    """§1 each ciphertext records its key version; the row's key_version is the oldest of its columns."""
    person = PersonFactory()
    assert crypto.key_version(person.id_cipher) == 1
    assert Person.objects.get(pk=person.pk).key_version == 1


@pytest.mark.django_db
def test_blind_index_matches_x_and_X_and_stray_spaces():
    """§2 the blind index matches lower/upper-case X and stray spaces; invalid input matches nothing."""
    raw = make_id("410823", None, "M")
    while not raw.endswith("X"):
        raw = make_id("410823", None, "M")
    person = PersonFactory(id_number=raw)
    for variant in (raw, raw.lower(), f"  {raw[:6]} {raw[6:14]} {raw[14:].lower()} ", f"\t{raw}\n"):
        assert list(Person.objects.with_id_number(variant)) == [person]
    assert not Person.objects.with_id_number(raw[:-1] + "0").exists()
    assert idnumbers.index(raw) == idnumbers.index_of(raw.lower())
    assert person.id_index != crypto.sm3_hex(raw.encode())  # keyed, not a plain hash


@pytest.mark.django_db
def test_blind_index_is_unique_across_the_city():
    """§2 uniqueness of ID numbers city-wide is a unique constraint on the index."""
    from django.db import IntegrityError, transaction

    raw = make_id()
    PersonFactory(id_number=raw)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(id_number=raw, household__village="410823101201")


def test_wrong_format_keys_refused(settings):
    """§3 malformed keys refuse loudly."""
    settings.JIUZHU_KEYS_JSON = json.dumps({"enc": {"1": "00"}, "current": 1, "index": "11" * 32})
    keys.reset_keyring()
    with pytest.raises(ImproperlyConfigured, match="16 字节"):
        keys.get_keyring()


@pytest.mark.django_db
def test_wrong_keys_fail_at_startup(settings):
    """§3 a key check value per version is recorded; a different key under the same version is refused
    by the startup check (system check, wsgi, worker) with a loud Chinese message."""
    assert keycheck.problems() == []  # enrols version 1 of both keys
    assert set(KeyCheck.objects.values_list("kind", "version")) == {("enc", 1), ("index", 1)}
    good = json.loads(open(settings.JIUZHU_KEY_FILE).read())
    wrong = dict(good, enc={"1": "ff" * 16})
    settings.JIUZHU_KEYS_JSON = json.dumps(wrong)
    keys.reset_keyring()
    with pytest.raises(ImproperlyConfigured, match="第 1 版SM4 数据加密密钥与数据库登记的校验值不符"):
        keycheck.verify()
    wrong_index = dict(good, index={"1": "ee" * 32})
    settings.JIUZHU_KEYS_JSON = json.dumps(wrong_index)
    keys.reset_keyring()
    from core.checks import keys_match_database

    errors = keys_match_database()
    assert errors and errors[0].id == "jiuzhu.E001" and "盲索引" in errors[0].msg


@pytest.mark.django_db
def test_missing_key_version_still_in_use_refused(settings):
    """§3 rows sealed with a version the key store no longer has: refused at startup."""
    PersonFactory()
    keycheck.verify()
    KeyCheck.objects.create(kind="enc", version=7, check_value="x" * 16)
    Household.objects.update(key_version=7)
    with pytest.raises(ImproperlyConfigured, match="第 7 版"):
        keycheck.verify()


def test_production_refuses_to_start_without_keys(tmp_path):
    """§3 production settings refuse to start without keys."""
    env = {"DJANGO_SETTINGS_MODULE": "jiuzhu.settings.production", "DJANGO_SECRET_KEY": "x" * 50,
           "JIUZHU_KEY_FILE": str(tmp_path / "absent.json"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                            capture_output=True, text=True, cwd=str(keys.settings.BASE_DIR), timeout=60)
    assert result.returncode != 0
    assert "找不到密钥文件" in result.stderr


def test_dev_key_file_format_and_legacy_format_both_parse(tmp_path, settings):
    """§3 `make run` creates a dev key (ensure_dev_keys, git-ignored); the original single-index format
    still reads as index key version 1."""
    from django.core.management import call_command

    settings.JIUZHU_KEY_FILE = str(tmp_path / ".keys" / "dev.json")
    settings.JIUZHU_KEYS_JSON = ""
    call_command("ensure_dev_keys", stdout=__import__("io").StringIO())
    keys.reset_keyring()
    ring = keys.get_keyring()
    assert ring.current == 1 and ring.index_current == 1 and len(ring.index) == 32
    assert oct((tmp_path / ".keys" / "dev.json").stat().st_mode)[-3:] == "600"
    legacy = keys.parse_keyring({"enc": {"1": "00" * 16}, "current": 1, "index": "11" * 32})
    assert legacy.index_keys == {1: bytes.fromhex("11" * 32)}
    assert ".keys" in open(settings.BASE_DIR / ".gitignore").read()
