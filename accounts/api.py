from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.response import Response

from accounts import tokens
from accounts.middleware import SessionPolicyMiddleware
from accounts.scope import region_q
from core import audit
from core.models import Region


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


@extend_schema(request=TokenRequestSerializer,
               responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}))
@api_view(["POST"])
@permission_classes([permissions.AllowAny])
def obtain_token(request):
    data = TokenRequestSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    user = authenticate(request, **data.validated_data)
    if user is None:
        raise AuthenticationFailed("用户名或密码错误，或账号已锁定")
    if SessionPolicyMiddleware.must_change_password(user):
        raise PermissionDenied("请先登录网页修改密码（首次登录或密码已过期），再获取接口令牌")
    key = tokens.issue(user)  # hashed at rest, replaces older tokens; concurrent requests queue on the user row
    audit.record(actor=user, action="login.token", obj=user, category=audit.Category.SECURITY, region=("", "", ""))
    return Response({"token": key})


@extend_schema(responses=inline_serializer("Me", {
    "username": serializers.CharField(), "role": serializers.CharField(), "role_label": serializers.CharField(),
    "region": serializers.CharField(), "region_name": serializers.CharField()}))
@api_view(["GET"])
def me(request):
    u = request.user
    return Response({"username": u.username, "role": u.role, "role_label": u.role_label,
                     "region": u.region_id, "region_name": u.region.name})


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]


class RegionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Divisions within the user's own region (the city for city-level users)."""

    serializer_class = RegionSerializer
    queryset = Region.objects.none()  # the model for the schema; rows come from get_queryset
    lookup_value_regex = r"\d{6,12}"
    filterset_fields = ["level", "parent"]
    lookup_field = "code"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no real user
            return Region.objects.none()
        return Region.objects.filter(region_q(self.request.user)).order_by("code")
