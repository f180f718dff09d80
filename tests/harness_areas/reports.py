"""Top floor: the reports app — the three aims and their drill-downs, monthly statistics, charts, the audit trail
page, the reports API."""
from accounts.scope import Action as A
from tests.harness import api, page

READERS = (A.CASE_VIEW, A.PAYMENT_VIEW, A.SUPERVISION_VIEW, A.SPOTCHECK_ANSWER, A.COMPLAINT_HANDLE)
STATS = (A.CASE_VIEW, A.PAYMENT_VIEW)

ENTRIES = [
    page("reports:aims", "/reports/aims/", READERS, scoped=False),
    page("reports:indicator", "/reports/aims/applications_late/", (A.CASE_VIEW,), scoped=False),
    page("reports:monthly", "/reports/monthly/", STATS, scoped=False),
    page("reports:charts", "/reports/charts/", READERS, scoped=False),
    page("reports:list_export", "/reports/export/applications/", (A.CASE_VIEW,), scoped=False),
    api("api_reports_aims", "/api/v1/reports/aims/", READERS, scoped=False),
    api("api_reports_monthly", "/api/v1/reports/monthly/", STATS, scoped=False),
]
