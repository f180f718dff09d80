from attachments import api


def register(router):
    router.register("attachments", api.AttachmentViewSet, basename="attachment")


urlpatterns = []
