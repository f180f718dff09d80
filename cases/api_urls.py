from cases import api, api_support, api_workflow


def register(router):
    router.register("households", api.HouseholdViewSet, basename="household")
    router.register("persons", api.PersonViewSet, basename="person")
    router.register("tekun", api_support.TekunViewSet, basename="tekun")
    router.register("temporary-aid", api_support.TemporaryAidViewSet, basename="temporary-aid")
    router.register("reserve-funds", api_support.ReserveFundViewSet, basename="reserve-fund")
    router.register("applications", api_workflow.ApplicationViewSet, basename="application")
    router.register("entitlements", api_workflow.EntitlementViewSet, basename="entitlement")


urlpatterns = []
