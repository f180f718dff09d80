"""API for applications and entitlements (/api/v1/applications/, /api/v1/entitlements/).

POST /api/v1/applications/                       {"household": id, "reason": ..., "kind": "dibao"|"tekun"|"dibao_edge"|
                                                  "rigid_expense"|"monitor", "applicant": id?, "single_person": id?,
                                                  monitor: "subcategory": "monitor_unstable"|"monitor_edge"|
                                                  "monitor_sudden", "source": ..., "source_note": ...}
                                                  居住地申请: {"via_residence": true, "applicant_id_number": ...,
                                                  "residence_permit": ..., "reason": ...}
                                                  村级代办: {"household": id, "status": "draft", "kind": ..., "reason": ...}
                                                  (village staff; the township then uses accept_draft /
                                                  return_draft / refuse_intake below)
POST /api/v1/applications/{id}/transitions/      {"action": one of cases.dibao.workflow.ACTIONS, "reason": ..., plus the
                                                  action's data, e.g. investigated_on, investigator_1/2, findings,
                                                  verification_result, review_on, review_result}
Out of scope is 404; a refused move is 400 with the Chinese message.
"""
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from accounts.scope import Action, get_in_scope_or_404, require_api
from cases.dibao import deadlines as dibao_deadlines
from cases.dibao import intake, selectors, workflow
from cases.dibao.models import Application
from cases.entitlements.models import Entitlement
from cases.households.models import Household, Person
from core.api import raise_api_error
from core.apifields import BodyRequiredSchema, TrueField


class ApplicationSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    handling_township = serializers.CharField(source="handling_township_id", read_only=True)
    township = serializers.CharField(source="township_id", read_only=True)
    village = serializers.CharField(source="village_id", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    deadline_state = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = ["id", "number", "kind", "subcategory", "source", "source_note", "household", "head_name", "status", "status_label", "township", "village",
                  "handling_township", "via_residence", "accepted_on", "deadline", "extended", "deadline_state",
                  "persons_covered", "monthly_amount", "decided_on", "entitlement"]
        read_only_fields = fields

    def get_deadline_state(self, obj) -> dict:
        info = dibao_deadlines.deadline_info(obj)
        return {"state": info.state, "workdays_left": info.workdays_left, "warnings": info.warnings}


class ApplicationDetailSerializer(ApplicationSerializer):
    # "" until a joint meeting decided (the model's blank choice, documented as such)
    meeting_decision = serializers.ChoiceField(choices=Application.MeetingDecision.choices, allow_blank=True,
                                               read_only=True)
    events = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = ApplicationSerializer.Meta.fields + [
            "reason", "residence_permit", "applicant", "single_person", "investigated_on", "investigator_1",
            "investigator_2", "findings", "verification_result", "assessment", "assessed_eligible", "review_on",
            "review_result", "meeting", "meeting_decision", "meeting_note", "publicity_start", "publicity_end",
            "objection", "decision_reason", "available_actions", "events"]
        read_only_fields = fields

    def get_events(self, obj) -> list[dict]:
        return [{"action": e.action, "label": e.label, "from": e.from_status, "to": e.to_status, "note": e.note,
                 "actor": e.actor_name, "at": e.at.isoformat()} for e in obj.events.all()]

    def get_available_actions(self, obj) -> list[str]:
        return workflow.available_actions(self.context["request"].user, obj)


class ApplicationCreateSerializer(serializers.Serializer):
    household = serializers.IntegerField(required=False, help_text="户籍地受理：家庭ID")
    applicant_id_number = serializers.CharField(required=False, write_only=True,
                                                help_text="居住地申请：申请人完整身份证号码（与 via_residence 同用）")
    kind = serializers.ChoiceField(choices=["dibao", "tekun", "dibao_edge", "rigid_expense", "monitor"],
                                   required=False, default="dibao",
                                   help_text="dibao 低保 · tekun 特困 · dibao_edge 低保边缘 · rigid_expense 刚性支出困难 · "
                                             "monitor 防返贫监测（须 subcategory、source_note）")
    subcategory = serializers.ChoiceField(choices=["", "monitor_unstable", "monitor_edge", "monitor_sudden"],
                                          required=False, default="", help_text="防返贫监测类型")
    source = serializers.ChoiceField(choices=Application.Source.choices, required=False,
                                     default=Application.Source.APPLICATION)
    source_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    # spaces around are trimmed, so a reason must hold a visible character: the schema says so (pattern \S), and
    # a reason of only spaces, tabs or line breaks is refused as empty ("该字段不能为空")
    reason = serializers.CharField(validators=[RegexValidator(r"\S", message="请填写申请理由")])
    applicant = serializers.IntegerField(required=False, allow_null=True)
    single_person = serializers.IntegerField(required=False, allow_null=True)
    via_residence = serializers.BooleanField(required=False, default=False)
    residence_permit = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    accepted_on = serializers.DateField(required=False)
    kind = serializers.ChoiceField(choices=Application.Kind.choices, required=False, default=Application.Kind.DIBAO)
    status = serializers.ChoiceField(choices=[("accepted", "已受理"), ("draft", "村级代办待受理")], required=False,
                                     default="accepted", help_text="draft：村（社区）专干代办，待乡镇受理")


# Documentation only: create() takes one of two shapes (ApplicationCreateSerializer validates both) ...
class HukouApplication(ApplicationCreateSerializer):  # by household id (also a village draft, status=draft)
    household = serializers.IntegerField(help_text="家庭ID")
    applicant_id_number = None


# ... 居住地申请 (township staff, by the applicant's full ID number; never a village draft).
class ResidenceApplication(ApplicationCreateSerializer):
    household = None
    applicant_id_number = serializers.CharField(write_only=True, min_length=18, max_length=18,
                                                help_text="申请人完整身份证号码（18位）")
    via_residence = TrueField()
    status = serializers.ChoiceField(choices=[("accepted", "已受理")], required=False, default="accepted")


APPLICATION_CREATE_REQUEST = PolymorphicProxySerializer(
    component_name="ApplicationCreate", serializers=[HukouApplication, ResidenceApplication],
    resource_type_field_name=None)


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[a for a in workflow.ACTIONS if a != "meeting_decide"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    investigated_on = serializers.DateField(required=False)
    investigator_1 = serializers.CharField(required=False)
    investigator_2 = serializers.CharField(required=False)
    findings = serializers.CharField(required=False)
    verification_result = serializers.CharField(required=False)
    single_person = serializers.IntegerField(required=False, allow_null=True)
    review_on = serializers.DateField(required=False)
    review_result = serializers.CharField(required=False)


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         viewsets.GenericViewSet):
    """Applications in the caller's scope (hukou or handling township). Out of scope is 404."""

    schema = BodyRequiredSchema()  # create() takes one of two documented shapes, never no body

    def get_serializer_class(self):
        if self.action == "create":
            return ApplicationCreateSerializer
        if self.action == "transitions":
            return TransitionSerializer
        return ApplicationDetailSerializer if self.action == "retrieve" else ApplicationSerializer

    def get_queryset(self):
        p = self.request.query_params
        return selectors.application_list(user=self.request.user, status=p.get("status", ""),
                                          kind=p.get("kind", ""), q=p.get("q", ""), deadline=p.get("deadline", ""))

    def get_object(self):
        return selectors.application_detail(user=self.request.user, pk=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        require_api(request, Action.CASE_VIEW)
        return super().list(request, *args, **kwargs)

    def _require_worker(self, request):
        """Readers (county, city, village staff) who can see the application may not move it: 403."""
        require_api(request, Action.CASE_PROCESS, Action.CASE_DECIDE, refuse="只有乡镇（街道）经办人、审批人可以办理申请")

    def _member(self, household, pk):
        if pk is None:
            return None
        person = Person.objects.filter(household=household, pk=pk).first()
        if person is None:
            raise ApiValidationError({"detail": ["该成员不属于本家庭"]})
        return person

    @extend_schema(request=APPLICATION_CREATE_REQUEST, responses={201: ApplicationDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            if d["status"] == Application.Status.DRAFT:
                return self._draft(request, d)
            if d["via_residence"] and d.get("applicant_id_number"):
                household = workflow.residence_household_lookup(actor=request.user,
                                                                id_number=d["applicant_id_number"])
            elif "household" in d:
                household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_VIEW,
                                                pk=d["household"])
                self._require_worker(request)
            else:
                raise ValidationError({"household": "请提供家庭ID；居住地申请请提供申请人身份证号码"})
            applicant = self._member(household, d.get("applicant"))
            if applicant is None and d.get("applicant_id_number"):
                applicant = household.members.with_id_number(d["applicant_id_number"]).first()
            app = workflow.application_accept(
                actor=request.user, household=household, reason=d["reason"], applicant=applicant,
                single_person=self._member(household, d.get("single_person")),
                via_residence=d["via_residence"], residence_permit=d["residence_permit"],
                accepted_on=d.get("accepted_on"), kind=d["kind"], subcategory=d["subcategory"], source=d["source"],
                source_note=d["source_note"])
        except ValidationError as exc:
            raise_api_error(exc)
        out = ApplicationDetailSerializer(selectors.application_detail(user=request.user, pk=app.pk),
                                          context={"request": request})
        return Response(out.data, status=status.HTTP_201_CREATED)

    def _draft(self, request, d):
        """村级代办: only village staff draft (others who may read households get 403)."""
        if "household" not in d:
            raise ValidationError({"household": "请提供家庭ID"})
        household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_VIEW, pk=d["household"])
        require_api(request, Action.CASE_CHANGE, refuse="只有村（社区）专干可以代办申请")
        app = intake.application_draft(actor=request.user, household=household, reason=d["reason"], kind=d["kind"],
                                       applicant=self._member(household, d.get("applicant")))
        out = ApplicationDetailSerializer(selectors.application_detail(user=request.user, pk=app.pk),
                                          context={"request": request})
        return Response(out.data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TransitionSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        app = self.get_object()
        self._require_worker(request)
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        name, reason = d.pop("action"), d.pop("reason", "")
        if "single_person" in d:
            d["single_person"] = self._member(app.household, d["single_person"])
        try:
            workflow.transition(actor=request.user, application=app, action=name, reason=reason, **d)
        except ValidationError as exc:
            raise_api_error(exc)
        out = ApplicationDetailSerializer(selectors.application_detail(user=request.user, pk=app.pk),
                                          context={"request": request})
        return Response(out.data)


class EntitlementSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    village = serializers.CharField(source="village_id", read_only=True)
    township = serializers.CharField(source="township_id", read_only=True)
    county = serializers.CharField(source="county_id", read_only=True)

    class Meta:
        model = Entitlement
        fields = ["id", "household", "head_name", "county", "township", "village", "category", "category_label",
                  "status", "status_label", "persons_covered", "monthly_amount", "start_month", "end_month",
                  "next_recheck", "reason"]
        read_only_fields = fields


class EntitlementViewSet(viewsets.ReadOnlyModelViewSet):
    """Entitlements in the caller's scope (read-only). `?category=dibao&status=phasing_out`."""

    serializer_class = EntitlementSerializer

    def get_queryset(self):
        p = self.request.query_params
        return selectors.entitlement_list(user=self.request.user, category=p.get("category", ""),
                                          status=p.get("status", ""))

    def get_object(self):
        return get_in_scope_or_404(Entitlement.objects.select_related("household"), self.request.user,
                                   Action.CASE_VIEW, pk=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        require_api(request, Action.CASE_VIEW)
        return super().list(request, *args, **kwargs)
