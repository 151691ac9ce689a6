"""The 发文 pages: the register (filters and search), 我的待办, the drafting form, and a document's
page — a GB/T 9704 preview, the 核稿 findings, the 流转记录 with the open step's deadline, 会签, and
the actions this person may take in this state — with DOCX/PDF downloads.

Thin edges: forms check shape, ``documents.outgoing.services`` change state (and check who may),
``documents.outgoing.selectors`` and ``visible_to()`` read. A document outside the person's 知悉范围 is a 404
(and a ``denied`` audit event); a read above 内部 is logged. The buttons a person sees are the
steps ``documents.outgoing.rules.OUTGOING`` offers him — the rules the services enforce.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView

from documents.models import (
    CountersignState,
    Direction,
    DocumentSeries,
    DocumentState,
    OutgoingDocument,
)
from documents.outgoing import checker, exports, forms, selectors, services
from documents.outgoing.rules import OUTGOING, may_be_reviewer, may_draft
from documents.rendering import layout
from documents.vocabulary import NO_PERSON
from office.confidentiality import audit
from office.confidentiality.api_base import VisibleObjectMixin
from office.confidentiality.forms import add_service_error
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.confidentiality.services import CeilingExceeded
from office.confidentiality.visibility import get_visible_or_404, person_of
from office.inputs import file_name
from office.org.models import Person, Role, Unit, UnitKind, User
from office.pages import (
    no_store,
    page_of,
    person_or_403,
    query_without_page,
    register_download,
    service_error_text,
    watermark,
)
from office.reminders import services as reminders
from office.workflow import TransitionNotAllowed
from office.workflow.confirm import confirmation_page

PAGE_SIZE = 50
# Attachments the browser shows in place (by the type stored from their bytes); others download.
IMAGE_TYPES = ("image/jpeg", "image/png")
PREVIEW_TYPES = ("application/pdf", *IMAGE_TYPES)
S = DocumentState

DOWNLOAD_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}

# Body lines that open a heading, by level (GB/T 9704: 一、 （一） 1. （1）).
HEADINGS = [
    (1, re.compile(r"^[一二三四五六七八九十百]+、")),
    (2, re.compile(r"^（[一二三四五六七八九十百]+）")),
    (3, re.compile(r"^\d+[.．]")),
    (4, re.compile(r"^（\d+）")),
]

INBOX_GROUPS = [
    ("drafts", gettext_lazy("我的草稿")),
    ("review", gettext_lazy("待核稿")),
    ("countersign", gettext_lazy("待会签")),
    ("signoff", gettext_lazy("待签发")),
    ("recheck", gettext_lazy("待复核、登记、核发")),
]


# --- Helpers ---------------------------------------------------------------------------------------


def _document_queryset() -> QuerySet[OutgoingDocument]:
    return OutgoingDocument.objects.select_related(
        "series__organ__head", "number", "drafter", "drafting_unit", "designated_signer", "signed_by", "reviewer"
    )


def _visible_document(request, pk) -> OutgoingDocument:
    return get_visible_or_404(_document_queryset(), request.user, pk)


# --- What this person may do, in this state ------------------------------------------------------------


def _page_actions(user: User, document: OutgoingDocument) -> dict[str, object]:
    """``OUTGOING.offered`` shaped for the page: the steps with a form here (``countersign``
    carries the units to decide for) and ``edit`` (the 修改 link). The substantive-change return
    to the signer and 文号作废 are taken by saving an edit and through the API, not by a button."""
    offered = OUTGOING.offered(user, document)
    return {name: value for name, value in offered.items() if name in ACTIONS or name == "edit"}


# --- The actions: a form and a service call each -------------------------------------------------------


@dataclass(frozen=True)
class Action:
    make_form: Callable[..., forms.forms.Form]  # (data, document, **form kwargs)
    perform: Callable[[User, OutgoingDocument, forms.forms.Form], str]  # the success message


def _submit(actor, document, form):
    reviewer = form.cleaned_data.get("reviewer")
    services.outgoing_submit(actor=actor, document=document, comment=form.cleaned_data["comment"], reviewer=reviewer)
    if reviewer is not None:
        return _("已送%(name)s核稿。") % {"name": reviewer.name}
    return _("已送核稿。")


def _withdraw(actor, document, form):
    services.outgoing_withdraw(actor=actor, document=document, reason=form.cleaned_data["comment"])
    return _("已撤回，公文回到拟稿。")


def _review(actor, document, form):
    document = services.outgoing_review(
        actor=actor, document=document, approve=form.approve, comment=form.cleaned_data["comment"]
    )
    if not form.approve:
        return _("已退回拟稿人修改。")
    return _("核稿通过，已送%(step)s。") % {"step": document.get_state_display()}


def _countersign(actor, document, form):
    data = form.cleaned_data
    services.outgoing_countersign(
        actor=actor, document=document, unit=data["unit"], agree=form.approve, opinion=data["comment"]
    )
    if not form.approve:
        return _("%(unit)s已退回拟稿人。") % {"unit": data["unit"].name}
    return _("%(unit)s已会签同意。") % {"unit": data["unit"].name}


def _sign(actor, document, form):
    document = services.outgoing_sign(
        actor=actor, document=document, approve=form.approve, opinion=form.cleaned_data["comment"]
    )
    if not form.approve:
        return _("已退回拟稿人。")
    return _("已签发，成文日期%(date)s。") % {"date": exports.chinese_date(document.written_date)}


def _register(actor, document, form):
    document = services.outgoing_register(actor=actor, document=document, copies=form.cleaned_data["copies"])
    return _("已登记，发文字号：%(number)s。") % {"number": document.number_text}


def _issue(actor, document, form):
    services.outgoing_issue(actor=actor, document=document)
    return _("已核发。")


def _archive(actor, document, form):
    retention = form.cleaned_data["retention"]
    services.outgoing_archive(actor=actor, document=document, retention=retention)
    return _("已归档，保管期限%(retention)s。") % {"retention": retention}


def _end(actor, document, form):
    abolish = form.cleaned_data["how"] == forms.EndForm.ABOLISH
    services.outgoing_end(actor=actor, document=document, abolish=abolish, reason=form.cleaned_data["reason"])
    return _("公文已废止。") if abolish else _("公文已撤销。")


def _void(actor, document, form):
    services.outgoing_void_draft(actor=actor, document=document, reason=form.cleaned_data["reason"])
    return _("草稿已作废。")


def _countersign_form(data, document, *, unit=None, **kwargs):
    units = Unit.objects.filter(pk__in=document.countersigns.filter(state=CountersignState.PENDING).values("unit"))
    if unit is not None:
        kwargs.update(initial={"unit": unit.pk}, auto_id=f"id_countersign{unit.pk}_%s")
    return forms.CountersignForm(data, prefix="countersign", units=units, **kwargs)


def _submit_form(data, document, **kwargs):
    return forms.SubmitForm(data, prefix="submit", reviewers=_reviewer_choices(document), **kwargs)


def _reviewer_choices(document: OutgoingDocument) -> QuerySet[Person]:
    """The people the drafter may name as 核稿人 (the rule is ``rules.may_be_reviewer``)."""
    office_staff = (
        Person.objects.active()
        .filter(unit__organ=document.series.office.organ_id)  # the issuing office is within one organ
        .filter(user__groups__name__in=[Role.SECRETARY.value, Role.OFFICE_CHIEF.value])
        .select_related("unit", "user")
        .distinct()
    )
    ids = [person.pk for person in office_staff if may_be_reviewer(person, document)]
    return Person.objects.filter(pk__in=ids).select_related("unit").order_by("unit__sort_order", "name")


def _register_form(data, document, **kwargs):
    return forms.RegisterForm(data, prefix="register", initial={"copies": document.copies}, **kwargs)


def _simple(form_class, prefix):
    return lambda data, document, **kwargs: form_class(data, prefix=prefix, **kwargs)


ACTIONS: dict[str, Action] = {
    "submit": Action(_submit_form, _submit),
    "withdraw": Action(_simple(forms.CommentForm, "withdraw"), _withdraw),
    "review": Action(_simple(forms.DecisionForm, "review"), _review),
    "countersign": Action(_countersign_form, _countersign),
    "sign": Action(_simple(forms.DecisionForm, "sign"), _sign),
    "register": Action(_register_form, _register),
    "issue": Action(_simple(forms.IssueForm, "issue"), _issue),
    "archive": Action(_simple(forms.ArchiveForm, "archive"), _archive),
    "end": Action(_simple(forms.EndForm, "end"), _end),
    "void": Action(_simple(forms.ReasonForm, "void"), _void),
}


# --- The register and 我的待办 --------------------------------------------------------------------------


def _organ_series(person: Person) -> QuerySet[DocumentSeries]:
    return DocumentSeries.objects.filter(organ__organ=person.unit.organ_id).order_by("code")


@login_required
@require_GET
def outgoing_list(request):
    """The documents the person may see (``selectors.outgoing_list_visible``), 50 a page."""
    form, documents = _filtered_documents(request)
    page = page_of(request, selectors.outgoing_list_rows(documents), PAGE_SIZE)
    return render(
        request,
        "documents/outgoing_list.html",
        {
            "section": "list",
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "export_url": reverse("documents:outgoing_register_export"),
        },
    )


def _filtered_documents(request) -> tuple[forms.OutgoingFilterForm, QuerySet[OutgoingDocument]]:
    person = person_of(request.user)
    series = _organ_series(person) if person else DocumentSeries.objects.none()
    form = forms.OutgoingFilterForm(request.GET or None, series=series)
    filters, text = form.selector_arguments() if form.is_valid() else ({}, "")
    return form, selectors.outgoing_list_visible(user=request.user, filters=filters, text=text)


@login_required
@require_GET
def outgoing_register_export(request):
    """The 发文登记簿 of the filtered list as .xlsx (register fields only, never a body); the
    export is written to the access log with the classified documents it contains."""
    form, documents = _filtered_documents(request)
    return register_download(request, documents, exports.REGISTER, form=form, back=reverse("documents:outgoing_list"))


@login_required
@require_GET
def outgoing_inbox(request):
    """我的待办: drafts, and what waits for this person's 核稿, 会签, 签发 or 复核."""
    inbox = selectors.outgoing_inbox(user=request.user)
    groups = [
        {"key": key, "label": label, "documents": list(inbox[key].select_related("drafting_unit")[:PAGE_SIZE])}
        for key, label in INBOX_GROUPS
        if key in inbox
    ]
    return render(
        request,
        "documents/outgoing_inbox.html",
        {"section": "inbox", "groups": groups, "total": sum(len(group["documents"]) for group in groups)},
    )


