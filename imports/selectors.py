"""Reads of the household import: the jobs in the user's reach (the importer's township sees its own, the
county sees every import in the county)."""
from accounts.scope import Action, get_in_scope_or_404
from imports.models import HouseholdImport


def import_list(*, user):
    return (HouseholdImport.objects.restrict(user, Action.HOUSEHOLD_IMPORT)
            .select_related("requested_by", "county", "township").defer("file_cipher", "errors", "created_ids",
                                                                         "changes"))


def import_detail(*, user, pk: int) -> HouseholdImport:
    """The job without its stored file: a county's caseload is 30 MB sealed, read only by the worker (the detail
    page of a 100,000-household import took 0.66 s with it)."""
    return get_in_scope_or_404(HouseholdImport.objects.select_related("requested_by", "county", "township")
                               .defer("file_cipher"), user, Action.HOUSEHOLD_IMPORT, pk=pk)
