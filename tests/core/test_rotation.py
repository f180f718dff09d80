"""Issue #3 §3: `rotate_keys` adds a key version (security administrator, audited), re-encrypts every
sealed column of every sealed model in batches, resumably; the blind-index key rotates without ever
violating the unique constraint; every record stays readable and findable."""
import io
import json

import pytest
from django.core.management import CommandError, call_command

from cases.models import Household, Person
from core import crypto, keys, rotation
from core.models import AuditEvent, KeyCheck
from core.sealing import sealed_models


def _rotate(*args):
    out = io.StringIO()
    call_command("rotate_keys", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _assert_all_readable_and_findable(seeded):
    for item in seeded:
        household = Household.objects.get(pk=item["household"].pk)
        assert household.reveal_phone() == item["phone"]
        for raw in item["ids"]:
            person = Person.objects.with_id_number(raw).get()
            assert person.household_id == household.pk
            assert person.reveal_id_number() == raw


@pytest.mark.django_db
def test_rotation_keeps_every_record_readable_and_findable(keyfile, seeded, users):
    """§3 rotation: new SM4 and index versions; every record readable and findable afterwards."""
    output = _rotate("--actor", "shi_anquan", "--new-key", "--new-index-key", "--batch", "2")
    assert "已生成第 2 版数据加密密钥" in output and "完成" in output
    ring = keys.get_keyring()
    assert ring.current == 2 and ring.index_current == 2
    raw = json.loads(keyfile.read_text())
    assert set(raw["enc"]) == {"1", "2"} and set(raw["index"]) == {"1", "2"}
    for model in sealed_models():
        for row in model._base_manager.all():
            assert row.key_version == 2
            assert all(v == 2 for v in row.sealed_versions())
    assert all(p.id_index.startswith("v2:") and len(p.id_index) == 64 for p in Person.objects.all())
    _assert_all_readable_and_findable(seeded)
    assert set(KeyCheck.objects.values_list("kind", "version")) >= {("enc", 2), ("index", 2)}
    actions = list(AuditEvent.objects.filter(action__startswith="keys.").values_list("action", "actor_username"))
    assert ("keys.add_version", "shi_anquan") in actions and ("keys.rotation_done", "shi_anquan") in actions


@pytest.mark.django_db
def test_rotation_is_resumable_and_skips_rows_already_done(keyfile, seeded, monkeypatch):
    """§3 safe to interrupt and rerun: rows on the current version are skipped."""
    keys.add_enc_version()
    keys.add_index_version()
    calls = {"n": 0}
    real = rotation._rework

    def crash_after_three(row, ring):
        calls["n"] += 1
        if calls["n"] > 3:
            raise KeyboardInterrupt
        return real(row, ring)

    monkeypatch.setattr(rotation, "_rework", crash_after_three)
    with pytest.raises(KeyboardInterrupt):
        rotation.rotate_all(batch=3)
    monkeypatch.setattr(rotation, "_rework", real)
    done_first = Household.objects.filter(key_version=2).count()
    assert done_first == 3  # the first batch committed, the interrupted one rolled back
    # Mixed state: lookups still exact (old and new index keyspaces both matched).
    _assert_all_readable_and_findable(seeded)
    seen = []
    monkeypatch.setattr(rotation, "_rework", lambda row, ring: seen.append((row._meta.label_lower, row.pk)) or real(row, ring))
    rotation.rotate_all(batch=3)
    assert Household.objects.filter(key_version=2).count() == Household.objects.count()
    first_batch = {("cases.household", pk) for pk in Household.objects.order_by("pk").values_list("pk", flat=True)[:3]}
    assert seen and not set(seen) & first_batch
    seen.clear()
    rotation.rotate_all(batch=3)  # third run: nothing left to do
    assert seen == []
    _assert_all_readable_and_findable(seeded)


@pytest.mark.django_db
def test_index_rotation_never_collides_with_old_values(keyfile, seeded):
    """§3 blind-index rotation: new values live in their own keyspace, so a half-done run never violates
    the unique constraint and a new registration of an existing ID is still refused mid-run."""
    from accounts.models import User
    from cases.households import services

    old = set(Person.objects.values_list("id_index", flat=True))
    keys.add_index_version()
    person = Person.objects.order_by("pk").first()
    # Re-index just one row by hand, as an interrupted run would leave it.
    person.id_index = crypto.blind_index("id", person.reveal_id_number())
    person.save(update_fields=["id_index"])
    assert person.id_index not in old and person.id_index.startswith("v2:")
    actor = User.objects.get(username="heying_cun")
    with pytest.raises(Exception, match="已在本市登记"):
        services.person_add(actor=actor, household=seeded[1]["household"], data=services.MemberData(
            name="重复", id_number=seeded[0]["ids"][0], relationship="other"))
    with pytest.raises(Exception, match="已在本市登记"):
        services.person_add(actor=actor, household=seeded[1]["household"], data=services.MemberData(
            name="重复", id_number=seeded[2]["ids"][1], relationship="other"))


@pytest.mark.django_db
def test_rotation_only_by_security_administrator(keyfile, users):
    """§6 三权分立: key rotation is the security administrator's action."""
    for username in ("shi_xitong", "shi_shenji", "wuzhi_minzheng", None):
        with pytest.raises(CommandError):
            _rotate(*(["--actor", username] if username else []), "--new-key")
    assert keys.get_keyring().current == 1


@pytest.mark.django_db
def test_new_key_refused_when_keys_come_from_environment(settings, users):
    """§3 with JIUZHU_KEYS the new version is created in the key store, not by the command."""
    settings.JIUZHU_KEYS_JSON = open(settings.JIUZHU_KEY_FILE).read()
    keys.reset_keyring()
    with pytest.raises(CommandError, match="JIUZHU_KEYS"):
        _rotate("--actor", "shi_anquan", "--new-key")


@pytest.mark.django_db
def test_status_counts_versions(keyfile, seeded):
    rows = {r["label"]: r for r in rotation.status()}
    assert rows["cases.person"]["by_version"] == {1: 12} and rows["cases.person"]["pending"] == 0
    keys.add_enc_version()
    rows = {r["label"]: r for r in rotation.status()}
    assert rows["cases.person"]["pending"] == 12 and rows["cases.household"]["pending"] == 4


@pytest.mark.django_db
def test_running_processes_pick_up_a_rotated_key_file(keyfile, seeded):
    """§3 a new version written to the key file is seen by running processes on their next use (mtime),
    so they seal with it at once and read rows the rotation already re-encrypted."""
    import os

    before = keys.get_keyring()
    raw = json.loads(keyfile.read_text())
    raw["enc"]["2"] = "22" * 16
    raw["current"] = 2
    keyfile.write_text(json.dumps(raw))
    os.utime(keyfile, ns=(1, os.stat(keyfile).st_mtime_ns + 10_000_000))
    assert keys.get_keyring().current == 1  # re-checked at most every RECHECK_SECONDS
    keys._cache["checked"] -= keys.RECHECK_SECONDS  # time passes
    assert before.current == 1 and keys.get_keyring().current == 2


@pytest.mark.django_db
def test_index_collision_during_rotation_is_reported_not_fatal(keyfile, seeded):
    """§3 if the same person got registered twice in a race, rotation reports the row and finishes the rest."""
    from django.db import connection

    keys.add_index_version()
    victim, other = Person.objects.order_by("pk")[:2]
    clash = crypto.blind_index("id", other.reveal_id_number())
    with connection.cursor() as c:  # simulate the race: the victim's row already holds other's new index
        c.execute("UPDATE cases_person SET id_index = %s WHERE id = %s", [clash, victim.pk])
    results = {p.model: p for p in rotation.rotate_all(batch=50)}
    person = results["cases.person"]
    assert len(person.errors) == 1 and f"#{other.pk}" in person.errors[0] and "重复" in person.errors[0]
    pending = [p.pk for p in Person.objects.all() if not p.id_index.startswith("v2:")]
    assert pending == [other.pk]  # every other row finished
