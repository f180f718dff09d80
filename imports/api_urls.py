from imports import api


def register(router):
    router.register("household-imports", api.HouseholdImportViewSet, basename="household-import")


urlpatterns = []
