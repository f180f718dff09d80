from cases import api, api_workflow


def register(router):
    router.register("households", api.HouseholdViewSet, basename="household")
    router.register("persons", api.PersonViewSet, basename="person")
    router.register("applications", api_workflow.ApplicationViewSet, basename="application")
    router.register("entitlements", api_workflow.EntitlementViewSet, basename="entitlement")


urlpatterns = []
