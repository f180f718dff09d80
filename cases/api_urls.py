from cases.dibao import api as dibao
from cases.dibao import intake_api
from cases.households import api as households
from cases.tekun import api as tekun
from cases.temporary_aid import api as temporary_aid


def register(router):
    router.register("households", households.HouseholdViewSet, basename="household")
    router.register("persons", households.PersonViewSet, basename="person")
    router.register("tekun", tekun.TekunViewSet, basename="tekun")
    router.register("temporary-aid", temporary_aid.TemporaryAidViewSet, basename="temporary-aid")
    router.register("reserve-funds", temporary_aid.ReserveFundViewSet, basename="reserve-fund")
    router.register("applications", dibao.ApplicationViewSet, basename="application")
    router.register("entitlements", dibao.EntitlementViewSet, basename="entitlement")
    router.register("intake-refusals", intake_api.IntakeRefusalViewSet, basename="intake-refusal")


urlpatterns = []
