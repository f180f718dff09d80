"""Harness entries for the household import (imports:* pages, household-import-* API).

The world's import job was uploaded by 詹店镇's caseworker (region 410823101): its township and its county
(the county officer) reach it; other townships, the village, and roles without the import get 404.
"""
from accounts.scope import Action as A
from tests.harness import api, page, part

TOWNSHIP = "410823101"


@part("household_import")
def _household_import(w):
    from imports import services
    from tests.imports.helpers import row, xlsx

    return services.import_request(actor=w.users["zhandian_jingban"], name="caseload.xlsx",
                                   data=xlsx([row("H1", "张三", "123")]), dry_run=True, enqueue=False)


def _j(w):
    return w.get("household_import").pk


ENTRIES = [
    page("imports:list", "/imports/", A.HOUSEHOLD_IMPORT, scoped=False),
    page("imports:template", "/imports/template/", A.HOUSEHOLD_IMPORT, scoped=False),
    page("imports:detail", lambda w: f"/imports/{_j(w)}/", A.HOUSEHOLD_IMPORT, region=TOWNSHIP),
    page("imports:error_report", lambda w: f"/imports/{_j(w)}/errors.xlsx", A.HOUSEHOLD_IMPORT, region=TOWNSHIP),
    page("imports:cancel", lambda w: f"/imports/{_j(w)}/cancel/", A.HOUSEHOLD_IMPORT, method="post", ok=302,
         region=TOWNSHIP),
    api("household-import-list", "/api/v1/household-imports/", A.HOUSEHOLD_IMPORT, scoped=False),
    api("household-import-detail", lambda w: f"/api/v1/household-imports/{_j(w)}/", A.HOUSEHOLD_IMPORT,
        region=TOWNSHIP),
]
