"""A registered core.jobs job row for ops tests: a comparison run (monitoring.ComparisonRun) of 武陟县."""
from core import crypto
from monitoring.models import ComparisonRun


def make_job(user, status="queued") -> ComparisonRun:
    run = ComparisonRun(county_id="410823", source="death_police", period="2026-11-01", file_name="t.csv",
                        file_sha256="0" * 64, uploaded_by=user, status=status)
    run.file_cipher = crypto.encrypt("", aad=run.aad("file"))
    run.save()
    return run
