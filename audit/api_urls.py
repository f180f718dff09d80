from audit import api


def register(router):
    router.register("spot-checks", api.SpotCheckViewSet, basename="spot-check")
    router.register("relatives", api.RelativeRegistryViewSet, basename="relative")
    router.register("complaints", api.ComplaintViewSet, basename="complaint")


urlpatterns = []
