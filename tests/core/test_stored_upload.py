"""core.uploads.StoredUploadMixin: an uploaded file kept for its job, sealed as its bytes (the household import,
the bank's result file, the department comparison share it). Files stored before as base64 text still read,
and key rotation re-seals either kind unchanged."""
import base64

import pytest

from core import crypto, keys, rotation
from imports.models import HouseholdImport

pytestmark = pytest.mark.django_db
DATA = b"\xd0\xcf\x11\xe0 a file with every byte value: " + bytes(range(256))


def _job(**kw) -> HouseholdImport:
    job = HouseholdImport(county_id="410823", stage="排队等待", **kw)
    job.store_file(" 家庭.xlsx ", DATA)
    job.save()
    return job


def test_the_file_is_sealed_as_its_bytes_with_its_name_size_and_digest(keyfile):
    job = HouseholdImport.objects.get(pk=_job().pk)
    assert (job.file_name, job.file_size) == ("家庭.xlsx", len(DATA)) and len(job.file_sha256) == 64
    assert crypto.decrypt_bytes(job.file_cipher, aad=job.aad("file")) == HouseholdImport.RAW_FILE + DATA
    assert DATA not in bytes(job.file_cipher)
    assert job.stored_file() == DATA


def test_a_file_stored_before_as_base64_text_still_reads(keyfile):
    job = _job()
    HouseholdImport.objects.filter(pk=job.pk).update(
        file_cipher=crypto.encrypt(base64.b64encode(DATA).decode("ascii"), aad=job.aad("file")))
    assert HouseholdImport.objects.get(pk=job.pk).stored_file() == DATA


def test_rotation_reseals_both_kinds_unchanged(keyfile):
    new, old = _job(), _job()
    HouseholdImport.objects.filter(pk=old.pk).update(
        file_cipher=crypto.encrypt(base64.b64encode(DATA).decode("ascii"), aad=old.aad("file")))
    keys.add_enc_version()
    keys.reset_keyring()
    rotation.rotate_model(HouseholdImport)
    for job in HouseholdImport.objects.filter(pk__in=[new.pk, old.pk]):
        assert crypto.key_version(bytes(job.file_cipher)) == 2 and job.stored_file() == DATA


CSV = ("户编号,姓名,身份证号码,与户主关系\n" + "".join(f"B{n:06d},张三,11010519491231002X,户主\n" for n in range(2000))
       ).encode("gb18030")


def test_a_compressible_file_is_sealed_compressed_and_reads_back_exactly(keyfile):
    job = HouseholdImport(county_id="410823", stage="排队等待")
    job.store_file("家庭.csv", CSV)
    job.save()
    job = HouseholdImport.objects.get(pk=job.pk)
    plain = crypto.decrypt_bytes(job.file_cipher, aad=job.aad("file"))
    assert plain.startswith(HouseholdImport.ZLIB_FILE) and len(plain) < len(CSV) / 10
    assert job.file_size == len(CSV) and job.stored_file() == CSV


def test_an_xlsx_is_a_zip_already_and_is_kept_as_it_is(keyfile):
    xlsx = b"PK\x03\x04" + b"\x00" * 5000  # would compress well, but a zip is never compressed twice
    job = HouseholdImport(county_id="410823")
    job.store_file("家庭.xlsx", xlsx)
    assert crypto.decrypt_bytes(job.file_cipher, aad=job.aad("file")) == HouseholdImport.RAW_FILE + xlsx
    assert job.stored_file() == xlsx


def test_a_stored_file_that_inflates_past_its_recorded_size_is_refused(keyfile):
    job = HouseholdImport(county_id="410823")
    job.store_file("家庭.csv", CSV)
    job.file_size = len(CSV) - 1  # the row says less than the compressed file holds
    with pytest.raises(ValueError):
        job.stored_file()
