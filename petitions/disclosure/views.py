"""The 政府信息公开 pages: the 依申请公开台账 (filters, phone cards, the Excel ledger), 登记, a
request's page (every clock with its derivation, the consultations and 保密审查, the 流转记录, one
form per step ``rules.REQUEST`` offers, the 告知书, the search for what is already public), the
年度报告 (tables, Excel, 生成年报稿), the 主动公开 work list (待审查/待发布/已公开) and the 公开目录.

Thin edges: forms check shape, ``services`` and ``publication`` take the steps (and check who
may), ``selectors`` read, every read from ``visible_to()`` — a request not visible is a 404. What a
page offers is ``REQUEST.offered`` / ``PUBLICATION.offered``; the view decides nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from office.api.helpers import XLSX
from office.confidentiality import audit
from office.confidentiality.forms import add_service_error
from office.confidentiality.models import AuditAction
from office.confidentiality.visibility import get_visible_or_404, person_of
from office.org.models import Person, Role, Unit, User
from office.pages import (
    page_of,
    person_or_403,
    query_without_page,
    register_download,
    service_error_text,
    take_step,
    watermark,
)
from office.reminders import services as reminders
from office.workdays.services import format_date
from office.workflow import TransitionNotAllowed
from office.workflow.confirm import confirmation_page
from petitions.disclosure import exports, forms, publication, report, selectors, services
from petitions.disclosure.models import DisclosureRequest, Publication, PublicationState
from petitions.disclosure.rules import OPEN, PUBLICATION, REQUEST, SIGNED_STATES, open_consultations

PAGE_SIZE = 50
SOON_DAYS = 3
NOT_OFFICER = gettext_lazy("政府信息公开申请由政务公开员登记。")
NO_PERSON = gettext_lazy("该账号没有对应的人员信息，不能办理政府信息公开事项。")
NOT_PUBLISHER = gettext_lazy("主动公开的审查和发布由本机关保密员、政务公开员办理。")


# --- Shared --------------------------------------------------------------------------------------------


def _organ_of(person: Person | None) -> Unit | None:
    if person is None:
        return None
    return person.unit.organ or person.unit


def _may_report(user: User) -> bool:
    organ = _organ_of(person_of(user))
    return organ is not None and report.may_read_annual_report(user, organ)


def _may_publish(user: User) -> bool:
    return person_of(user) is not None and (
        user.has_role(Role.SECURITY_OFFICER) or user.has_role(Role.DISCLOSURE_OFFICER)
    )


def _nav(request, section: str) -> dict:
    user = request.user
    return {
        "section": section,
        "can_register": services.may_register(user),
        "can_report": _may_report(user),
        "can_publish": _may_publish(user),
    }


def _private(response: HttpResponse) -> HttpResponse:
    """A request names its applicant: never kept in a cache."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return _private(response)


def light(request: DisclosureRequest, today=None) -> str:
    """red (past its 答复期限), yellow (due within 3 days), green, or none (nothing running)."""
    today = today or timezone.localdate()
    if request.state not in OPEN or request.due is None:
        return "none"
    if request.due < today:
        return "red"
    return "yellow" if (request.due - today).days <= SOON_DAYS else "green"


# --- 依申请公开台账 -------------------------------------------------------------------------------------


def _filtered(request) -> tuple[forms.RequestFilterForm, QuerySet[DisclosureRequest]]:
    form = forms.RequestFilterForm(request.GET or None)
    filters, text = form.selector_arguments() if form.is_valid() else ({}, "")
    found = selectors.requests_visible(user=request.user, filters=filters, text=text)
    return form, found.select_related("organ", "intake_unit", "handler")


@login_required
@require_GET
def ledger(request):
    """依申请公开台账: the requests the person may see, 50 a page, each with its 答复期限 and light."""
    form, found = _filtered(request)
    page = page_of(request, found, PAGE_SIZE)
    today = timezone.localdate()
    for row in page.object_list:
        row.light = light(row, today)
    context = {"form": form, "page": page, "query": query_without_page(request), **_nav(request, "ledger")}
    return _private(render(request, "petitions/disclosure/ledger.html", context))


