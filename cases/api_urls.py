from cases import api


def register(router):
    router.register("households", api.HouseholdViewSet, basename="household")
    router.register("persons", api.PersonViewSet, basename="person")


urlpatterns = []
