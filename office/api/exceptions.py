"""Every API error is JSON with a human message (``detail``) and a machine code (``code``)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": _("提交的数据有误，请按字段提示修改。"), "code": "invalid", "errors": response.data}
    elif isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data = {"detail": str(detail), "code": getattr(detail, "code", None) or _code(exc)}
    return response


def _code(exc) -> str:
    return getattr(exc, "default_code", "error")


def api_not_found(request, exception=None):
    return JsonResponse({"detail": _("未找到。"), "code": "not_found"}, status=status.HTTP_404_NOT_FOUND)


def api_server_error(request):
    return JsonResponse(
        {"detail": _("服务器内部错误，已记录，请稍后再试。"), "code": "server_error"},
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
