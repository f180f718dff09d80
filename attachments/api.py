"""`/api/v1/attachments/`: list (filter `owner_type` + `owner_id`, `doc_type`), retrieve, upload (multipart:
owner_type, owner_id, doc_type, title, file), `GET {id}/content/` (the file, audited), `POST {id}/remove/`
(reason), `GET checklist/?owner_type=cases.application&owner_id=` (required documents and what is missing)."""
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.scope import Action, require_api
from attachments import checklist, selectors, services, uploads
from attachments.doctypes import DocType
from attachments.models import Attachment
from attachments.owners import OWNERS
from core.api import raise_api_error


class AttachmentSerializer(serializers.ModelSerializer):
    owner_type = serializers.SerializerMethodField()
    owner_id = serializers.IntegerField(source="object_id", read_only=True)
    doc_type_label = serializers.CharField(source="get_doc_type_display", read_only=True)
    uploaded_by = serializers.StringRelatedField()

    class Meta:
        model = Attachment
        fields = ["id", "owner_type", "owner_id", "doc_type", "doc_type_label", "title", "original_name", "mime",
                  "size", "sha256", "uploaded_by", "uploaded_at"]

    def get_owner_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class UploadSerializer(serializers.Serializer):
    owner_type = serializers.ChoiceField(choices=list(OWNERS))
    owner_id = serializers.IntegerField()
    doc_type = serializers.ChoiceField(choices=DocType.choices)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    file = serializers.FileField(required=False)


class UploadFormSerializer(UploadSerializer):  # documentation: the file is required (services.validate_file)
    file = serializers.FileField(help_text="PDF、JPEG 或 PNG（按文件内容识别）")


# What `POST {id}/remove/` reads: the reason (services.remove refuses a blank one).
class RemoveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="撤下原因（如：重复上传、拍摄不清、非本户材料）")


class RemovedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    removed_at = serializers.DateTimeField()


class AttachmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def initialize_request(self, request, *args, **kwargs):
        # before anything reads the body: a file over the limit is never held in full
        self._handler = uploads.install(request, checklist.max_size) if request.method == "POST" else None
        return super().initialize_request(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Attachment.objects.none()
        require_api(self.request, Action.CASE_VIEW, Action.COMPLAINT_HANDLE)
        qs = selectors.visible(self.request.user)
        params = self.request.query_params
        if params.get("owner_type") in OWNERS and params.get("owner_id", "").isdecimal():
            owner = selectors.owner_or_404(self.request.user, params["owner_type"], int(params["owner_id"]))
            qs = qs.filter(pk__in=selectors.for_owner(owner).values("pk"))
        if params.get("doc_type") in DocType.values:
            qs = qs.filter(doc_type=params["doc_type"])
        return qs

    def get_object(self):
        require_api(self.request, Action.CASE_VIEW, Action.COMPLAINT_HANDLE)
        return selectors.attachment_or_404(self.request.user, self.kwargs["pk"])

    @extend_schema(request={"multipart/form-data": UploadFormSerializer},
                   responses={201: AttachmentSerializer})
    def create(self, request, *args, **kwargs):
        require_api(request, Action.CASE_CHANGE, Action.CASE_PROCESS, Action.COMPLAINT_HANDLE)
        limit = checklist.max_size()
        if uploads.declared_too_large(request, limit):
            raise serializers.ValidationError({"file": [f"文件超过 {limit // (1024 * 1024)} MB 上限"]})
        data = UploadSerializer(data=request.data)
        if self._handler is not None and self._handler.too_large:
            raise serializers.ValidationError({"file": [f"文件超过 {limit // (1024 * 1024)} MB 上限"]})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        owner = selectors.owner_or_404(request.user, v["owner_type"], v["owner_id"], change=True)
        upload = v.get("file")
        try:
            att = services.attach(actor=request.user, owner=owner, data=upload.read() if upload else None,
                                  filename=upload.name if upload else "", doc_type=v["doc_type"], title=v["title"])
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(AttachmentSerializer(att).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def content(self, request, pk=None):
        att = self.get_object()
        try:
            body = services.open_content(actor=request.user, attachment=att, download=True)
        except ValidationError:
            raise Http404 from None
        response = HttpResponse(body, content_type=att.mime)
        response["Content-Disposition"] = f'attachment; filename="attachment-{att.pk}.{att.extension}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(request=RemoveSerializer, responses=RemovedSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        att = self.get_object()
        try:
            att = services.remove(actor=request.user, attachment=att, reason=str(request.data.get("reason", "")))
        except ValidationError as exc:
            raise_api_error(exc)
        return Response({"id": att.pk, "removed_at": att.removed_at})

    @extend_schema(parameters=[
        OpenApiParameter("owner_type", str, required=True, enum=sorted(OWNERS), description="材料所属记录的类别"),
        OpenApiParameter("owner_id", int, required=True, description="材料所属记录的ID")],
        responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def checklist(self, request):
        require_api(request, Action.CASE_VIEW)
        owner_type, owner_id = request.query_params.get("owner_type", ""), request.query_params.get("owner_id", "")
        if owner_type not in OWNERS or not owner_id.isdecimal():
            raise serializers.ValidationError({"owner_type": ["请给出 owner_type 与 owner_id"]})
        owner = selectors.owner_or_404(request.user, owner_type, int(owner_id))
        items = checklist.status(owner)
        return Response({"items": [{"doc_type": i.code, "label": i.label, "count": i.count, "done": i.done}
                                   for i in items],
                         "missing": [i.label for i in items if not i.done]})
