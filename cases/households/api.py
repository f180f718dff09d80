"""API for the household registry (/api/v1/households/, /api/v1/persons/); ID numbers only in POST bodies."""
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from accounts.scope import Action, can, get_in_scope_or_404, region_q, require_api
from cases.households import selectors, services
from cases.households.models import Household, IncomeItem, Person, PropertyItem, RigidExpense
from core import idnumbers
from core.api import raise_api_error
from core.models import Region


class PersonSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(write_only=True, required=False, help_text="18位身份证号码（仅写入）")
    id_masked = serializers.CharField(read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "id_number", "id_masked", "sex", "birth_date", "relationship", "disability_grade",
                  "disability_type", "serious_illness", "work_capacity", "employment", "school", "special_status"]
        read_only_fields = ["sex", "birth_date"]


class PersonListSerializer(PersonSerializer):
    household = serializers.PrimaryKeyRelatedField(read_only=True)
    village = serializers.CharField(source="village_id", read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = PersonSerializer.Meta.fields + ["household", "village"]


class IncomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncomeItem
        fields = ["id", "person", "kind", "description", "amount_12m", "employment_cost", "exempt"]


class PropertySerializer(serializers.ModelSerializer):
    class Meta:
        model = PropertyItem
        fields = ["id", "kind", "description", "quantity", "value"]


class ExpenseSerializer(serializers.ModelSerializer):
    class Meta:
        model = RigidExpense
        fields = ["id", "person", "kind", "amount_12m", "evidence"]


class HouseholdSerializer(serializers.ModelSerializer):
    village = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.filter(level="village"))
    township = serializers.CharField(source="township_id", read_only=True)
    county = serializers.CharField(source="county_id", read_only=True)
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True)
    members = PersonSerializer(many=True)
    incomes = IncomeSerializer(many=True, read_only=True)
    properties = PropertySerializer(many=True, read_only=True)
    expenses = ExpenseSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["id", "village", "township", "county", "address", "hukou_type", "head_name", "phone",
                  "phone_masked", "note", "members", "incomes", "properties", "expenses", "created_at"]
        read_only_fields = ["head_name", "phone_masked", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["village"].queryset = Region.objects.filter(level="village").filter(region_q(request.user))


class HouseholdListSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="village_id")
    village_name = serializers.CharField(source="village.name")
    member_count = serializers.IntegerField()

    class Meta:
        model = Household
        fields = ["id", "village", "village_name", "township_id", "county_id", "address", "hukou_type", "head_name",
                  "member_count"]


NO_ID_IN_URL = "身份证号码不能放在网址（查询参数）中：请用 POST {path}，在请求体中提交 id_number"


def _looks_like_id_number(value: str) -> bool:

    return bool(re.search(r"\d{14}[\dXx]", re.sub(r"[\s-]+", "", value or "")))


class IdLookupSerializer(serializers.Serializer):
    id_number = serializers.CharField(write_only=True, help_text="18位身份证号码（请求体中提交，不进网址）")



