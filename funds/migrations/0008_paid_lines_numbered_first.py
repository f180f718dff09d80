"""序号 without gaps: drafts number the paid lines 1..N and the excluded lines after them (funds.services,
funds.one_off). Draft batches drafted before that are renumbered the same way here; batches past the draft are
left as they are (their lines are frozen, and a file already exported and sent to the bank carries the old
numbers, which the bank's result file will quote back)."""
from django.db import migrations

OFFSET = 1_000_000_000  # moves a batch's numbers out of the way first: (batch, line_no) stays unique throughout

RENUMBER = """
UPDATE funds_paymentline SET line_no = n.rn
FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY excluded, line_no) AS rn FROM funds_paymentline
      WHERE batch_id = %s) AS n
WHERE funds_paymentline.id = n.id
"""


def renumber_drafts(apps, schema_editor):
    PaymentBatch = apps.get_model("funds", "PaymentBatch")
    PaymentLine = apps.get_model("funds", "PaymentLine")
    drafts = PaymentBatch.objects.filter(status="draft").values_list("pk", flat=True)
    with schema_editor.connection.cursor() as cursor:
        for batch_id in drafts.iterator():
            if not PaymentLine.objects.filter(batch_id=batch_id, excluded=True).exists():
                continue
            cursor.execute("UPDATE funds_paymentline SET line_no = line_no + %s WHERE batch_id = %s",
                           [OFFSET, batch_id])
            cursor.execute(RENUMBER, [batch_id])


class Migration(migrations.Migration):
    dependencies = [("funds", "0007_one_off_batches")]

    operations = [migrations.RunPython(renumber_drafts, migrations.RunPython.noop)]
