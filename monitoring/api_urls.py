from monitoring import api


def register(router):
    router.register("comparison-runs", api.ComparisonRunViewSet, basename="comparison-run")
    router.register("clues", api.ClueViewSet, basename="clue")


urlpatterns = []
