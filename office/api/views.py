"""``/api/v1/auth/``: a token for a username and password, the caller's tokens, logging out.

Thin edges over :mod:`office.org.tokens` (issue, list, revoke) and :mod:`office.org.lockout`
(too many failed logins: 429 ``locked_out``)."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from office.api.authentication import OfficeTokenAuthentication
from office.api.helpers import query_of, valid
from office.api.schema import ErrorSerializer
from office.api.serializers import ListQuery, StrictFieldsMixin
from office.org import lockout, tokens
from office.org.models import ApiToken

NOT_FOUND = OpenApiResponse(ErrorSerializer, description=gettext_lazy("没有这个令牌，或不是本人的令牌"))


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = lockout.LOCKED_OUT_CODE


class TokenRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=gettext_lazy("令牌本身：只在此时返回一次，系统不保存。"))
    expiry = serializers.DateTimeField(help_text=gettext_lazy("过期时间"))


class ObtainTokenView(APIView):
    """``POST {"username", "password"}`` → ``{"token", "expiry"}``. A wrong password, an inactive
    account and (outside the demo) a demo account get 400; too many failures 429."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        summary=gettext_lazy("用用户名和密码换取 API 令牌"),
        description=gettext_lazy(
            "令牌在 SHUNIU_API_TOKEN_HOURS 小时后过期，修改密码或停用账号时立即作废。"
            "连续登录失败达到上限后，账号和来源地址分别被暂时锁定（429）。"
        ),
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(ErrorSerializer, description=gettext_lazy("用户名或密码不正确，或账号不能登录")),
            429: OpenApiResponse(
                ErrorSerializer, description=gettext_lazy("登录失败次数过多，暂时锁定（code: locked_out）")
            ),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        data = valid(TokenRequestSerializer, request.data)
        # The Django request, where axes keeps what it learns (and its middleware looks).
        http_request = request._request
        user = authenticate(http_request, username=data["username"], password=data["password"])
        if getattr(http_request, "axes_locked_out", False):
            _locked_by, ends = lockout.lock_state(http_request, getattr(http_request, "axes_credentials", None))
            error = LockedOut(lockout.lockout_message(ends))
            error.ends = ends
            raise error
        if user is None:
            raise exceptions.ValidationError({"non_field_errors": [_("用户名或密码不正确，或该账号不能登录。")]})
        token, secret = tokens.api_token_issue(user=user, actor=user, request=http_request)
        body = TokenResponseSerializer({"token": secret, "expiry": token.expiry}).data
        return Response(body, headers={"Cache-Control": "no-store"})

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(exc, LockedOut):
            lockout.set_retry_after(response, getattr(exc, "ends", None))
        return response


class LogoutView(APIView):
    """``POST``: the token this request was sent with stops working (204)."""

    authentication_classes = (OfficeTokenAuthentication,)
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        summary=gettext_lazy("注销：吊销本次请求使用的令牌"),
        request=None,
        responses={204: OpenApiResponse(description=gettext_lazy("令牌已吊销"))},
    )
    def post(self, request, *args, **kwargs):
        if not isinstance(request.auth, ApiToken):
            raise exceptions.NotAuthenticated(_("本次请求没有使用 API 令牌。"))
        tokens.api_token_revoke(actor=request.user, token=request.auth, request=request._request, reason="logout")
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenSerializer(serializers.ModelSerializer):
    prefix = serializers.CharField(read_only=True, help_text=gettext_lazy("令牌开头几位，用于辨认；令牌本身不再显示"))
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    person = serializers.IntegerField(source="user.person.pk", read_only=True, allow_null=True)
    person_name = serializers.CharField(source="user.person.name", read_only=True, allow_null=True)
    username = serializers.CharField(source="user.username", read_only=True)
    current = serializers.SerializerMethodField(help_text=gettext_lazy("是否为本次请求使用的令牌"))

    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "kind", "kind_label", "name", "person", "person_name", "username", "created"]
        fields += ["expiry", "current"]
        read_only_fields = fields

    def get_current(self, token) -> bool:
        used = getattr(self.context.get("request"), "auth", None)
        return isinstance(used, ApiToken) and used.pk == token.pk


class TokenListQuery(ListQuery):
    person = serializers.IntegerField(required=False, min_value=1, help_text=gettext_lazy("只列此人的令牌（人员 id）"))


class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """``auth/tokens/``: the caller's live tokens (the 系统管理员: everyone's), never the secret;
    ``DELETE`` revokes one. Anyone else's token is a 404."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # the schema's model; requests use the selector

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        filters = query_of(TokenListQuery, self.request) if self.action == "list" else {}
        return tokens.api_token_list_visible(user=self.request.user, filters=filters)

    @extend_schema(
        summary=gettext_lazy("我的 API 令牌（系统管理员：全部）"),
        parameters=[TokenListQuery],
        responses={200: ApiTokenSerializer(many=True)},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("吊销一个 API 令牌"),
        responses={204: OpenApiResponse(description=gettext_lazy("已吊销")), 404: NOT_FOUND},
    )
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        tokens.api_token_revoke(actor=self.request.user, token=instance, request=self.request._request)