@login_required
@require_GET
def ledger_export(request):
    """The filtered 台账 as .xlsx (bounded, an EXPORT row in the access log)."""
    form, found = _filtered(request)
    register = exports.requests_register()
    return register_download(request, found, register, form=form, back=reverse("petitions:disclosure_ledger"))


# --- 登记 -----------------------------------------------------------------------------------------------


def _units_of(person: Person) -> QuerySet[Unit]:
    organ = _organ_of(person)
    return Unit.objects.active().filter(pk__in=organ.subtree_ids()).order_by("sort_order", "pk")


def _requestable(user: User) -> QuerySet:
    from documents.models import OutgoingDocument

    return (
        OutgoingDocument.objects.visible_to(user)
        .filter(state__in=("issued", "archived"))
        .select_related("number")
        .order_by("-updated_at")
    )


@login_required
def register(request):
    """登记 (政务公开员 only): the request, then its page. On a refusal nothing is stored."""
    if not services.may_register(request.user):
        raise PermissionDenied(str(NOT_OFFICER))
    person = person_of(request.user)
    units = _units_of(person)
    people = Person.objects.active().filter(unit__in=units).select_related("unit").order_by("unit__sort_order", "name")
    kwargs = {"documents": _requestable(request.user), "units": units, "people": people}
    status = 200
    if request.method != "POST":
        form = forms.RegisterForm(initial={"handler": person.pk}, **kwargs)
    else:
        form = forms.RegisterForm(request.POST, **kwargs)
        status = 400
        if form.is_valid():
            try:
                found = services.request_register(actor=request.user, **form.service_arguments())
            except ValidationError as error:
                add_service_error(form, error)
            except PermissionDenied as error:
                form.add_error(None, service_error_text(error))
            else:
                messages.success(request, _("已登记：%(number)s") % {"number": found.number})
                return redirect(found.get_absolute_url())
    context = {"form": form, **_nav(request, "register")}
    return _private(render(request, "petitions/disclosure/register.html", context, status=status))


# --- The request's page ----------------------------------------------------------------------------------


def _visible_request(request, pk) -> DisclosureRequest:
    queryset = DisclosureRequest.objects.select_related(
        "organ", "intake_unit__head", "handler", "holding_unit", "secrecy_reviewer", "registrar", "document"
    )
    return get_visible_or_404(queryset, request.user, pk)


def _deadlines(record) -> list:
    """Every clock of the record, oldest first, with its extensions and suspensions."""
    found = reminders.deadlines_of(record)
    if not found:
        return []
    from office.reminders.models import Deadline

    return list(
        Deadline.objects.filter(pk__in=[d.pk for d in found])
        .select_related("kind", "responsible_unit", "responsible_person")
        .prefetch_related("extensions__approved_by", "suspensions")
        .order_by("opened_at", "id")
    )


def _letter_series(user: User) -> QuerySet:
    from documents.models import DocumentSeries

    organ = _organ_of(person_of(user))
    if organ is None:
        return DocumentSeries.objects.none()
    return DocumentSeries.objects.filter(organ__organ=organ.organ_id or organ.pk, active=True, template="letter")


def _reviewers(record: DisclosureRequest) -> QuerySet[Person]:
    """The 保密员 of the request's organ (the service checks their clearance)."""
    organ = record.organ
    return (
        Person.objects.active()
        .filter(unit__in=organ.subtree_ids(), user__groups__name=Role.SECURITY_OFFICER)
        .select_related("unit")
        .distinct()
        .order_by("unit__sort_order", "name")
    )


@dataclass(frozen=True)
class Action:
    make_form: Callable[..., object]  # (data, user, record, **form kwargs)
    perform: Callable[[User, DisclosureRequest, object], str]  # the message


def _plain(form_class):
    return lambda data, user, record, **kwargs: form_class(data, **kwargs)


def _due_text(record: DisclosureRequest) -> str:
    return format_date(record.due) if record.due else "—"


def _confirm(user, record, form):
    record = services.request_confirm(actor=user, request=record, on=form.cleaned_data["on"])
    return _("已确认收到，答复期限至%(due)s。") % {"due": _due_text(record)}


def _correct(user, record, form):
    data = form.cleaned_data
    services.request_correct(actor=user, request=record, items=data["items"], until=data["until"], on=data["on"])
    return _("已告知补正，答复期限中止，收到补正后重新计算。")