# --- Drafting --------------------------------------------------------------------------------------------


def _form_kwargs(person: Person, document: OutgoingDocument | None = None) -> dict:
    organ_id = person.unit.organ_id
    series = DocumentSeries.objects.filter(active=True, organ__organ=organ_id)
    if document is not None:
        series = DocumentSeries.objects.filter(pk__in=series.values("pk")) | DocumentSeries.objects.filter(
            pk=document.series_id
        )
    return {
        "person": person,
        "series": series.order_by("code"),
        "recipients": Unit.objects.active().filter(kind__in=[UnitKind.ORGAN, UnitKind.DEPARTMENT]),
        "organ_units": Unit.objects.active().filter(organ=organ_id).exclude(pk=organ_id),
        "signers": Person.objects.active()
        .filter(unit__organ=organ_id, user__groups__name=Role.LEADER.value)
        .select_related("unit")
        .order_by("unit__sort_order", "name"),
    }


def _put_service_error(form, error: ValidationError) -> None:
    if isinstance(error, CeilingExceeded) and "body" in form.fields:
        form.add_error("body", error)  # the content is what the ceiling refuses
    else:
        add_service_error(form, error)


def _render_form(request, form, document=None, status=200):
    attachments = {} if document is None else attachments_context(document, may_attach=True, on_edit_page=True)
    return render(
        request,
        "documents/outgoing_form.html",
        {
            "section": "new" if document is None else "list",
            "form": form,
            "document": document,
            "ceiling": Level(settings.SHUNIU_CLASSIFICATION_CEILING),
            **attachments,
        },
        status=status,
    )


