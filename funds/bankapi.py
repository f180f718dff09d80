"""/api/v1/bank-result-jobs/: the bank-result import jobs (status, progress, counts, problems)."""
from rest_framework import mixins, serializers, viewsets

from accounts.scope import Action, require_api
from funds.models import BankResultJob


class BankResultJobSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = BankResultJob
        fields = ["id", "batch", "status", "status_label", "progress", "stage", "rows_total", "paid", "failed",
                  "problem_count", "problems", "error", "file_name", "file_size", "created_at", "started_at",
                  "finished_at"]
        read_only_fields = fields


class BankResultJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Bank-result imports in the user's reach (payment roles), newest first."""

    serializer_class = BankResultJobSerializer

    queryset = BankResultJob.objects.none()  # for the schema; requests go through get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return BankResultJob.objects.none()
        require_api(self.request, Action.PAYMENT_VIEW)
        return BankResultJob.objects.restrict(self.request.user, Action.PAYMENT_VIEW).defer("file_cipher")
