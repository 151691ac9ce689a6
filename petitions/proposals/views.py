"""The 建议提案 pages: the 台账 (filters, phone cards), 导入 (a file and its 届次会次; nothing stored on a
bad row), an item's page (the shares with their clocks, 会办意见 and 沟通联系, the 流转记录, one form
per step ``rules.PROPOSAL`` offers, the 答复件) and the figures (table, Excel, 办理工作总结).

Thin edges: forms check shape, ``services`` take the steps (and check who may), ``selectors`` read,
every read from ``visible_to()`` — an item not visible is a 404. What a page offers is
``PROPOSAL.offered``; the view decides nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
from office.pages import page_of, person_or_403, query_without_page, service_error_text, take_step, watermark
from office.reminders import services as reminders
from office.workdays.services import format_date
from office.workflow import TransitionNotAllowed
from office.workflow.confirm import confirmation_page
from petitions.proposals import exports, forms, imports, selectors, services
from petitions.proposals.models import AssignmentState, Proposal, ProposalSession
from petitions.proposals.rules import OPEN, PROPOSAL, SIGNED_STATES, adjusting, shares, to_rate, unsatisfied

PAGE_SIZE = 50
SOON_DAYS = 7
NOT_IMPORTER = gettext_lazy("建议提案由交办部门的督查员导入。")
NO_PERSON = gettext_lazy("该账号没有对应的人员信息，不能办理建议提案。")


# --- Shared --------------------------------------------------------------------------------------------


def _organ_of(person: Person | None) -> Unit | None:
    if person is None:
        return None
    return person.unit.organ or person.unit


def _nav(request, section: str) -> dict:
    user = request.user
    return {
        "section": section,
        "can_import": services.may_import(user),
        "can_summarise": exports.may_summarise(user),
    }


def _private(response: HttpResponse) -> HttpResponse:
    """An item names its proposers: never kept in a cache."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def light(proposal: Proposal, today=None) -> str:
    """red (past its 办理时限), yellow (due within 7 days), green, or none (nothing running)."""
    today = today or timezone.localdate()
    if proposal.state not in OPEN or proposal.due is None:
        return "none"
    if proposal.due < today:
        return "red"
    return "yellow" if (proposal.due - today).days <= SOON_DAYS else "green"


def _sessions(user: User) -> QuerySet[ProposalSession]:
    """届次会次 of the reader's organ (what the filter and 导入 offer)."""
    organ = _organ_of(person_of(user))
    if organ is None:
        return ProposalSession.objects.none()
    return ProposalSession.objects.filter(organ=organ)


def _units(user: User) -> QuerySet[Unit]:
    """The active units of the reader's organisation (承办单位 to choose from)."""
    person = person_of(user)
    if person is None:
        return Unit.objects.none()
    organ = _organ_of(person)
    return Unit.objects.active().filter(pk__in=organ.subtree_ids()).order_by("sort_order", "pk")


# --- 台账 ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def proposals(request):
    """建议提案台账: the items the person may see, 50 a page, each with its 办理时限 and light."""
    form = forms.ProposalFilterForm(request.GET or None, sessions=_sessions(request.user), units=_units(request.user))
    filters, text = form.selector_arguments() if form.is_valid() else ({}, "")
    found = selectors.proposals_visible(user=request.user, filters=filters, text=text).select_related("intake_unit")
    page = page_of(request, found, PAGE_SIZE)
    today = timezone.localdate()
    for row in page.object_list:
        row.light = light(row, today)
        row.live_shares = shares(row)
    context = {"form": form, "page": page, "query": query_without_page(request), **_nav(request, "proposals")}
    return _private(render(request, "petitions/proposals/list.html", context))


# --- 导入 ------------------------------------------------------------------------------------------------


def _import(user: User, data: dict) -> list[Proposal]:
    """The rows, into the chosen session or a new one; all-or-nothing (a new session too)."""
    rows = imports.parse_rows(data["file"])
    with transaction.atomic():
        session = data["session"] or services.session_create(
            actor=user,
            body=data["body"],
            name=data["name"],
            year=data["year"],
            recipient_office=data["recipient_office"],
        )
        return services.proposals_import(actor=user, session=session, rows=rows)