@login_required
def outgoing_create(request):
    """拟稿: the draft is made in the person's unit; on a refusal (a rule, the ceiling) the form
    comes back with the message and nothing is stored."""
    person = person_or_403(request.user, NO_PERSON)
    if not may_draft(request.user):
        raise PermissionDenied(_("本机关没有启用的发文代字，不能在本系统拟稿。"))
    kwargs = _form_kwargs(person)
    if request.method != "POST":
        return _render_form(request, forms.OutgoingForm(**kwargs))
    form = forms.OutgoingForm(request.POST, **kwargs)
    if form.is_valid():
        try:
            document = services.outgoing_create(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            _put_service_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, service_error_text(error))
        else:
            messages.success(request, _("草稿已保存：%(title)s") % {"title": document.title})
            return redirect("documents:outgoing_detail", pk=document.pk)
    return _render_form(request, form)


@login_required
def outgoing_edit(request, pk):
    """修改: the drafter's draft, or the office's edit in 核稿 and 复核 (every version is kept)."""
    document = _visible_document(request, pk)
    person = person_or_403(request.user, NO_PERSON)
    if "edit" not in _page_actions(request.user, document):
        messages.error(request, _("公文处于“%(state)s”，您不能修改。") % {"state": document.get_state_display()})
        return redirect("documents:outgoing_detail", pk=document.pk)
    kwargs = _form_kwargs(person, document)
    if request.method != "POST":
        audit.record_read(request.user, document, request=request)
        return no_store(_render_form(request, forms.OutgoingForm(instance=document, **kwargs), document), document)
    form = forms.OutgoingForm(request.POST, instance=document, **kwargs)
    if form.is_valid():
        try:
            services.outgoing_update(actor=request.user, document=document, **form.service_arguments())
        except ValidationError as error:
            _put_service_error(form, error)
        except (PermissionDenied, TransitionNotAllowed) as error:
            form.add_error(None, service_error_text(error))
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("documents:outgoing_detail", pk=document.pk)
    return no_store(_render_form(request, form, document), document)


