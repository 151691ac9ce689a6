"""Every API error is JSON with a human message (``detail``) and a machine code (``code``)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from office.workflow import TransitionNotAllowed


def exception_handler(exc, context):
    exc = _from_django(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        # ``errors`` is always by field (the schema's Error): a refusal of the whole request is
        # listed under non_field_errors, as DRF does for a serializer's own validate().
        errors = response.data
        if not isinstance(errors, dict):
            errors = {api_settings.NON_FIELD_ERRORS_KEY: errors}
        response.data = {"detail": _("提交的数据有误，请按字段提示修改。"), "code": "invalid", "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data = {"detail": str(detail), "code": getattr(detail, "code", None) or _code(exc)}
    return response


class TransitionConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = TransitionNotAllowed.code


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("请求内容过大，超过了大小上限（文件请用附件上传）。")
    default_code = "request_too_large"


class TooManyFields(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = gettext_lazy("请求中的字段或文件过多。")
    default_code = "too_many_fields"


def _from_django(exc):
    """Services speak Django (ValidationError, PermissionDenied) and TransitionNotAllowed; the
    API answers them as 400 with field errors, 403 and 409."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return exceptions.ValidationError(detail)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, TransitionNotAllowed):
        return TransitionConflict(exc.message, code=TransitionNotAllowed.code)
    # Django's own limits on a body (DATA_UPLOAD_MAX_MEMORY_SIZE, _NUMBER_FIELDS, _NUMBER_FILES).
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return TooManyFields()
    return exc


def _code(exc) -> str:
    return getattr(exc, "default_code", "error")


def api_not_found(request, exception=None):
    return JsonResponse({"detail": _("未找到。"), "code": "not_found"}, status=status.HTTP_404_NOT_FOUND)


def api_bad_request(request, exception=None):
    """A request refused before any view ran (a body over the size limit, too many fields)."""
    error = _from_django(exception)
    if not isinstance(error, exceptions.APIException):
        error = exceptions.ParseError(_("请求无法解析。"))
    return JsonResponse({"detail": str(error.detail), "code": error.get_codes()}, status=error.status_code)


def api_server_error(request):
    return JsonResponse(
        {"detail": _("服务器内部错误，已记录，请稍后再试。"), "code": "server_error"},
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
