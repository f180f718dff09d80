"""`/api/v1/notifications/`: the outbox in the user's region (filter `application`, `status`), read only."""
from rest_framework import mixins, serializers, viewsets

from accounts.scope import Action, require_api
from notifications import selectors
from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    application_number = serializers.CharField(source="application.number", default="", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "application", "application_number", "household", "recipient",
                  "phone_masked", "body", "status", "status_label", "backend", "attempts", "error", "created_at",
                  "sent_at"]


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        require_api(self.request, Action.CASE_VIEW)
        qs = selectors.outbox(self.request.user)
        app = self.request.query_params.get("application", "")
        if app.isdecimal():
            qs = qs.filter(application_id=int(app))
        status = self.request.query_params.get("status", "")
        if status in Notification.Status.values:
            qs = qs.filter(status=status)
        return qs