def attachments_context(document: OutgoingDocument, *, may_attach: bool, form=None, on_edit_page=False) -> dict:
    """The 附件 panel: the document's attachments (PDF and images previewed in place, none served
    for 绝密) and, where the person may edit, the upload form (``attachment_views``)."""
    rows = list(document.attachments.all())
    for row in rows:
        row.previewable = row.content_type in PREVIEW_TYPES
        row.is_image = row.content_type in IMAGE_TYPES
    return {
        "attachment_rows": rows,
        "may_attach": may_attach and document.level <= Level(settings.SHUNIU_CLASSIFICATION_CEILING),
        "attachment_form": form or forms.AttachmentForm(prefix="attachment"),
        "attachments_served": document.level != Level.TOP_SECRET,
        "on_edit_page": on_edit_page,
    }


# --- A document's page ---------------------------------------------------------------------------------


def _body_blocks(body: str) -> list[dict]:
    """The body as paragraphs, each with its heading level (0 for running text)."""
    blocks = []
    for line in body.splitlines():
        text = line.strip()
        if not text:
            continue
        level = next((level for level, pattern in HEADINGS if pattern.match(text)), 0)
        blocks.append({"level": level, "text": text})
    return blocks


def _action_forms(actions: dict, document: OutgoingDocument, bound: dict) -> dict:
    """One form per available action (the countersign form once per unit), a bound one in place."""
    result = {}
    for name in actions:
        if name == "edit":
            continue
        if name == "countersign":
            failed = bound.get("countersign")
            failed_unit = failed.data.get("countersign-unit") if failed is not None else None
            result["countersign"] = [
                {
                    "unit": unit,
                    "form": failed
                    if failed_unit == str(unit.pk)
                    else ACTIONS["countersign"].make_form(None, document, unit=unit),
                }
                for unit in actions["countersign"]
            ]
            continue
        result[name] = bound.get(name) or ACTIONS[name].make_form(None, document)
    return result


def _detail_context(request, document: OutgoingDocument, bound: dict | None = None) -> dict:
    user = request.user
    transitions = list(document.transitions.all())
    countersigns = list(document.countersigns.select_related("unit", "decided_by"))
    open_deadlines = [deadline for deadline in reminders.deadlines_of(document) if deadline.state == "open"]
    prefetch_related_objects(open_deadlines, "responsible_person", "responsible_unit")
    actions = _page_actions(user, document)
    ceiling = Level(settings.SHUNIU_CLASSIFICATION_CEILING)
    top_secret = document.level == Level.TOP_SECRET
    return {
        "section": "list",
        "document": document,
        "object": document,
        "mark": document.level_mark or str(document.level.label),
        "is_top_secret": top_secret,
        "watermark": watermark(user, document),
        "content_allowed": document.level <= ceiling,
        "ceiling": ceiling,
        # The wording of the PDF and the DOCX (documents/rendering/layout.py), punctuation included.
        "main_to_text": layout.main_to_text(document),
        "cc_text": layout.cc_text(document),
        "body_blocks": _body_blocks(document.body),
        "attachments": layout.attachment_lines(layout.attachment_names(document.attachment_note)),
        "written_date_text": exports.chinese_date(document.written_date),
        "printed_on_text": exports.chinese_date(document.printed_on),
        "is_upward": document.direction == Direction.UPWARD,
        "findings": checker.check(document),
        "transitions": transitions,
        "open_deadlines": open_deadlines,
        "countersigns": countersigns,
        "actions": actions,
        "action_forms": _action_forms(actions, document, bound or {}),
        "can_edit": "edit" in actions,
        "downloads": [] if top_secret else list(DOWNLOAD_TYPES),
        **attachments_context(document, may_attach="edit" in actions, form=(bound or {}).get("attachment")),
    }


