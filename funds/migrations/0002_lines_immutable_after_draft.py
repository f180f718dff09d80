"""A batch past the draft stage is immutable: its lines' money, payee and household cannot change and its
lines cannot be deleted. Bank results (bank_status, bank_reason) and giving up the payment slot when a
line is re-issued remain possible. The batch itself can never go back to draft, nor be cancelled once
finalised, nor come back from cancelled (which would reopen its lines)."""
from django.db import migrations

GUARDED = ["batch_id", "household_id", "payee_id", "category", "basis", "persons_covered", "amount", "excluded",
           "line_no", "month", "card_masked", "bank_name"]
MESSAGE = "payment batch is finalised (批次已定稿，发放明细不能修改或删除)"

BATCH_MESSAGE = "payment batch cannot go back (已定稿或已作废的批次不能退回草稿、作废或恢复)"
_BATCH_BACKWARDS = ("(OLD.status NOT IN ('draft', 'cancelled') AND NEW.status IN ('draft', 'cancelled'))"
                    " OR (OLD.status = 'cancelled' AND NEW.status <> 'cancelled')")

PG_UP = f"""
CREATE OR REPLACE FUNCTION funds_paymentline_guard() RETURNS trigger AS $$
DECLARE st varchar;
BEGIN
    SELECT status INTO st FROM funds_paymentbatch WHERE id = OLD.batch_id;
    IF st IS NOT NULL AND st NOT IN ('draft', 'cancelled') THEN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION '{MESSAGE}';
        END IF;
        IF {" OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in GUARDED)} THEN
            RAISE EXCEPTION '{MESSAGE}';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER funds_paymentline_guard BEFORE UPDATE OR DELETE ON funds_paymentline
    FOR EACH ROW EXECUTE FUNCTION funds_paymentline_guard();
CREATE OR REPLACE FUNCTION funds_paymentbatch_guard() RETURNS trigger AS $$
BEGIN
    IF {_BATCH_BACKWARDS} THEN
        RAISE EXCEPTION '{BATCH_MESSAGE}';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER funds_paymentbatch_guard BEFORE UPDATE OF status ON funds_paymentbatch
    FOR EACH ROW EXECUTE FUNCTION funds_paymentbatch_guard();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS funds_paymentline_guard ON funds_paymentline;
DROP FUNCTION IF EXISTS funds_paymentline_guard();
DROP TRIGGER IF EXISTS funds_paymentbatch_guard ON funds_paymentbatch;
DROP FUNCTION IF EXISTS funds_paymentbatch_guard();
"""
_FROZEN = "(SELECT status FROM funds_paymentbatch WHERE id = OLD.batch_id) NOT IN ('draft', 'cancelled')"
SQLITE_UP = [
    f"CREATE TRIGGER funds_paymentline_no_update BEFORE UPDATE OF {', '.join(GUARDED)} ON funds_paymentline "
    f"WHEN {_FROZEN} AND ({' OR '.join(f'NEW.{c} IS NOT OLD.{c}' for c in GUARDED)}) "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER funds_paymentline_no_delete BEFORE DELETE ON funds_paymentline WHEN {_FROZEN} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER funds_paymentbatch_no_backwards BEFORE UPDATE OF status ON funds_paymentbatch "
    f"WHEN {_BATCH_BACKWARDS} BEGIN SELECT RAISE(ABORT, '{BATCH_MESSAGE}'); END;",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS funds_paymentline_no_update;",
               "DROP TRIGGER IF EXISTS funds_paymentline_no_delete;",
               "DROP TRIGGER IF EXISTS funds_paymentbatch_no_backwards;"]


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        for sql in SQLITE_UP:
            schema_editor.execute(sql)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        for sql in SQLITE_DOWN:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_payments")]
    operations = [migrations.RunPython(up, down)]