@login_required
def proposal_import(request):
    """导入 (督查员 only): a file of the 交办会's items; on any bad row nothing is stored."""
    if not services.may_import(request.user):
        raise PermissionDenied(str(NOT_IMPORTER))
    sessions = _sessions(request.user)
    status, row_errors = 200, []
    if request.method != "POST":
        form = forms.ImportForm(sessions=sessions)
    else:
        form = forms.ImportForm(request.POST, request.FILES, sessions=sessions)
        status = 400
        if form.is_valid():
            try:
                created = _import(request.user, form.cleaned_data)
            except ValidationError as error:
                if hasattr(error, "error_dict") and "rows" in error.error_dict:
                    row_errors = [m for e in error.error_dict["rows"] for m in e.messages]
                    rest = {k: v for k, v in error.error_dict.items() if k != "rows"}
                    if rest:
                        add_service_error(form, ValidationError(rest))
                else:
                    add_service_error(form, error)
            except PermissionDenied as error:
                form.add_error(None, service_error_text(error))
            else:
                messages.success(request, _("已导入%(count)d件建议提案。") % {"count": len(created)})
                return redirect("petitions:proposals")
    context = {"form": form, "row_errors": row_errors, **_nav(request, "import")}
    return _private(render(request, "petitions/proposals/import.html", context, status=status))


# --- The item's page --------------------------------------------------------------------------------------


def _visible(request, pk) -> Proposal:
    queryset = Proposal.objects.select_related("organ", "intake_unit", "session", "leading_leader", "registrar")
    return get_visible_or_404(queryset, request.user, pk)


def _deadlines(record) -> list:
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

    person = person_of(user)
    if person is None:
        return DocumentSeries.objects.none()
    return DocumentSeries.objects.filter(organ__in=person.units(), active=True, template="letter").order_by("code")


def _leaders(user: User) -> QuerySet[Person]:
    return (
        Person.objects.active()
        .filter(unit__in=_units(user), user__groups__name=Role.LEADER)
        .select_related("unit")
        .distinct()
        .order_by("unit__sort_order", "name")
    )


def _share_queryset(record: Proposal, chosen: list):
    return record.assignments.filter(pk__in=[a.pk for a in chosen]).select_related("unit")


@dataclass(frozen=True)
class Action:
    make_form: Callable[..., object]  # (data, user, record, **form kwargs)
    perform: Callable[[User, Proposal, object], str]  # the message


def _plain(form_class):
    return lambda data, user, record, **kwargs: form_class(data, **kwargs)


def _due_text(record: Proposal) -> str:
    return format_date(record.due) if record.due else "—"


def _assign_form(data, user, record, **kwargs):
    return forms.AssignForm(data, units=_units(user), leaders=_leaders(user), **kwargs)


def _assign(user, record, form):
    data = form.cleaned_data
    record = services.proposal_assign(
        actor=user,
        proposal=record,
        mode=data["mode"],
        lead_unit=data["lead_unit"],
        assist_units=list(data["assist_units"]),
        split_units=list(data["split_units"]),
        key=data["key"],
        leading_leader=data["leading_leader"],
        on=data["on"],
    )
    return _("已交办，办理时限至%(due)s。") % {"due": _due_text(record)}


def _adjust_request(user, record, form):
    data = form.cleaned_data
    services.proposal_adjust_request(
        actor=user, proposal=record, reason=data["reason"], suggested_unit=data["suggested_unit"]
    )
    return _("调整申请已提出，等待交办部门审定。")


def _adjust_decide_form(data, user, record, **kwargs):
    return forms.AdjustDecideForm(data, shares=_share_queryset(record, adjusting(record)), units=_units(user), **kwargs)


def _adjust_decide(user, record, form):
    data = form.cleaned_data
    services.proposal_adjust_decide(
        actor=user,
        proposal=record,
        share=data["share"],
        agree=data["agree"],
        new_unit=data["new_unit"],
        note=data["note"],
    )
    return _("已同意调整。") if data["agree"] else _("未同意调整，退回原单位办理。")


def _assist_opinion(user, record, form):
    services.proposal_assist_opinion(actor=user, proposal=record, text=form.cleaned_data["text"])
    return _("会办意见已送主办单位。")


def _contact(user, record, form):
    data = form.cleaned_data
    services.proposal_contact(
        actor=user,
        proposal=record,
        method=data["method"],
        on=data["on"],
        people=data["people"],
        view=data["view"],
        leader_visit=data["leader_visit"],
    )
    return _("沟通联系已登记。")


def _reply_form(data, user, record, **kwargs):
    return forms.ReplyForm(data, series=_letter_series(user), **kwargs)


