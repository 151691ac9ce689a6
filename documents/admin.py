"""The admin of 发文: the 发文代字 series are configured here; the number ledger and the documents
are shown, never edited (services write them: a number is never reused, a document never deleted).

Need-to-know has no administrator exemption: the document list holds only what the administrator
may see (``visible_to``), and shows register fields, never a body.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from documents.models import DocumentNumber, DocumentSeries, OutgoingDocument
from office.admin_widgets import SafeAutocompleteMixin


class ReadOnlyAdminMixin:
    """Shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentSeries)
class DocumentSeriesAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["code", "issuer_name", "organ", "office", "template", "active"]
    list_filter = ["template", "active", "organ"]
    search_fields = ["code", "issuer_name"]
    list_select_related = ["organ", "office"]
    autocomplete_fields = ["organ", "office"]

    def has_delete_permission(self, request, obj=None):
        return False  # its numbers name it for ever: switch it off instead


@admin.register(DocumentNumber)
class DocumentNumberAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["text", "series", "year", "sequence", "state", "void_reason", "assigned_at"]
    list_filter = ["series", "year", "state"]
    list_select_related = ["series"]
    ordering = ["series", "-year", "-sequence"]

    @admin.display(description=_("发文字号"), ordering="sequence")
    def text(self, number):
        return number.text


@admin.register(OutgoingDocument)
class OutgoingDocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "number", "kind", "level_mark", "drafting_unit", "state", "updated_at"]
    list_filter = ["state", "kind", "series"]
    search_fields = ["title"]
    list_select_related = ["number__series", "drafting_unit"]
    fields = [
        "title",
        "series",
        "number",
        "kind",
        "direction",
        "classification",
        "copies",
        "drafting_unit",
        "drafter",
        "signed_by",
        "written_date",
        "state",
        "state_reason",
        "retention",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    @admin.display(description=_("密级"), ordering="classification")
    def level_mark(self, document):
        return document.level_mark or document.level.label
