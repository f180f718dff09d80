from discovery import api


def register(router):
    router.register("grids", api.GridViewSet, basename="grid")
    router.register("visits", api.VisitViewSet, basename="visit")
    router.register("discovery", api.DiscoveryViewSet, basename="discovery")


urlpatterns = []
