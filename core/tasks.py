from celery import shared_task

from core import auditchain
from core.models import Alert


@shared_task(acks_late=True)
def ping() -> str:
    """Health check for workers (used by tests and monitoring)."""
    return "pong"


@shared_task(acks_late=True)
def verify_audit_chain() -> bool:
    """Nightly: check the audit trail's hash chain; a break raises an Alert for the city's security administrator."""
    result = auditchain.verify()
    if not result.ok:
        Alert.objects.get_or_create(
            dedupe_key=f"audit_chain_broken:{result.broken_id}",
            defaults={"region_code": "410800", "role": "security_admin", "level": Alert.Level.OVERDUE,
                      "kind": "audit_chain_broken",
                      "message": f"审计日志哈希链在第 {result.broken_id} 号记录处断开：{result.problem}"[:300]})
    return result.ok
