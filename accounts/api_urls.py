from accounts import api


def register(router):
    router.register("regions", api.RegionViewSet, basename="region")


urlpatterns = []
