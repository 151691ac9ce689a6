"""Admin pages for API tokens and login lockouts: the 系统管理员 sees and revokes tokens, and sees
and lifts lockouts. Nothing here adds or changes a row; a token's digest or secret never shows;
every revocation and unlock goes through the service that writes the audit event.

(Imported by :mod:`office.org.admin`; ``AXES_ENABLE_ADMIN`` is off, so axes's English admin
is not registered and these take its place.)
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from office.org import lockout, tokens
from office.org.models import ApiToken


class ViewOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RevocableAdmin(ViewOnlyAdmin):
    """View, and delete (revoke, unlock) for the 系统管理员 only, through :meth:`revoke`."""

    def has_delete_permission(self, request, obj=None) -> bool:
        # The model permission and the role: a permission granted by hand is not enough.
        return request.user.is_system_admin and admin.ModelAdmin.has_delete_permission(self, request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # the named action below instead, without the generic page
        return actions

    def delete_model(self, request, obj) -> None:
        self.revoke(request, self.model.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:
        self.revoke(request, queryset)

    def revoke(self, request, queryset) -> int:
        raise NotImplementedError

    def revoke_and_report(self, request, queryset, done) -> None:
        """What the named action does: ``revoke`` the selected rows and say how many (``done`` is
        an ``ngettext_lazy`` message with one ``%d``)."""
        count = self.revoke(request, queryset)
        self.message_user(request, done % count, messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(RevocableAdmin):
    list_display = ["__str__", "holder", "kind", "name", "created", "expiry"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__person__name", "name"]
    list_select_related = ["user__person"]
    fields = ["holder", "kind", "name", "prefix", "created", "expiry"]
    readonly_fields = fields
    actions = ["revoke_selected"]

    @admin.display(description=_("持有人"))
    def holder(self, token: ApiToken) -> str:
        person = getattr(token.user, "person", None)
        return f"{person.name}（{token.user.username}）" if person else token.user.username

    @admin.display(description=_("令牌开头"))
    def prefix(self, token: ApiToken) -> str:
        return f"{token.prefix}…"

    @admin.action(description=_("吊销所选 API 令牌"), permissions=["delete"])
    def revoke_selected(self, request, queryset) -> None:
        self.revoke_and_report(request, queryset, ngettext_lazy("已吊销 %d 个令牌。", "已吊销 %d 个令牌。"))

    def revoke(self, request, queryset) -> int:
        revoked = list(queryset.select_related("user"))
        for token in revoked:
            tokens.api_token_revoke(actor=request.user, token=token, request=request, reason="admin")
        return len(revoked)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(RevocableAdmin):
    """Accounts and addresses with recent failed logins: locked ones until when, others how many
    tries are left. Lifting a lockout forgets the row's failures (audited)."""

    list_display = ["username", "ip_address", "failures_since_start", "status", "attempt_time", "path_info"]
    list_filter = ["path_info"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["username", "ip_address", "user_agent", "path_info", "failures_since_start", "attempt_time", "status"]
    readonly_fields = fields
    actions = ["unlock_selected"]

    @admin.display(description=_("状态"))
    def status(self, attempt: AccessAttempt) -> str:
        return lockout.attempt_status(attempt)

    @admin.action(description=_("解除所选登录锁定"), permissions=["delete"])
    def unlock_selected(self, request, queryset) -> None:
        self.revoke_and_report(request, queryset, ngettext_lazy("已解除 %d 条锁定记录。", "已解除 %d 条锁定记录。"))

    def revoke(self, request, queryset) -> int:
        return lockout.login_unlock(actor=request.user, attempts=queryset, request=request)


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(ViewOnlyAdmin):
    """Every failed login, kept: the record behind the lockouts."""

    list_display = ["attempt_time", "username", "ip_address", "path_info", "locked_out"]
    list_filter = ["locked_out", "path_info"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["attempt_time", "username", "ip_address", "user_agent", "path_info", "locked_out"]
    readonly_fields = fields


@admin.register(AccessLog)
class AccessLogAdmin(ViewOnlyAdmin):
    """Successful logins and logouts (no role is given this by default)."""

    list_display = ["attempt_time", "logout_time", "username", "ip_address", "path_info"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["attempt_time", "logout_time", "username", "ip_address", "user_agent", "path_info"]
    readonly_fields = fields