def _receive_correction(user, record, form):
    record = services.request_receive_correction(actor=user, request=record, on=form.cleaned_data["on"])
    return _("已收到补正，答复期限重新计算至%(due)s。") % {"due": _due_text(record)}


def _abandon(user, record, form):
    services.request_abandon(actor=user, request=record)
    return _("申请人逾期未补正，视为放弃申请。")


def _consult(user, record, form):
    data = form.cleaned_data
    services.request_consult(
        actor=user, request=record, party=data["party"], name=data["name"], sent_on=data["sent_on"]
    )
    return _("已征求意见，征求意见期间不计入答复期限。")


def _opinion_form(data, user, record, **kwargs):
    consultations = record.consultations.filter(answered_on__isnull=True)
    return forms.OpinionForm(data, consultations=consultations, **kwargs)


def _opinion(user, record, form):
    data = form.cleaned_data
    services.request_opinion(
        actor=user,
        request=record,
        consultation=data["consultation"],
        on=data["on"],
        opinion=data["opinion"],
        agrees=data["agrees"],
    )
    return _("意见已登记。")


def _extend(user, record, form):
    data = form.cleaned_data
    record = services.request_extend(
        actor=user, request=record, days=data["days"], reason=data["reason"], notice=data["notice"]
    )
    return _("已批准延期，答复期限延至%(due)s。") % {"due": _due_text(record)}


def _ask_review_form(data, user, record, **kwargs):
    return forms.AskReviewForm(data, reviewers=_reviewers(record), **kwargs)


def _ask_review(user, record, form):
    record = services.request_ask_review(actor=user, request=record, reviewer=form.cleaned_data["reviewer"])
    return _("已送%(name)s保密审查。") % {"name": record.secrecy_reviewer.name}


def _secrecy_review(user, record, form):
    data = form.cleaned_data
    services.request_secrecy_review(actor=user, request=record, conclusion=data["conclusion"], note=data["note"])
    return _("保密审查意见已登记。")


def _fee(user, record, form):
    data = form.cleaned_data
    services.request_fee(
        actor=user,
        request=record,
        mode=data["mode"],
        amount=data["amount"],
        notice_on=data["notice_on"],
        paid_on=data["paid_on"],
    )
    return _("信息处理费已登记。")


def _abnormal(user, record, form):
    services.request_abnormal(actor=user, request=record, note=form.cleaned_data["note"])
    return _("已登记为数量、频次明显超过合理范围。")


def _answer_form(data, user, record, **kwargs):
    return forms.AnswerForm(data, series=_letter_series(user), **kwargs)


def _answer(user, record, form):
    data = form.cleaned_data
    services.request_answer(
        actor=user,
        request=record,
        answer_type=data["answer_type"],
        text=data["text"],
        series=data["series"],
        reason=data["reason"],
        public_where=data["public_where"],
        competent_organ=data["competent_organ"],
    )
    return _("告知书已起草：请在公文中送核稿、签发、登记后送达。")


def _deliver(user, record, form):
    data = form.cleaned_data
    services.request_deliver(actor=user, request=record, on=data["on"], method=data["method"])
    return _("告知书已送达，申请已答复。")


def _close(user, record, form):
    services.request_close(actor=user, request=record)
    return _("申请已办结。")


def _outcome(user, record, form):
    data = form.cleaned_data
    services.request_outcome(
        actor=user,
        request=record,
        review=data["review"],
        litigation=data["litigation"],
        after_review=data["after_review"],
    )
    return _("复议诉讼结果已登记。")


ACTIONS: dict[str, Action] = {
    "confirm": Action(_plain(forms.ConfirmForm), _confirm),
    "correct": Action(_plain(forms.CorrectForm), _correct),
    "receive_correction": Action(_plain(forms.ReceiveCorrectionForm), _receive_correction),
    "abandon": Action(_plain(forms.EmptyForm), _abandon),
    "consult": Action(_plain(forms.ConsultForm), _consult),
    "opinion": Action(_opinion_form, _opinion),
    "extend": Action(_plain(forms.ExtendForm), _extend),
    "ask_review": Action(_ask_review_form, _ask_review),
    "secrecy_review": Action(_plain(forms.SecrecyReviewForm), _secrecy_review),
    "fee": Action(_plain(forms.FeeForm), _fee),
    "abnormal": Action(_plain(forms.AbnormalForm), _abnormal),
    "answer": Action(_answer_form, _answer),
    "deliver": Action(_plain(forms.DeliverForm), _deliver),
    "close": Action(_plain(forms.EmptyForm), _close),
    "outcome": Action(_plain(forms.OutcomeForm), _outcome),
}

