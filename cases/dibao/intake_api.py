"""/api/v1/intake-refusals/: refusals to accept an application (不予受理), each a record with its written reason and
notice (cases.dibao.intake). GET lists those in the caller's reach (`?township=<code>`); POST
{"household": id, "kind": "dibao", "reason": "...", "applicant": id?} records a refusal at the township desk;
a village draft is refused through /api/v1/applications/{id}/transitions/ {"action": "refuse_intake"}."""
from django.core.exceptions import ValidationError
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from accounts.scope import Action, get_in_scope_or_404, require_api
from cases.dibao import intake
from cases.dibao.models import Application, Notice
from cases.households.models import Household, Person
from core.api import raise_api_error


class IntakeRefusalSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    county = serializers.CharField(source="county_id", read_only=True)
    township = serializers.CharField(source="handling_township_id", read_only=True)
    village = serializers.CharField(source="village_id", read_only=True)
    refused_on = serializers.DateField(source="decided_on", read_only=True)
    reason = serializers.CharField(source="decision_reason", read_only=True)
    from_draft = serializers.SerializerMethodField()
    notice = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = ["id", "number", "kind", "kind_label", "household", "head_name", "county", "township", "village",
                  "refused_on", "reason", "from_draft", "notice"]
        read_only_fields = fields

    def get_from_draft(self, obj) -> bool:
        return obj.registered_by_id != obj.decided_by_id

    def get_notice(self, obj) -> int | None:
        notice = next((n for n in obj.notices.all() if n.kind == Notice.Kind.NOT_ACCEPTED), None)
        return notice.pk if notice else None


class IntakeRefusalCreateSerializer(serializers.Serializer):
    household = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Application.Kind.choices, default=Application.Kind.DIBAO)
    reason = serializers.CharField()
    applicant = serializers.IntegerField(required=False, allow_null=True)


class IntakeRefusalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                           viewsets.GenericViewSet):
    def get_serializer_class(self):
        return IntakeRefusalCreateSerializer if self.action == "create" else IntakeRefusalSerializer

    def get_queryset(self):
        qs = Application.objects.restrict(self.request.user, Action.CASE_VIEW).filter(
            status=Application.Status.NOT_ACCEPTED).select_related("household").prefetch_related("notices")
        if township := self.request.query_params.get("township", ""):
            qs = qs.filter(handling_township_id=township)
        return qs.order_by("-decided_on", "-id")

    def get_object(self):
        return get_in_scope_or_404(self.get_queryset(), self.request.user, Action.CASE_VIEW, pk=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        require_api(request, Action.CASE_VIEW)
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        data = IntakeRefusalCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_VIEW, pk=d["household"])
        require_api(request, Action.CASE_PROCESS, refuse="只有乡镇（街道）经办人可以作出不予受理决定")
        applicant = None
        if d.get("applicant"):
            applicant = Person.objects.filter(household=household, pk=d["applicant"]).first()
        try:
            app = intake.intake_refuse(actor=request.user, household=household, reason=d["reason"], kind=d["kind"],
                                       applicant=applicant)
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(IntakeRefusalSerializer(self.get_queryset().get(pk=app.pk)).data,
                        status=status.HTTP_201_CREATED)
