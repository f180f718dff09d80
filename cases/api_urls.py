from cases import api, api_support


def register(router):
    router.register("households", api.HouseholdViewSet, basename="household")
    router.register("persons", api.PersonViewSet, basename="person")
    router.register("tekun", api_support.TekunViewSet, basename="tekun")
    router.register("temporary-aid", api_support.TemporaryAidViewSet, basename="temporary-aid")
    router.register("reserve-funds", api_support.ReserveFundViewSet, basename="reserve-fund")


urlpatterns = []