HINTS = {
    "confirm": gettext_lazy("网络、传真提交的，以双方确认之日为收到申请之日。"),
    "correct": gettext_lazy("收到申请之日起7个工作日内一次性告知补正；答复期限自收到补正之日起重新计算。"),
    "consult": gettext_lazy("征求第三方意见的，第三方应在15个工作日内提出意见；征求意见时间不计入答复期限。"),
    "extend": gettext_lazy("经政府信息公开工作机构负责人同意，可延长不超过20个工作日，并告知申请人。"),
    "ask_review": gettext_lazy("申请涉及涉密或不予公开的公文的，答复前须经保密审查。"),
    "fee": gettext_lazy("申请人应在收到收费通知之日起20个工作日内缴纳，逾期未缴纳的视为放弃。"),
    "answer": gettext_lazy("告知书以信函起草，经核稿、签发、登记后方可送达。"),
}


def _form(name: str, data, user: User, record: DisclosureRequest):
    return ACTIONS[name].make_form(data, user, record, auto_id=f"id_{name}_%s")


def _document_link(user: User, document) -> str | None:
    from documents.models import OutgoingDocument

    if document is None or not OutgoingDocument.objects.visible_to(user).filter(pk=document.pk).exists():
        return None
    return reverse("documents:outgoing_detail", args=[document.pk])


def _already_public(request, offered) -> tuple[forms.AlreadyPublicForm | None, list]:
    """The 已主动公开 search, beside the answer form: 发文 the reader sees, public, matching."""
    if "answer" not in offered:
        return None, []
    form = forms.AlreadyPublicForm(request.GET if "public" in request.GET else None, auto_id="id_public_%s")
    if not form.is_bound or not form.is_valid():
        return form, []
    found = services.already_public(user=request.user, text=form.cleaned_data["public"])
    return form, list(found.select_related("number")[:20])


