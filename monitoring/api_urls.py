from monitoring import api, province_views


def register(router):
    router.register("comparison-runs", api.ComparisonRunViewSet, basename="comparison-run")
    router.register("clues", api.ClueViewSet, basename="clue")
    router.register("province-exchange", province_views.ProvinceExchangeViewSet, basename="province-exchange")


urlpatterns = []
