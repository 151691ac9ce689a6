"""API tokens: issued, listed and revoked here, every issue and revocation in the audit chain.

Only a digest of each token is stored (django-rest-knox); the secret goes back once, to whoever
called :func:`api_token_issue`, and no page, API answer, admin screen or audit row shows it again.
Every token expires: a person's after ``SHUNIU_API_TOKEN_HOURS``, a system integration's after
``SHUNIU_INTEGRATION_TOKEN_DAYS`` (or the days its issuer chose). A token dies with the password
it was issued against and with the account's deactivation (``User.save``).

Who sees which token: everyone their own; the 系统管理员 everyone's. Anyone else's token is not
found (404), like any record one may not see.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from office.confidentiality import audit
from office.confidentiality.models import AuditAction
from office.org.auth import can_log_in
from office.org.models import ApiToken, ApiTokenKind, User

# The longest an integration token may be issued for: past this, issue a new one.
INTEGRATION_MAX_DAYS = 3650


def api_token_issue(
    *,
    user: User,
    actor: User | None,
    kind: ApiTokenKind = ApiTokenKind.LOGIN,
    name: str = "",
    lifetime: timedelta | None = None,
    request=None,
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its secret (shown to the caller once, stored nowhere).

    A login token is issued to the person who has just given their password (``actor`` is that
    person); an integration token by the 系统管理员 (``actor``, or ``None`` on the server's
    command line) and must be named. Accounts that may not log in get none."""
    name = name.strip()
    if not can_log_in(user):
        raise ValidationError(_("该账号不能登录，不能签发令牌。"))
    if kind == ApiTokenKind.INTEGRATION:
        if actor is not None and not actor.is_system_admin:
            raise PermissionDenied(_("只有系统管理员可以签发系统对接令牌。"))
        if not name:
            raise ValidationError({"name": _("系统对接令牌必须写明所属系统。")})
        lifetime = lifetime or timedelta(days=settings.SHUNIU_INTEGRATION_TOKEN_DAYS)
        if not timedelta(days=1) <= lifetime <= timedelta(days=INTEGRATION_MAX_DAYS):
            raise ValidationError({"days": _("有效期应在 1 至 %(max)d 天之间。") % {"max": INTEGRATION_MAX_DAYS}})
    else:
        lifetime = lifetime or timedelta(hours=settings.SHUNIU_API_TOKEN_HOURS)
    with transaction.atomic():
        token, secret = ApiToken.objects.create(user=user, expiry=lifetime, kind=kind, name=name)
        audit.record(
            actor,
            AuditAction.TOKEN_ISSUED,
            obj=token,
            request=request,
            detail={
                "holder": user.get_username(),
                "kind": ApiTokenKind(kind).value,
                "name": name,
                "expiry": token.expiry.isoformat(),
            },
        )
    return token, secret


def api_token_revoke(*, actor: User, token: ApiToken, request=None, reason: str = "revoked") -> None:
    """Revoke one token: its holder's own (also by logging out with it), or anyone's by the
    系统管理员. Callers take ``token`` from :func:`api_token_list_visible`."""
    if token.user_id != actor.pk and not actor.is_system_admin:
        raise PermissionDenied(_("只能吊销本人的令牌。"))
    with transaction.atomic():
        _revoke(actor, [token], request=request, reason=reason)


def api_tokens_revoke_for_user(*, user: User, reason: str) -> int:
    """Revoke every token of ``user`` (their password changed, or the account was deactivated).
    Called from ``User.save``, which does not know who made the change: the audit rows name the
    holder and the reason."""
    tokens = list(ApiToken.objects.filter(user=user).select_related("user"))
    if tokens:
        with transaction.atomic():
            _revoke(None, tokens, request=None, reason=reason)
    return len(tokens)


def _revoke(actor: User | None, tokens: list[ApiToken], *, request, reason: str) -> None:
    for token in tokens:
        audit.record(
            actor,
            AuditAction.TOKEN_REVOKED,
            obj=token,
            request=request,
            detail={"holder": token.user.get_username(), "kind": token.kind, "name": token.name, "reason": reason},
        )
    ApiToken.objects.filter(pk__in=[token.pk for token in tokens]).delete()


def api_token_list_visible(*, user: User, filters: dict | None = None) -> QuerySet[ApiToken]:
    """The live (unexpired) tokens ``user`` may see: their own; the 系统管理员 everyone's.
    ``filters``: ``person`` (a person's id)."""
    filters = filters or {}
    tokens = ApiToken.objects.filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))
    if not user.is_system_admin:
        tokens = tokens.filter(user=user)
    if person := filters.get("person"):
        tokens = tokens.filter(user__person=person)
    return tokens.select_related("user__person").order_by("-created", "-id")


def api_token_list_own(*, user: User) -> QuerySet[ApiToken]:
    """The live tokens ``user`` holds (their account page), whatever their role."""
    return api_token_list_visible(user=user).filter(user=user)