def _context(request, record: DisclosureRequest, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    offered = REQUEST.offered(user, record)
    panel = []
    for name in offered:
        if name not in ACTIONS:
            continue
        form = bound["form"] if bound.get("action") == name else _form(name, None, user, record)
        step = REQUEST.step(name)
        panel.append(
            {
                "name": name,
                "label": _(step.label),
                "form": form,
                "hint": HINTS.get(name, ""),
                "irreversible": bool(step.confirm),
            }
        )
    public_form, public_found = _already_public(request, offered)
    return {
        **_nav(request, "ledger"),
        "record": record,
        "object": record,
        "light": light(record),
        "watermark": watermark(user, record),
        "deadlines": _deadlines(record),
        "consultations": list(record.consultations.select_related("written_by")),
        "open_consultations": open_consultations(record),
        "reviews": list(record.secrecy_reviews.select_related("reviewer")),
        "requested": list(record.requested_documents.select_related("number")),
        "events": list(record.events.all()),
        "letter_link": _document_link(user, record.document),
        "letter_signed": record.document is not None and record.document.state in SIGNED_STATES,
        "offered": offered,
        "panel": panel,
        "public_form": public_form,
        "public_found": public_found,
        "bound_action": bound.get("action"),
    }


def _page(request, record: DisclosureRequest, bound: dict | None = None, status: int = 200) -> HttpResponse:
    audit.record(request.user, AuditAction.VIEW, obj=record, request=request)
    record.__dict__.pop("_deadlines", None)
    response = render(request, "petitions/disclosure/request.html", _context(request, record, bound), status=status)
    return _private(response)


@login_required
@require_GET
def request_detail(request, pk):
    """A request from the person's visible set (404 otherwise)."""
    return _page(request, _visible_request(request, pk))


@login_required
@require_POST
def request_action(request, pk, action):
    """POST one step: its form, the confirmation of an irreversible step, the service; back to the
    page with a message, or the page again with the form's errors (400), the refusal (409 not now,
    403 not you) and nothing changed."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    record = _visible_request(request, pk)
    person_or_403(request.user, NO_PERSON)
    form = _form(action, request.POST, request.user, record)
    back = reverse("petitions:disclosure", args=[record.pk])
    if form.is_valid() and (asked := confirmation_page(request, REQUEST, record, action, back=back)):
        return _private(asked)
    status = take_step(request, form, lambda: spec.perform(request.user, record, form))
    if status is None:
        return redirect(back)
    return _page(request, _visible_request(request, record.pk), {"action": action, "form": form}, status)


# --- 年度报告 --------------------------------------------------------------------------------------------


def _report_of(request) -> tuple[forms.YearForm, Unit, int]:
    """The reader's organ and the year asked for; a reader who may not read it gets a 404."""
    organ = _organ_of(person_of(request.user))
    if organ is None or not report.may_read_annual_report(request.user, organ):
        raise Http404
    year = forms.YearForm.default_year()
    data = request.POST if request.method == "POST" else request.GET
    form = forms.YearForm(data if "year" in data else None, initial={"year": year})
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
    return form, organ, year


@login_required
@require_GET
def annual_report(request):
    """政府信息公开工作年度报告: its tables for the reader's organ and year, counted from what he sees."""
    form, organ, year = _report_of(request)
    found = report.annual_report(organ=organ, year=year, user=request.user)
    context = {
        **_nav(request, "report"),
        "form": form,
        "organ": organ,
        "year": year,
        "report": found,
        "tables": report_tables(found),
        "series": _report_series(request.user),
    }
    return _private(render(request, "petitions/disclosure/annual_report.html", context))


def report_tables(found) -> list[dict]:
    """The report's tables as the page draws them: ``[{title, head, rows: [{level, label, cells}]}]``."""
    data = report.annual_report_json(found)

    def rows(items, width: int) -> list[dict]:
        return [{"level": row["level"], "label": row["label"], "cells": row["counts"] or [""] * width} for row in items]

    publications, requests, outcomes = data["publications"], data["requests"], data["outcomes"]
    return [
        {
            "title": _("二、主动公开政府信息情况"),
            "head": publications["columns"],
            "rows": rows(publications["rows"], len(publications["columns"]) - 1),
        },
        {
            "title": _("三、收到和处理政府信息公开申请情况"),
            "head": ["", *requests["columns"]],
            "rows": rows(requests["rows"], len(requests["columns"])),
        },
        {
            "title": _("四、政府信息公开行政复议、行政诉讼情况"),
            "head": ["", *outcomes["columns"]],
            "rows": [{"level": 0, "label": g["label"], "cells": g["counts"]} for g in outcomes["groups"]],
        },
    ]


@login_required
@require_GET
def annual_report_export(request):
    _form, organ, year = _report_of(request)
    content = exports.annual_report_workbook(report.annual_report(organ=organ, year=year, user=request.user))
    audit.record(
        request.user, AuditAction.EXPORT, request=request, detail={"what": "disclosure_annual_report", "year": year}
    )
    return _download(content, f"政府信息公开工作年度报告-{year}.xlsx")


def _report_series(user: User) -> QuerySet:
    from documents.models import DocumentSeries

    organ = _organ_of(person_of(user))
    if organ is None:
        return DocumentSeries.objects.none()
    return DocumentSeries.objects.filter(
        organ__organ=organ.organ_id or organ.pk, active=True, template="standard"
    ).order_by("code")


@login_required
@require_POST
def annual_report_draft(request):
    """生成年报稿: a 报告 draft of the organ's report, in a series of the organ; then its page."""
    _form, organ, year = _report_of(request)
    person_or_403(request.user, NO_PERSON)
    series = _report_series(request.user).filter(pk=request.POST.get("series") or 0).first()
    if series is None:
        messages.error(request, _("请选择发文代字。"))
        return redirect(reverse("petitions:disclosure_report") + f"?year={year}")
    try:
        document = report.annual_report_draft(actor=request.user, organ=organ, year=year, series=series)
    except (ValidationError, PermissionDenied, TransitionNotAllowed) as error:
        messages.error(request, service_error_text(error))
        return redirect(reverse("petitions:disclosure_report") + f"?year={year}")
    messages.success(request, _("年报稿已起草：%(title)s") % {"title": document.title})
    return redirect("documents:outgoing_detail", pk=document.pk)


# --- 主动公开 -----------------------------------------------------------------------------------------------

PUBLICATION_TABS = [
    (PublicationState.PENDING, gettext_lazy("待保密审查")),
    (PublicationState.CLEARED, gettext_lazy("待发布")),
    (PublicationState.PUBLISHED, gettext_lazy("已公开")),
]
PUBLICATION_FORMS = {"review": forms.PublicationReviewForm, "publish": forms.PublishForm, "repeal": forms.RepealForm}


def _publication_work(user: User) -> QuerySet[Publication]:
    """The publications of the person's organ he may see (the work list's rows)."""
    person = person_of(user)
    return selectors.publications_visible(user=user).filter(organ__in=person.units())


@login_required
@require_GET
def publications(request):
    """主动公开 (保密员, 政务公开员): 待保密审查, 待发布 and 已公开 of the organ, each row with the
    forms of the steps offered to the reader."""
    if not _may_publish(request.user):
        raise PermissionDenied(str(NOT_PUBLISHER))
    work = _publication_work(request.user)
    tabs = [{"key": key, "label": label, "count": work.filter(state=key).count()} for key, label in PUBLICATION_TABS]
    current = request.GET.get("tab")
    if current not in dict(PUBLICATION_TABS):
        current = next((tab["key"] for tab in tabs if tab["count"]), PublicationState.PENDING)
    page = page_of(request, work.filter(state=current).order_by("due", "id").select_related("document__number"))
    for row in page.object_list:
        offered = PUBLICATION.offered(request.user, row)
        row.panel = [
            {
                "name": name,
                "label": _(PUBLICATION.step(name).label),
                "form": PUBLICATION_FORMS[name](auto_id=f"id_{name}_{row.pk}_%s"),
                "irreversible": bool(PUBLICATION.step(name).confirm),
            }
            for name in offered
            if name in PUBLICATION_FORMS
        ]
    context = {
        **_nav(request, "publications"),
        "tabs": tabs,
        "current": current,
        "page": page,
        "query": f"tab={current}",
    }
    return render(request, "petitions/disclosure/publications.html", context)


def _perform_publication(user: User, found: Publication, action: str, data: dict) -> str:
    if action == "review":
        publication.publication_review(actor=user, publication=found, conclusion=data["conclusion"], note=data["note"])
        found.refresh_from_db()
        return _("保密审查已登记：%(state)s。") % {"state": found.get_state_display()}
    if action == "publish":
        publication.publication_publish(actor=user, publication=found, **data)
        return _("已发布，公文已进入公开目录。")
    publication.publication_repeal(actor=user, publication=found, on=data["on"])
    return _("已废止。")


@login_required
@require_POST
def publication_action(request, pk, action):
    """POST review / publish / repeal on one publication: back to the work list with a message."""
    form_class = PUBLICATION_FORMS.get(action)
    if form_class is None:
        raise Http404
    found = selectors.publications_visible(user=request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    person_or_403(request.user, NO_PERSON)
    back = reverse("petitions:disclosure_publications") + f"?tab={found.state}"
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    if asked := confirmation_page(request, PUBLICATION, found, action, back=back):
        return asked
    try:
        messages.success(request, _perform_publication(request.user, found, action, form.cleaned_data))
    except (ValidationError, PermissionDenied, TransitionNotAllowed) as error:
        messages.error(request, service_error_text(error))
    return redirect(back)


@login_required
@require_GET
def catalogue(request):
    """公开目录: what has been published (and repealed), for every signed-in reader."""
    form = forms.CatalogueFilterForm(request.GET or None)
    filters = form.selector_filters() if form.is_valid() else {}
    rows = selectors.catalogue(filters=filters).select_related("document__number").order_by("-published_on", "-id")
    page = page_of(request, rows, PAGE_SIZE)
    context = {**_nav(request, "catalogue"), "form": form, "page": page, "query": query_without_page(request)}
    return render(request, "petitions/disclosure/catalogue.html", context)