def _reply(user, record, form):
    data = form.cleaned_data
    services.proposal_reply(
        actor=user,
        proposal=record,
        result_code=data["result_code"],
        text=data["text"],
        series=data["series"],
        promised_on=data["promised_on"],
    )
    return _("答复件已起草：请在公文中送核稿、签发、登记后送达。")


def _send(user, record, form):
    services.proposal_send(actor=user, proposal=record, on=form.cleaned_data["on"])
    return _("答复件已送达。")


def _extend(user, record, form):
    data = form.cleaned_data
    record = services.proposal_extend(actor=user, proposal=record, months=data["months"], reason=data["reason"])
    return _("已批准延期，办理时限延至%(due)s。") % {"due": _due_text(record)}


def _rate_form(data, user, record, **kwargs):
    return forms.RateForm(data, shares=_share_queryset(record, to_rate(record)), **kwargs)


def _rate(user, record, form):
    data = form.cleaned_data
    services.proposal_rate(
        actor=user,
        proposal=record,
        share=data["share"],
        satisfaction=data["satisfaction"],
        on=data["on"],
        note=data["note"],
    )
    return _("征询意见已登记。")


def _rehandle_form(data, user, record, **kwargs):
    return forms.RehandleForm(data, shares=_share_queryset(record, unsatisfied(record)), **kwargs)


def _rehandle(user, record, form):
    data = form.cleaned_data
    services.proposal_rehandle(actor=user, proposal=record, share=data["share"], note=data["note"])
    return _("已交付二次办理。")


def _close(user, record, form):
    services.proposal_close(actor=user, proposal=record)
    return _("建议提案已办结。")


ACTIONS: dict[str, Action] = {
    "assign": Action(_assign_form, _assign),
    "adjust_request": Action(_plain(forms.AdjustRequestForm), _adjust_request),
    "adjust_decide": Action(_adjust_decide_form, _adjust_decide),
    "assist_opinion": Action(_plain(forms.AssistOpinionForm), _assist_opinion),
    "contact": Action(_plain(forms.ContactForm), _contact),
    "reply": Action(_reply_form, _reply),
    "send": Action(_plain(forms.SendForm), _send),
    "extend": Action(_plain(forms.ExtendForm), _extend),
    "rate": Action(_rate_form, _rate),
    "rehandle": Action(_rehandle_form, _rehandle),
    "close": Action(_plain(forms.EmptyForm), _close),
}

HINTS = {
    "assign": gettext_lazy(
        "主办会办：选主办单位，可选会办单位；分办：选两个以上单位，各自答复。自交办之日起3个月内答复。"
    ),
    "adjust_request": gettext_lazy("对交办有异议的，在交办后5个工作日内提出，由交办部门审定；承办单位不得自行转办。"),
    "assist_opinion": gettext_lazy("会办单位在1个月内将会办意见送主办单位。"),
    "contact": gettext_lazy("答复前须与领衔代表委员沟通联系。"),
    "reply": gettext_lazy("答复件以函起草，经核稿、签发、登记后方可送达；B类、C类须写明承诺解决时间。"),
    "extend": gettext_lazy("办理难度大的，经批准可延期，自交办之日起合计不超过6个月。"),
    "rehandle": gettext_lazy("代表委员不满意的，1个月内重新办理答复。"),
}


def _form(name: str, data, user: User, record: Proposal):
    return ACTIONS[name].make_form(data, user, record, auto_id=f"id_{name}_%s")


def _document_link(user: User, document) -> str | None:
    from documents.models import OutgoingDocument

    if document is None or not OutgoingDocument.objects.visible_to(user).filter(pk=document.pk).exists():
        return None
    return reverse("documents:outgoing_detail", args=[document.pk])


def _share_rows(user: User, record: Proposal) -> list[dict]:
    rows = []
    for share in record.assignments.select_related("unit", "document", "liaison").prefetch_related(
        "contacts__written_by"
    ):
        rows.append(
            {
                "share": share,
                "withdrawn": share.state == AssignmentState.WITHDRAWN,
                "contacts": list(share.contacts.all()),
                "letter_link": _document_link(user, share.document),
                "letter_signed": share.document is not None and share.document.state in SIGNED_STATES,
            }
        )
    return rows