class OutgoingDetailView(VisibleObjectMixin, DetailView):
    """A document from the person's visible set (404 otherwise, and a ``denied`` event); the read
    is logged above 内部. 绝密 content is on screen only, watermarked, never downloadable."""

    model = OutgoingDocument
    template_name = "documents/outgoing_detail.html"

    def get_object(self, queryset=None):
        return super().get_object(_document_queryset())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_detail_context(self.request, self.object)}

    def render_to_response(self, context, **response_kwargs):
        return no_store(super().render_to_response(context, **response_kwargs), self.object)


outgoing_detail = OutgoingDetailView.as_view()


def _render_detail_again(request, document: OutgoingDocument, bound: dict, status: int = 200) -> HttpResponse:
    """The document's page with a failed form in place (showing the content again is a read)."""
    audit.record_read(request.user, document, request=request)
    response = render(
        request, "documents/outgoing_detail.html", _detail_context(request, document, bound), status=status
    )
    return no_store(response, document)


@login_required
@require_POST
def outgoing_action(request, pk, action):
    """POST an action from a document's page: validate, call the service, back to the page with a
    message. A refusal shows the page again with the service's message and changes nothing."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    document = _visible_document(request, pk)
    person_or_403(request.user, NO_PERSON)
    form = spec.make_form(request.POST, document)
    status = 200
    if form.is_valid():
        back = reverse("documents:outgoing_detail", args=[document.pk])
        applies = getattr(form, "approve", True)  # a 退回 is no irreversible act
        if asked := confirmation_page(request, OUTGOING, document, action, back=back, applies=applies):
            return asked
        try:
            done = spec.perform(request.user, document, form)
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
            status = 409
        except PermissionDenied as error:
            messages.error(request, service_error_text(error))
            status = 403
        except ValidationError as error:
            add_service_error(form, error)
            status = 400
        else:
            messages.success(request, done)
            return redirect("documents:outgoing_detail", pk=document.pk)
    else:
        status = 400
    return _render_detail_again(request, _visible_document(request, pk), {action: form}, status=status)


@login_required
@require_GET
def outgoing_check(request, pk):
    """Run the 核稿 checker again: the findings panel (htmx), or back to the page."""
    document = _visible_document(request, pk)
    if not request.htmx:
        return redirect(reverse("documents:outgoing_detail", args=[document.pk]) + "#findings")
    return render(
        request,
        "documents/partials/findings.html",
        {"document": document, "findings": checker.check(document), "checked_at": timezone.localtime()},
    )


@login_required
@require_GET
def outgoing_render(request, pk):
    """The document laid out per GB/T 9704 as DOCX or PDF (``?format=``). 绝密 is never exported;
    the renderer may refuse more (``ExportRefused``), shown as a message on the page."""
    document = _visible_document(request, pk)
    fmt = request.GET.get("format", "docx")
    if fmt not in DOWNLOAD_TYPES:
        raise Http404
    if document.level == Level.TOP_SECRET:
        messages.error(request, _("绝密公文不能导出，只能在屏幕上阅读。"))
        return redirect("documents:outgoing_detail", pk=document.pk)
    try:
        rendering = importlib.import_module("documents.rendering")
    except ModuleNotFoundError as error:
        if error.name != "documents.rendering":
            raise
        messages.error(request, _("公文版式导出暂不可用。"))
        return redirect("documents:outgoing_detail", pk=document.pk)
    render_file = rendering.render_docx if fmt == "docx" else rendering.render_pdf
    try:
        content = render_file(document, reader=request.user)
    except rendering.ExportRefused as error:
        messages.error(request, str(error) or _("该公文不能导出。"))
        return redirect("documents:outgoing_detail", pk=document.pk)
    audit.record_read(request.user, document, request=request, action=AuditAction.DOWNLOAD)
    name = file_name(document.number_text or document.title, fmt)
    response = HttpResponse(content, content_type=DOWNLOAD_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return no_store(response, document)
