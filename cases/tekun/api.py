"""API for 特困 support (/api/v1/tekun/). Same scope and services as the pages."""
from rest_framework import mixins, serializers, viewsets

from accounts.scope import Action, require_api
from cases.tekun import selectors as tekun
from cases.tekun.models import CareAgreement, CareVisit, SelfCareAssessment, TekunProfile


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = SelfCareAssessment
        fields = ["assessed_on", "eating", "dressing", "transfer", "toilet", "walking", "bathing", "level"]


class AgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = CareAgreement
        fields = ["carer_name", "carer_relation", "phone_masked", "duties", "monthly_fee", "start", "end", "signed_on"]


class VisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = CareVisit
        fields = ["visited_on", "findings", "needs"]


class TekunSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name")
    id_masked = serializers.CharField(source="person.id_masked")
    institution = serializers.CharField(source="institution.name", default=None, allow_null=True)  # dispersed: none
    assessments = AssessmentSerializer(many=True, read_only=True)
    agreements = AgreementSerializer(many=True, read_only=True)
    visits = VisitSerializer(many=True, read_only=True)

    class Meta:
        model = TekunProfile
        fields = ["id", "name", "id_masked", "household", "county", "township", "village", "status", "form",
                  "institution", "incapacity", "self_care_level", "last_assessed_on", "visitor_name", "last_visit_on",
                  "assessments", "agreements", "visits"]


class TekunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """特困 persons in scope. `?f=no_agreement|agreement_ending|visit_overdue|reassess_due|institution`."""

    serializer_class = TekunSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TekunProfile.objects.none()
        require_api(self.request, Action.CASE_VIEW)
        qs = tekun.profiles(user=self.request.user, flt=self.request.query_params.get("f", ""))
        if self.action == "retrieve":
            qs = qs.prefetch_related("assessments", "agreements", "visits")
        return qs
