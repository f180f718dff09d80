from notifications import api


def register(router):
    router.register("notifications", api.NotificationViewSet, basename="notification")


urlpatterns = []
