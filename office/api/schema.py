"""The OpenAPI schema as the contract: every operation also declares the errors it can answer.

Error answers are decided here once, from what the schema generator already knows about an
operation (its method, path, parameters, body, authentication, permissions, throttles and the
record it acts on), so a new endpoint documents them without a line of its own. All of them have
the one body :mod:`office.api.exceptions` writes: the :class:`ErrorSerializer` component ``Error``.
An explicit ``extend_schema(responses={4xx: ...})`` on a view still wins (its own description).
"""

from __future__ import annotations

import copy

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_view_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.authentication import SessionAuthentication

from office.api.helpers import IgnoreFormatParameter

# What a field's errors look like: its messages, or (nested serializers and lists of them) the
# errors of its parts, by field name or list position.
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
        ]
    },
}


@extend_schema_field(FIELD_ERRORS_SCHEMA)
class FieldErrorsField(serializers.DictField):
    pass


class ErrorSerializer(serializers.Serializer):
    """An error answer: a message for people, a stable code for programs, and field errors on a 400."""

    detail = serializers.CharField(help_text=_("给人看的说明（按请求的语言，默认中文）"))
    code = serializers.CharField(help_text=_("给程序判断的代码，如 invalid、not_found、transition_not_allowed"))
    errors = FieldErrorsField(
        required=False,
        help_text=_(
            "仅在 400 时：字段名 → 错误信息列表，嵌套的字段逐层列出；不属于某个字段的错误在 non_field_errors 下"
        ),
    )


ERROR_DESCRIPTIONS = {
    400: _("提交的数据或查询参数有误（code: invalid，errors 按字段列出），或办理规则不允许；数据未作改动"),
    401: _("未登录、令牌无效或已过期"),
    403: _("无权执行此操作（不是本人可以办理的环节，或绝密文件只能在屏幕上阅读）"),
    404: _("对象不存在或不在本人可见范围内（看不到的记录同样答 404）；或页码超出范围"),
    409: _("当前状态不允许此操作（code: transition_not_allowed）"),
    413: _("请求体过大"),
    415: _("不支持的请求内容类型（Content-Type）"),
    429: _("请求过于频繁，请稍后再试"),
}

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# Permissions that any logged-in person passes on reads (DRF's own, and ours that say so).
OPEN_TO_READERS = (permissions.AllowAny, permissions.IsAuthenticated, permissions.IsAuthenticatedOrReadOnly)


class OfficeAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        declared = operation["responses"]
        for status_code in self.error_status_codes(operation):
            if str(status_code) not in declared:
                declared[str(status_code)] = self.error_response(ERROR_DESCRIPTIONS[status_code])
        operation["responses"] = dict(sorted(declared.items()))
        return operation

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if _blank_in_the_table(field):
            # DRF drops allow_blank from read-only model fields, but the row answers "" all the same
            # (an unclassified record's 保密期限方式, an unscreened document's 办理类型).
            field = copy.copy(field)
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def error_response(self, description) -> dict:
        component = self.resolve_serializer(ErrorSerializer, "response")
        return {"content": {"application/json": {"schema": component.ref}}, "description": description}

    def error_status_codes(self, operation: dict) -> list[int]:
        """The error answers the operation can give, by the kernel's rules (office/api/exceptions.py)."""
        parameters = operation.get("parameters", [])
        query = [parameter["name"] for parameter in parameters if parameter["in"] == "query"]
        has_path_parameters = any(parameter["in"] == "path" for parameter in parameters)
        reads_body = self.method in BODY_METHODS and (
            "requestBody" in operation or self.get_request_serializer() is not None
        )
        security = operation.get("security", [])
        authenticated = bool(security) and {} not in security

        codes = []
        # Shape (serializers) and the rules the services check, where there is anything to check.
        if query or reads_body:
            codes.append(400)
        if authenticated:
            codes.append(401)
            if self._may_be_forbidden(names_a_record=has_path_parameters):
                codes.append(403)
        # An invisible record is a 404, never a 403; so is a page past the last one.
        if has_path_parameters or "page" in query:
            codes.append(404)
        if has_path_parameters and self._moves_a_record():
            codes.append(409)
        if reads_body:
            codes += [413, 415]
        if self.view.get_throttles():
            codes.append(429)
        return codes

    def _may_be_forbidden(self, *, names_a_record: bool) -> bool:
        """A write is checked by its service ("who may") and, sent with a session, for its CSRF
        token. A read only where a permission class refuses some readers, or where it downloads a
        record's file (a 绝密 record is read on screen only, never carried away: DESIGN.md)."""
        if self.method in WRITE_METHODS:
            services_decide = hasattr(self.view, "action")  # a viewset's route acts through a service
            session = any(isinstance(auth, SessionAuthentication) for auth in self.view.get_authenticators())
            return services_decide or session
        negotiation = getattr(self.view, "content_negotiation_class", None)
        if names_a_record and isinstance(negotiation, type) and issubclass(negotiation, IgnoreFormatParameter):
            return True
        return any(
            not isinstance(permission, OPEN_TO_READERS) and not getattr(permission, "open_to_readers", False)
            for permission in self.view.get_permissions()
        )

    def _moves_a_record(self) -> bool:
        """A write on a record that has a workflow state (a ``state`` field) may be refused by its
        flow: 409 ``transition_not_allowed``. Creating or deleting one never is."""
        action = getattr(self.view, "action", None)  # None: a plain APIView, not a record's route
        if self.method not in WRITE_METHODS or action in (None, "create", "destroy"):
            return False
        model = getattr(self.view, "model", None) or get_view_model(self.view, emit_warnings=False)
        if model is None:
            return False
        return any(field.name == "state" for field in model._meta.get_fields())


def _blank_in_the_table(field) -> bool:
    """A read-only choice of a model serializer whose column may hold "" (``blank=True``)."""
    if not isinstance(field, serializers.ChoiceField) or not field.read_only or field.allow_blank:
        return False
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or "." in (field.source or ""):
        return False
    try:
        column = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return False
    return bool(getattr(column, "blank", False) and getattr(column, "choices", None))