def _context(request, record: Proposal, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    offered = PROPOSAL.offered(user, record)
    panel = []
    for name in offered:
        if name not in ACTIONS:
            continue
        form = bound["form"] if bound.get("action") == name else _form(name, None, user, record)
        step = PROPOSAL.step(name)
        panel.append(
            {
                "name": name,
                "label": _(step.label),
                "form": form,
                "hint": HINTS.get(name, ""),
                "irreversible": bool(step.confirm),
            }
        )
    return {
        **_nav(request, "proposals"),
        "record": record,
        "object": record,
        "light": light(record),
        "watermark": watermark(user, record),
        "signers": list(record.signers.all()),
        "deadlines": _deadlines(record),
        "share_rows": _share_rows(user, record),
        "events": list(record.events.all()),
        "offered": offered,
        "panel": panel,
        "bound_action": bound.get("action"),
    }


def _page(request, record: Proposal, bound: dict | None = None, status: int = 200) -> HttpResponse:
    audit.record(request.user, AuditAction.VIEW, obj=record, request=request)
    response = render(request, "petitions/proposals/detail.html", _context(request, record, bound), status=status)
    return _private(response)


@login_required
@require_GET
def proposal_detail(request, pk):
    """An item from the person's visible set (404 otherwise)."""
    return _page(request, _visible(request, pk))


@login_required
@require_POST
def proposal_action(request, pk, action):
    """POST one step: its form, the confirmation of an irreversible step, the service; back to the
    page with a message, or the page again with the form's errors (400), the refusal (409 not now,
    403 not you) and nothing changed."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    record = _visible(request, pk)
    person_or_403(request.user, NO_PERSON)
    form = _form(action, request.POST, request.user, record)
    back = reverse("petitions:proposal", args=[record.pk])
    if form.is_valid() and (asked := confirmation_page(request, PROPOSAL, record, action, back=back)):
        return _private(asked)
    status = take_step(request, form, lambda: spec.perform(request.user, record, form))
    if status is None:
        return redirect(back)
    return _page(request, _visible(request, record.pk), {"action": action, "form": form}, status)


# --- Figures ---------------------------------------------------------------------------------------------


def _year_of(request) -> tuple[forms.YearForm, int]:
    year = timezone.localdate().year
    data = request.POST if request.method == "POST" else request.GET
    form = forms.YearForm(data if "year" in data else None, initial={"year": year})
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
    return form, year


def _report_series(user: User) -> QuerySet:
    from documents.models import DocumentSeries

    organ = _organ_of(person_of(user))
    if organ is None:
        return DocumentSeries.objects.none()
    return DocumentSeries.objects.filter(
        organ__organ=organ.organ_id or organ.pk, active=True, template="standard"
    ).order_by("code")


@login_required
@require_GET
def proposal_figures(request):
    """建议提案办理情况: per 承办单位, from the items the reader sees."""
    form, year = _year_of(request)
    rows = exports.proposal_figures(user=request.user, year=year)
    context = {
        **_nav(request, "figures"),
        "form": form,
        "year": year,
        "rows": [{"unit": row["unit"], "values": exports.figure_values(row)} for row in rows],
        "head": [str(label) for label, _width in exports.FIGURE_COLUMNS],
        "series": _report_series(request.user) if exports.may_summarise(request.user) else [],
    }
    return _private(render(request, "petitions/proposals/figures.html", context))


@login_required
@require_GET
def proposal_figures_export(request):
    _form, year = _year_of(request)
    content = exports.proposal_figures_workbook(exports.proposal_figures(user=request.user, year=year), year=year)
    audit.record(request.user, AuditAction.EXPORT, request=request, detail={"what": "proposal_figures", "year": year})
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"建议提案办理情况-{year}.xlsx"
    )
    return _private(response)


@login_required
@require_POST
def proposal_summary_draft(request):
    """生成办理工作总结: a 报告 draft in a series of the organ; then its page."""
    if not exports.may_summarise(request.user):
        raise PermissionDenied(_("建议提案办理工作总结由督查员起草。"))
    _form, year = _year_of(request)
    back = reverse("petitions:proposal_figures") + f"?year={year}"
    series = _report_series(request.user).filter(pk=request.POST.get("series") or 0).first()
    if series is None:
        messages.error(request, _("请选择发文代字。"))
        return redirect(back)
    try:
        document = exports.proposal_summary_draft(actor=request.user, year=year, series=series)
    except (ValidationError, PermissionDenied, TransitionNotAllowed) as error:
        messages.error(request, service_error_text(error))
        return redirect(back)
    messages.success(request, _("办理工作总结已起草：%(title)s") % {"title": document.title})
    return redirect("documents:outgoing_detail", pk=document.pk)
