"""发文 附件 on the pages: upload, remove and preview — the same service as the API
(``services.outgoing_attach``: size, type by the bytes, the classification ceiling, who may edit).

A document outside the person's 知悉范围 is a 404, and so is an attachment not of that document.
PDF and images are shown in the browser (``?inline=1``), anything else downloads; 绝密 never
leaves the screen, so its attachments are not served at all; every read above 内部 is logged.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from documents.models import Attachment, OutgoingDocument
from documents.outgoing import forms, services
from documents.outgoing.views import PREVIEW_TYPES, _render_detail_again, _visible_document
from documents.vocabulary import NO_PERSON
from office.confidentiality import audit
from office.confidentiality.forms import add_service_error
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.pages import no_store, person_or_403, service_error_text
from office.uploads import inline_response, streaming_response
from office.workflow import TransitionNotAllowed


def _attachment_of(document: OutgoingDocument, attachment_id) -> Attachment:
    attachment = document.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment


def _back(request, document: OutgoingDocument) -> str:
    """Back to the page the form was on: the edit page or the document's page."""
    edit = reverse("documents:outgoing_edit", args=[document.pk])
    if request.POST.get("next") == "edit":
        return edit
    return reverse("documents:outgoing_detail", args=[document.pk]) + "#attachments"


@login_required
@require_POST
def outgoing_attachment_upload(request, pk):
    """Upload one attachment; bad input (no file, too big, wrong type, over the ceiling) shows the
    page again with the message (400) and stores nothing."""
    document = _visible_document(request, pk)
    person_or_403(request.user, NO_PERSON)
    form = forms.AttachmentForm(request.POST, request.FILES, prefix="attachment")
    status = 400
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            attachment = services.outgoing_attach(
                actor=request.user, document=document, upload=upload, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            error = ValidationError({"file": error.messages}) if not hasattr(error, "error_dict") else error
            add_service_error(form, error)
        except (PermissionDenied, TransitionNotAllowed) as error:
            form.add_error(None, service_error_text(error))
            status = 403
        else:
            messages.success(request, _("已上传附件：%(name)s") % {"name": attachment.name})
            return redirect(_back(request, document))
    return _render_detail_again(request, _visible_document(request, pk), {"attachment": form}, status=status)


@login_required
@require_POST
def outgoing_attachment_remove(request, pk, attachment_id):
    document = _visible_document(request, pk)
    person_or_403(request.user, NO_PERSON)
    attachment = _attachment_of(document, attachment_id)
    try:
        services.outgoing_detach(actor=request.user, document=document, attachment=attachment)
    except (PermissionDenied, TransitionNotAllowed, ValidationError) as error:
        messages.error(request, service_error_text(error))
    else:
        messages.success(request, _("已删除附件：%(name)s") % {"name": attachment.name})
    return redirect(_back(request, document))


@login_required
@require_GET
def outgoing_attachment(request, pk, attachment_id):
    """An attachment of a visible document: shown in place (``?inline=1``, PDF and images) or
    downloaded; never for 绝密; logged above 内部."""
    document = _visible_document(request, pk)
    attachment = _attachment_of(document, attachment_id)
    if document.level == Level.TOP_SECRET:
        messages.error(request, _("绝密公文的附件只能在屏幕上阅读，不能下载。"))
        return redirect("documents:outgoing_detail", pk=document.pk)
    wanted = request.GET.get("inline") == "1" and attachment.content_type in PREVIEW_TYPES
    response = inline_response(attachment.file, name=attachment.name, types=PREVIEW_TYPES) if wanted else None
    audit.record_read(request.user, document, request=request, **({} if response else {"action": AuditAction.DOWNLOAD}))
    if response is None:
        return no_store(streaming_response(attachment.file, name=attachment.name), document)
    return no_store(response, document)
