"""The 收文 pages of 分办 and of the 原件扫描件: the 承办人's 报送, the unit head's 上报 / 退回 of a 分办
row, the upload of scans and their preview.

Thin edges as ``documents.incoming.views`` (whose ``_perform`` they share): a form checks shape,
``documents.incoming.subassign`` / ``services`` act and check who may (``rules``), and the page shows
what ``rules.subassignment_machine`` offers row by row. A document outside the person's 知悉范围 is a
404, its rows and its files too.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from documents.incoming import forms, services, subassign
from documents.models import IncomingDocument, UnitAssignment
from documents.vocabulary import NO_PERSON
from office.confidentiality import audit
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.pages import no_store, person_or_403
from office.reminders.models import Deadline
from office.uploads import (
    JPEG,
    PDF,
    PNG,
    files_kept_only_if_stored,
    inline_response,
    streaming_response,
)

ROW_FORMS = {"report": forms.SubReportForm, "accept": forms.SubAcceptForm, "return": forms.SubReturnForm}
INLINE_TYPES = (PDF, JPEG, PNG)


def subassignment_rows(document: IncomingDocument) -> list[UnitAssignment]:
    """The document's 分办 rows, each with its 承办人's deadline (the open one when there is one)."""
    rows = subassign.subassignments_of(document)
    if rows:
        found = Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(UnitAssignment), object_id__in=[row.pk for row in rows]
        ).order_by("opened_at")
        by_row = {}
        for deadline in sorted(found, key=lambda d: (d.state == "open", d.opened_at)):
            by_row[deadline.object_id] = deadline
        for row in rows:
            row.deadline = by_row.get(row.pk)
    return rows


def attach_row_forms(actions: dict, bound: dict) -> None:
    """A form on each row offered (``sub_report`` …), the failed one in place."""
    for name, form_class in ROW_FORMS.items():
        for row in actions.get(f"sub_{name}", []):
            failed = bound.get(f"sub-{name}") if bound.get("sub_row") == row.pk else None
            form = failed or form_class(prefix=f"sub_{name}", auto_id=f"id_sub_{name}{row.pk}_%s")
            setattr(row, f"{name}_form", form)


def _pages():
    from documents.incoming import views  # the module that imports this one: its shared pieces

    return views


@login_required
@require_POST
def incoming_subassignment_action(request, pk, row_id, action):
    """报送 (the 承办人), 上报 or 退回 (the unit's head) one 分办 row from the document's page."""
    if action not in ROW_FORMS:
        raise Http404
    views = _pages()
    document = views._visible_document(request, pk)
    person_or_403(request.user, NO_PERSON)
    row = UnitAssignment.objects.filter(assignment__document=document, pk=row_id).first()
    if row is None:
        raise Http404
    form = ROW_FORMS[action](request.POST, prefix=f"sub_{action}")

    def perform():
        data = form.cleaned_data
        if action == "report":
            subassign.subassignment_report(actor=request.user, row=row, note=data["note"])
            return _("办理情况已报送%(unit)s负责人审核。") % {"unit": row.assignment.unit.name}
        if action == "accept":
            subassign.subassignment_accept(actor=request.user, row=row, note=data["note"])
            return _("已上报%(unit)s的办理情况。") % {"unit": row.assignment.unit.name}
        subassign.subassignment_return(actor=request.user, row=row, reason=data["reason"])
        return _("已退回%(name)s重新办理。") % {"name": row.handler.name}

    return views._perform(request, pk, f"sub-{action}", form, perform, {"sub_row": row.pk})


@login_required
@require_POST
def incoming_scan_upload(request, pk):
    """原件扫描件 from the document's page (the receiving office): every file checked, all or none stored."""
    views = _pages()
    document = views._visible_document(request, pk)
    person_or_403(request.user, NO_PERSON)
    form = forms.ScanForm(request.POST, request.FILES, prefix="scan")

    def perform():
        with files_kept_only_if_stored() as keep, transaction.atomic():
            for upload in form.cleaned_data["scans"]:
                keep(services.incoming_attach_scan(actor=request.user, document=document, upload=upload).file)
        return _("已上传%(count)d个原件扫描件。") % {"count": len(form.cleaned_data["scans"])}

    return views._perform(request, pk, "scan", form, perform)


@login_required
@require_GET
def incoming_scan(request, pk, scan_id):
    """A scan of a document the person may see (404 otherwise): a PDF or an image opens in the
    browser, anything else downloads; logged; never for 绝密 (on screen only)."""
    views = _pages()
    document = views._visible_document(request, pk)
    scan = document.scans.filter(pk=scan_id).first()
    if scan is None:
        raise Http404
    if document.level == Level.TOP_SECRET:
        messages.error(request, _("绝密来文的原件扫描件不能打开或下载。"))
        return redirect("documents:incoming_detail", pk=document.pk)
    audit.record_read(request.user, document, request=request, action=AuditAction.DOWNLOAD)
    response = inline_response(scan.file, name=scan.name, types=INLINE_TYPES)
    if response is None:
        return no_store(streaming_response(scan.file, name=scan.name), document)
    return no_store(response, document)
