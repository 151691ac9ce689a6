"""Lockout after repeated login failures (django-axes, database handler).

``AXES_FAILURE_LIMIT`` failures (``SHUNIU_LOGIN_FAILURE_LIMIT``) within the cool-off
(``SHUNIU_LOGIN_LOCKOUT_MINUTES``) lock the account, and, counted separately, the client address:
on the login page, the admin login and ``POST /api/v1/auth/token/`` alike, since all three call
``authenticate(request, ...)``. While locked even the right password is refused; tries during the
lockout neither count nor extend it, so the answer can say when it ends. The lockout ends by
itself after the cool-off, or earlier when the 系统管理员 lifts it (admin › 登录保护, or
``manage.py unlock_login``). Locking and unlocking are security events in the audit chain.
"""

from __future__ import annotations

import math
from datetime import datetime

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_credentials, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from office.confidentiality import audit
from office.confidentiality.models import AuditAction
from office.org.models import User

LOCKED_OUT_CODE = "locked_out"


class LockoutBackend(AxesStandaloneBackend):
    """The first authentication backend: refuses any login while the account or the address is
    locked out, and otherwise lets ``OfficeBackend`` decide.

    Without a request there is nobody to throttle: the server itself is asking (Django's test
    ``Client.login()``, management code), so the call passes on instead of raising, as axes's own
    backend would."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not settings.AXES_ENABLED:
            return None
        credentials = get_credentials(username=username, password=password, **kwargs)
        if AxesProxyHandler.is_allowed(request, credentials):
            return None
        # Already locked before this try: the audit event was written when the lockout began.
        request.shuniu_locked_before = True
        request.axes_locked_out = True
        raise AxesBackendPermissionDenied("locked out")


def lock_state(request: HttpRequest, credentials: dict | None) -> tuple[list[str], datetime | None]:
    """What the request is locked by (``["username"]``, ``["ip_address"]``, both, or none) and
    when the lockout ends: when enough of the failures behind it are older than the cool-off."""
    AxesProxyHandler.update_request(request)
    limit = get_failure_limit(request, credentials)
    cool_off = get_cool_off(request)
    handler = AxesProxyHandler.get_implementation()
    parameters = get_lockout_parameters(request, credentials)
    locked_by, ends = [], None
    for names, attempts in zip(parameters, handler.get_user_attempts(request, credentials), strict=True):
        rows = list(attempts.order_by("attempt_time").values_list("attempt_time", "failures_since_start"))
        remaining = sum(failures for _at, failures in rows)
        if remaining < limit:
            continue
        locked_by.append(names if isinstance(names, str) else "+".join(names))
        for at, failures in rows:
            remaining -= failures
            if remaining < limit:
                release = at + cool_off
                ends = release if ends is None else max(ends, release)
                break
    return locked_by, ends


def lockout_message(ends: datetime | None) -> str:
    if ends is None:
        return _("登录失败次数过多，已暂时锁定。请稍后再试；如需提前解除锁定，请联系系统管理员。")
    minutes = max(1, math.ceil((ends - timezone.now()).total_seconds() / 60))
    return _(
        "登录失败次数过多，已暂时锁定。请于 %(time)s（约 %(minutes)d 分钟后）再试；如需提前解除锁定，请联系系统管理员。"
    ) % {"time": date_format(timezone.localtime(ends), "Y年n月j日 H:i"), "minutes": minutes}


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: 429 with a Chinese page, or for the API a JSON error like every
    other (``{"detail", "code": "locked_out"}``), both saying when to try again."""
    if request.path.startswith("/api/") and original_response is not None and original_response.status_code == 429:
        return original_response  # the token view has answered already (office.api.views)
    _locked_by, ends = lock_state(request, credentials)
    message = lockout_message(ends)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": LOCKED_OUT_CODE}, status=429)
    else:
        context = {"message": message, "ends": ends, "is_admin_login": request.path.startswith("/admin/")}
        response = render(request, "registration/locked_out.html", context, status=429)
    set_retry_after(response, ends)
    return response


def set_retry_after(response: HttpResponse, ends: datetime | None) -> None:
    if ends is not None:
        response["Retry-After"] = str(max(1, math.ceil((ends - timezone.now()).total_seconds())))


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """axes's ``user_locked_out``: when the lockout has just begun, a security event naming the
    account tried (if it exists) and what locked; a try during the lockout goes to the failure
    log only (axes itself leaves those out of it)."""
    if request is None:
        return
    if getattr(request, "shuniu_locked_before", False):
        if settings.AXES_ENABLE_ACCESS_FAILURE_LOG:
            AccessFailureLog.objects.create(
                username=username,
                ip_address=request.axes_ip_address,
                user_agent=request.axes_user_agent,
                http_accept=request.axes_http_accept,
                path_info=request.axes_path_info,
                attempt_time=request.axes_attempt_time,
                locked_out=True,
            )
        return
    locked_by, ends = lock_state(request, getattr(request, "axes_credentials", None))
    account = User.objects.filter(username=username).first() if username else None
    audit.record(
        None,
        AuditAction.LOGIN_LOCKED,
        obj=account,
        request=request,
        detail={
            "username": (username or "")[:150],
            "locked_by": locked_by,
            "until": ends.isoformat() if ends else None,
            "path": request.path[:200],
            "failures": getattr(request, "axes_failures_since_start", None),
        },
    )


def login_unlock(*, actor: User | None, attempts: QuerySet[AccessAttempt], request=None) -> int:
    """Lift the lockouts behind ``attempts`` (their failure counts are forgotten), each in the
    audit chain. The 系统管理员 does this (``actor=None``: the server's command line)."""
    if actor is not None and not actor.is_system_admin:
        raise PermissionDenied(_("只有系统管理员可以解除登录锁定。"))
    rows = list(attempts)
    with transaction.atomic():
        for row in rows:
            account = User.objects.filter(username=row.username).first() if row.username else None
            audit.record(
                actor,
                AuditAction.LOGIN_UNLOCKED,
                obj=account,
                request=request,
                detail={
                    "username": row.username or "",
                    "ip_address": row.ip_address,
                    "failures": row.failures_since_start,
                    "last_failure": row.attempt_time.isoformat(),
                },
            )
        AccessAttempt.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def attempt_status(attempt: AccessAttempt) -> str:
    """For the admin list: locked (until when) or how many tries are left, for this row alone."""
    limit = settings.AXES_FAILURE_LIMIT
    ends = attempt.attempt_time + get_cool_off()
    if ends <= timezone.now():
        return _("已过期")
    if attempt.failures_since_start >= limit:
        return _("已锁定，至 %(time)s") % {"time": date_format(timezone.localtime(ends), "n月j日 H:i")}
    return _("还可尝试 %(count)d 次") % {"count": limit - attempt.failures_since_start}
