"""The admin of 期限与提醒: deadline kinds and their reminder stages are configured here; deadlines,
reminders and notifications are shown, never edited (a due date is derived from its clock).

Need-to-know has no administrator exemption: a deadline whose subject is a classified record the
administrator may not see is listed under the masked label, on the list and on its page alike.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.admin_widgets import SafeAutocompleteMixin
from office.reminders import selectors
from office.reminders.models import (
    Deadline,
    DeadlineEvent,
    DeadlineKind,
    DeadlineState,
    Extension,
    Notification,
    Reminder,
    ReminderStage,
    Suspension,
)


class ReadOnlyAdminMixin:
    """Shown, never added, changed or deleted here: services write these rows."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MaskedSubjectMixin:
    """Label the deadlines behind a list page in one go (a few queries, whatever the page size),
    and mask the subject on an object's own page (its title, breadcrumbs and history)."""

    def deadline_of(self, obj) -> Deadline:
        raise NotImplementedError

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)
        labels = selectors.subject_labels([self.deadline_of(row) for row in rows], user=request.user)
        for row in rows:
            row.subject_label = labels[self.deadline_of(row).pk]
        return changelist

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            deadline = self.deadline_of(obj)
            # Read-only pages: the in-memory copy is never saved.
            deadline.subject_repr = obj.subject_label = selectors.subject_label(deadline, request.user)
        return obj

    @admin.display(description=_("事项"))
    def subject(self, obj) -> str:
        return getattr(obj, "subject_label", None) or selectors.masked_label()


# --- Kinds and their stages (configurable) -------------------------------------------------------


class ReminderStageInline(admin.TabularInline):
    model = ReminderStage
    fields = ["code", "name", "offset", "offset_unit", "repeat_every_days", "audience", "active"]
    extra = 0


@admin.register(DeadlineKind)
class DeadlineKindAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "legal_basis",
        "max_extensions",
        "extension_cap_amount",
        "extension_cap_unit",
        "very_overdue_after",
        "supervising_unit",
    ]
    list_select_related = ["supervising_unit"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["supervising_unit"]
    inlines = [ReminderStageInline]

    def get_readonly_fields(self, request, obj=None):
        # Services open deadlines by the kind's code: it never changes once the kind exists.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # deadlines keep their kind (PROTECT); switch stages off instead


# --- Deadlines (read-only) ----------------------------------------------------------------------


class DueFilter(admin.SimpleListFilter):
    title = _("届满")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("已逾期")),
            ("today", _("今日届满")),
            ("week", _("7日内届满")),
            ("later", _("7日后届满")),
            ("suspended", _("中止中")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        open_ = queryset.filter(state=DeadlineState.OPEN)
        return {
            "overdue": lambda: open_.filter(due_date__lt=today),
            "today": lambda: open_.filter(due_date=today),
            "week": lambda: open_.filter(due_date__gt=today, due_date__lte=today + timedelta(days=7)),
            "later": lambda: open_.filter(due_date__gt=today + timedelta(days=7)),
            "suspended": lambda: open_.filter(suspended=True),
        }.get(self.value(), lambda: queryset)()


class SuspensionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Suspension
    fields = ["start", "end", "restarts_clock", "reason", "late_entry_reason", "counts_until"]
    readonly_fields = fields
    extra = 0


class ExtensionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Extension
    fields = ["amount", "unit", "reason", "approved_by", "at"]
    readonly_fields = fields
    extra = 0


class DeadlineEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DeadlineEvent
    fields = ["at", "action", "actor", "reason", "due_before", "due_after"]
    readonly_fields = fields
    extra = 0


@admin.register(Deadline)
class DeadlineAdmin(MaskedSubjectMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "subject",
        "kind",
        "responsible_person",
        "responsible_unit",
        "due_date",
        "state",
        "suspended",
    ]
    list_display_links = ["id", "subject"]
    list_filter = ["state", DueFilter, "suspended", "kind"]
    list_select_related = ["kind", "responsible_person", "responsible_unit"]
    # By people and units only: a search over subjects would confirm classified titles.
    search_fields = ["responsible_person__name", "responsible_unit__name"]
    fields = [
        "subject",
        "content_type",
        "object_id",
        "kind",
        "responsible_person",
        "responsible_unit",
        "leader",
        "start",
        "amount",
        "unit",
        "due_date",
        "derivation",
        "calendar_complete",
        "suspended",
        "state",
        "met_on",
        "met_on_time",
        "opened_at",
    ]
    readonly_fields = fields
    inlines = [SuspensionInline, ExtensionInline, DeadlineEventInline]

    def deadline_of(self, obj) -> Deadline:
        return obj


# --- Reminders and notifications (read-only) ------------------------------------------------------


@admin.register(Reminder)
class ReminderAdmin(MaskedSubjectMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "deadline_id",
        "subject",
        "stage_key",
        "recipient",
        "audience",
        "state",
        "attempts",
        "claimed_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["state", "audience"]
    list_select_related = ["deadline", "recipient"]
    search_fields = ["recipient__username", "stage_key"]
    fields = [
        "deadline",
        "subject",
        "stage_key",
        "recipient",
        "audience",
        "state",
        "claimed_at",
        "attempts",
        "email_sent_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields

    def deadline_of(self, obj) -> Deadline:
        return obj.deadline

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("deadline")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Reminder notifications carry masked texts already (services._subject_text).
    list_display = ["id", "recipient", "verb", "created_at", "read_at"]
    list_filter = [("read_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username"]
    # The reminder by number only: its name would be the deadline's, unmasked. No subject either:
    # it was written for its recipient, who may see what the administrator may not.
    fields = ["recipient", "verb", "link", "reminder_number", "created_at", "read_at"]
    readonly_fields = fields

    @admin.display(description=_("提醒编号"))
    def reminder_number(self, notification) -> str:
        return str(notification.reminder_id or "—")