class HouseholdViewSet(viewsets.ModelViewSet):
    """Households in the caller's scope, with nested members. Out of scope is 404."""

    def get_serializer_class(self):
        return HouseholdListSerializer if self.action in ("list", "lookup") else HouseholdSerializer

    def list(self, request, *args, **kwargs):
        require_api(request, Action.CASE_VIEW)  # same answer as the page: a role without household files sees none
        if _looks_like_id_number(request.query_params.get("q", "")):
            raise ApiValidationError({"q": NO_ID_IN_URL.format(path="/api/v1/households/lookup/")})
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        household = self.get_object()
        services.household_viewed(actor=request.user, household=household)
        return Response(self.get_serializer(household).data)

    @extend_schema(request=IdLookupSerializer, responses=HouseholdListSerializer(many=True))
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])  # a bare list
    def lookup(self, request):
        """Households in scope with a member of this ID number (blind index; the number stays out of URLs)."""
        data = IdLookupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        qs = selectors.household_list(user=request.user, q=data.validated_data["id_number"])
        require_api(request, Action.CASE_VIEW)
        return Response(HouseholdListSerializer(qs[:10], many=True).data)

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":
            return selectors.household_list(user=user, q=self.request.query_params.get("q", ""))
        action = Action.CASE_VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else Action.CASE_CHANGE
        return Household.objects.restrict(user, action).prefetch_related(
            "members", "incomes", "properties", "expenses")

    def get_object(self):
        action = Action.CASE_VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else Action.CASE_CHANGE
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and not can(self.request.user, action):
            # readers (reviewers, city) may see the household but not change it
            get_in_scope_or_404(Household.objects.all(), self.request.user, Action.CASE_VIEW,
                                pk=self.kwargs["pk"])
            self.permission_denied(self.request, message="您的角色只能查看，不能修改")
        return get_in_scope_or_404(self.get_queryset(), self.request.user, action, pk=self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        require_api(request, Action.CASE_CHANGE, refuse="您的角色不能登记家庭")
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        members = [services.MemberData(**{k: m.get(k, getattr(services.MemberData, k, None))
                                          for k in services.MemberData.__dataclass_fields__}) for m in data["members"]]
        try:
            serializer.instance = services.household_create(
                actor=self.request.user, village=data["village"], address=data["address"],
                hukou_type=data["hukou_type"], phone=data.get("phone", ""), note=data.get("note", ""), members=members)
        except ValidationError as exc:
            raise_api_error(exc)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        members = data.pop("members", None)
        household = serializer.instance
        changes = {k: v for k, v in data.items() if k in {"address", "hukou_type", "note", "phone"}}
        if "village" in data and data["village"].pk != household.village_id:
            changes["village"] = data["village"]
        try:
            with transaction.atomic():
                services.household_update(actor=self.request.user, household=household, **changes)
                if members is not None:
                    self._sync_members(household, members)
        except ValidationError as exc:
            raise_api_error(exc)
        serializer.instance = Household.objects.prefetch_related("members").get(pk=household.pk)

    def _sync_members(self, household, members):
        """PUT/PATCH members: rows with a known id_number are updated, new ones added."""
        members_now = list(household.members.all())

        for m in members:
            raw = m.get("id_number")
            if not raw:
                raise ValidationError({"members": "每位成员都须提供身份证号码"})
            candidates = set(idnumbers.index_candidates(idnumbers.parse(raw).value))
            match = next((p for p in members_now if p.id_index in candidates), None)
            fields = {k: v for k, v in m.items() if k in services.PERSON_FIELDS}
            if match is not None:
                services.person_update(actor=self.request.user, person=match, **fields)
            else:
                data = services.MemberData(id_number=raw, **{k: fields.get(k, getattr(services.MemberData, k, None))
                                                            for k in services.PERSON_FIELDS})
                services.person_add(actor=self.request.user, household=household, data=data)

    def perform_destroy(self, instance):
        self.permission_denied(self.request, message="家庭档案不能删除；如需注销请办理终止手续")


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Persons in scope. `POST lookup/ {"id_number": ...}` matches exactly through the blind index (never
    in the URL); `?q=张三1234` by name + last four."""

    serializer_class = PersonListSerializer

    def get_queryset(self):
        p = self.request.query_params
        return selectors.person_list(user=self.request.user, id_number=p.get("id_number", ""), q=p.get("q", ""))

    def get_object(self):
        person = get_in_scope_or_404(Person.objects.select_related("household"), self.request.user,
                                     Action.CASE_VIEW, pk=self.kwargs["pk"])
        services.household_viewed(actor=self.request.user, household=person.household, members=[person])
        return person

    def paginate_queryset(self, queryset):
        """Listing children under 14 is a view of their records: audited per household on the page."""
        page = super().paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        by_household = {}
        for person in rows:
            if person.is_minor_under_14:
                by_household.setdefault(person.household_id, (person.household, []))[1].append(person)
        for household, minors in by_household.values():
            services.household_viewed(actor=self.request.user, household=household, members=minors)
        return page

    def list(self, request, *args, **kwargs):
        require_api(request, Action.CASE_VIEW)
        if request.query_params.get("id_number") or _looks_like_id_number(request.query_params.get("q", "")):
            raise ApiValidationError({"id_number": NO_ID_IN_URL.format(path="/api/v1/persons/lookup/")})
        return super().list(request, *args, **kwargs)

    @extend_schema(request=IdLookupSerializer, responses=PersonListSerializer(many=True))
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])  # a bare list
    def lookup(self, request):
        """Exact match through the blind index, the ID number in the request body."""
        require_api(request, Action.CASE_VIEW)
        data = IdLookupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        qs = selectors.person_list(user=request.user, id_number=data.validated_data["id_number"])
        return Response(PersonListSerializer(qs[:10], many=True).data)
