"""The 收文 pages: the register (filters, search, 传阅中), 我的收文待办, 来文登记 (the receive form), a
document's page — its 来文 elements, 拟办 and 批示, 承办 with deadline badges, 传阅 per reader (who
has not read, highlighted), the 流转记录 and the actions this person may take now — and the 办结率
figures by unit for a period.

Thin edges, as ``documents.outgoing.views`` is for outgoing documents: forms check shape,
``documents.incoming.services`` changes state (and checks who may), ``documents.incoming.selectors`` and
``visible_to()`` read. A document outside the person's 知悉范围 is a 404 (and a ``denied`` audit
event); a read above 内部 is logged. Which forms a person sees is what ``rules``' machines
offer (:func:`offered_actions` only shapes it for the template): the rule the services enforce.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView

from documents import hooks
from documents.incoming import exports, forms, rules, selectors, services, subassign, views_units
from documents.models import (
    AssignmentRole,
    Circulation,
    CirculationReader,
    IncomingDocument,
    IncomingState,
    ReaderState,
)
from documents.vocabulary import NO_PERSON
from office.confidentiality import audit
from office.confidentiality.api_base import VisibleObjectMixin
from office.confidentiality.forms import add_service_error
from office.confidentiality.levels import Level
from office.confidentiality.visibility import get_visible_or_404
from office.org.models import Person, Role, Unit, User
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
from office.reminders.models import Deadline
from office.uploads import files_kept_only_if_stored
from office.workflow import TransitionNotAllowed
from office.workflow.confirm import confirmation_page

PAGE_SIZE = 50
BACKLOG_DAYS = 5
S = IncomingState

INBOX_GROUPS = [
    ("sign_for", gettext_lazy("待签收")),
    ("register", gettext_lazy("待登记、初审")),
    ("propose", gettext_lazy("待拟办")),
    ("instruct", gettext_lazy("待批示")),
    ("handle", gettext_lazy("待办理")),
    ("subassigned", gettext_lazy("分办给我的")),
    ("read", gettext_lazy("待阅")),
]


# --- Helpers ---------------------------------------------------------------------------------------


def _document_queryset() -> QuerySet[IncomingDocument]:
    return IncomingDocument.objects.select_related(
        "receiving_unit",
        "sender_unit",
        "signed_for_by",
        "registered_by",
        "proposed_by",
        "instructing_leader",
        "chaser",
        "duplicate_of",
    )


def _visible_document(request, pk) -> IncomingDocument:
    return get_visible_or_404(_document_queryset(), request.user, pk)


def _organ_units(document: IncomingDocument) -> QuerySet[Unit]:
    """The units a 批示 may assign or a 传阅 may reach: the receiving organ and everything below it."""
    organ = Unit.objects.get(pk=document.receiving_unit.organ_id) if document.receiving_unit.organ_id else None
    ids = organ.subtree_ids() if organ else [document.receiving_unit_id]
    return Unit.objects.active().filter(pk__in=ids).order_by("sort_order", "pk")


def _organ_people(document: IncomingDocument) -> QuerySet[Person]:
    """People cleared for the document in the receiving organ (the service checks clearance again)."""
    return (
        Person.objects.active()
        .filter(unit__in=_organ_units(document), clearance__gte=document.classification)
        .select_related("unit")
        .order_by("unit__sort_order", "name")
    )


# --- What this person is offered, in this state -------------------------------------------------------


def offered_actions(user: User, document: IncomingDocument, *, circulations: list, subassignments: list = ()) -> dict:
    """``rules``' offer for ``user``, shaped for the page: the document machine's steps
    (``unit_done`` with the units to report for; ``recall`` with the page's own round objects) and
    the reader machine's ``reader_open`` / ``reader_read`` for the person's own reader rows, and the
    分办 machine's ``sub_report`` / ``sub_accept`` / ``sub_return`` for the rows this person may move."""
    actions = dict(rules.incoming_machine.offered(user, document))
    if "recall" in actions:
        ids = {circulation.pk for circulation in actions["recall"]}
        actions["recall"] = [circulation for circulation in circulations if circulation.pk in ids]
    rows = [reader for circulation in circulations for reader in circulation.reader_rows]
    for name, step in (("reader_open", "open"), ("reader_read", "read")):
        if mine := [reader for reader in rows if rules.reader_machine.allows(user, reader, step)]:
            actions[name] = mine
    for name in ("report", "accept", "return"):  # the 分办 rows' machine, row by row
        if mine := [row for row in subassignments if rules.subassignment_machine.allows(user, row, name)]:
            actions[f"sub_{name}"] = mine
    return actions


# --- The actions: a form and a service call each -------------------------------------------------------


@dataclass(frozen=True)
class Action:
    make_form: Callable[..., forms.forms.Form]  # (data, document, **form kwargs)
    perform: Callable[[User, IncomingDocument, forms.forms.Form], str]  # the success message


def _sign_for(actor, document, form):
    services.incoming_sign_for(actor=actor, document=document)
    return _("已签收。")


def _register(actor, document, form):
    document = services.incoming_register(actor=actor, document=document)
    return _("已登记，收文编号：%(number)s。") % {"number": document.registration_text}


def _screen(actor, document, form):
    data = form.cleaned_data
    document = services.incoming_screen(
        actor=actor,
        document=document,
        accept=data["decision"] == forms.ScreenForm.ACCEPT,
        handling=data["handling"],
        reason=data["reason"],
        important=data["important"],
        chaser=data["chaser"],
    )
    if document.state == S.RETURNED:
        return _("已退回来文单位。")
    return _("初审通过，作为%(handling)s办理。") % {"handling": document.get_handling_display()}


def _propose(actor, document, form):
    data = form.cleaned_data
    services.incoming_propose(
        actor=actor,
        document=document,
        proposal=data["proposal"],
        leader=data["leader"],
        lead_unit=data["lead_unit"],
        assisting_units=list(data["assisting_units"]),
    )
    return _("拟办意见已送%(name)s批示。") % {"name": data["leader"].name}


def _instruct(actor, document, form):
    data = form.cleaned_data
    services.incoming_instruct(
        actor=actor,
        document=document,
        instruction=data["instruction"],
        lead_unit=data["lead_unit"],
        assisting_units=list(data["assisting_units"]),
        time_limit=data["time_limit"],
        supervise=data["supervise"],
        send_back=form.send_back,
    )
    if form.send_back:
        return _("已退回办公室重新拟办。")
    return _("已批示，交%(unit)s主办。") % {"unit": data["lead_unit"].name}


def _subassign(actor, document, form):
    data = form.cleaned_data
    row = subassign.unit_subassign(
        actor=actor,
        document=document,
        unit=data["unit"],
        section=data["section"],
        handler=data["handler"],
        due=data["due"],
        instruction=data["instruction"],
    )
    return _("已分办%(section)s %(name)s办理。") % {"section": row.section.name, "name": row.handler.name}


def _unit_done(actor, document, form):
    data = form.cleaned_data
    services.incoming_unit_done(actor=actor, document=document, unit=data["unit"], note=data["note"])
    return _("%(unit)s的协办意见已报送主办单位。") % {"unit": data["unit"].name}


def _complete(actor, document, form):
    data = form.cleaned_data
    services.incoming_complete(actor=actor, document=document, result=data["result"], reply=data["reply"])
    return _("已办结。")


def _archive(actor, document, form):
    data = form.cleaned_data
    services.incoming_archive(
        actor=actor, document=document, retention=data["retention"], override_reason=data["override_reason"]
    )
    return _("已归档，保管期限%(retention)s。") % {"retention": data["retention"]}


def _chase(actor, document, form):
    services.incoming_chase(actor=actor, document=document, message=form.cleaned_data["message"])
    return _("已催办。")


def _circulate(actor, document, form):
    data = form.cleaned_data
    readers = list(data["readers"])
    services.circulation_start(actor=actor, document=document, readers=readers, note=data["note"], due=data["due"])
    return _("已送%(names)s传阅。") % {"names": "、".join(person.name for person in readers)}


def _screen_form(data, document, **kwargs):
    return forms.ScreenForm(data, prefix="screen", people=_organ_people(document), **kwargs)


def _propose_form(data, document, **kwargs):
    leaders = _organ_people(document).filter(user__groups__name=Role.LEADER.value)
    return forms.ProposeForm(data, prefix="propose", leaders=leaders, units=_organ_units(document), **kwargs)


def _instruct_form(data, document, **kwargs):
    if data is None and document.proposed_lead_unit_id:  # the 拟办's proposal, for the leader to start from
        assisting = [unit.pk for unit in document.proposed_assisting_units.all()]
        kwargs.setdefault("initial", {"lead_unit": document.proposed_lead_unit_id, "assisting_units": assisting})
    return forms.InstructForm(data, prefix="instruct", units=_organ_units(document), **kwargs)


def _subassign_form(data, document, *, unit=None, **kwargs):
    """One form per unit offered; a posted one takes its unit's 科室 and people from the post."""
    units = Unit.objects.filter(pk__in=document.assignments.values("unit"))
    if unit is None and data is not None:
        posted = str(data.get("subassign-unit", ""))
        unit = units.filter(pk=int(posted)).first() if posted.isdigit() else None
    if unit is not None:
        kwargs.setdefault("initial", {"unit": unit.pk})
        kwargs.setdefault("auto_id", f"id_subassign{unit.pk}_%s")
        sections, people = subassign.sections_of(unit), subassign.handlers_of(unit, document)
    else:
        sections, people = Unit.objects.none(), Person.objects.none()
    return forms.SubassignForm(data, prefix="subassign", units=units, sections=sections, people=people, **kwargs)


def _complete_form(data, document, **kwargs):
    lead = document.assignments.filter(role=AssignmentRole.LEAD).first()
    if data is None and lead is not None and lead.note:  # the lead unit's answer, sent up at 分办
        kwargs.setdefault("initial", {"result": lead.note})
    return forms.CompleteForm(data, prefix="complete", **kwargs)


def _unit_done_form(data, document, *, unit=None, **kwargs):
    units = Unit.objects.filter(
        pk__in=document.assignments.filter(role=AssignmentRole.ASSIST, done_at__isnull=True).values("unit")
    )
    if unit is not None:
        kwargs.update(initial={"unit": unit.pk}, auto_id=f"id_unit_done{unit.pk}_%s")
    return forms.UnitDoneForm(data, prefix="unit_done", units=units, **kwargs)


def _circulate_form(data, document, **kwargs):
    return forms.CirculateForm(data, prefix="circulate", people=_organ_people(document), **kwargs)


def _simple(form_class, prefix):
    return lambda data, document, **kwargs: form_class(data, prefix=prefix, **kwargs)


# Keyed by the URL's slug (``sign-for``); the page's forms by the same name with ``_``.
ACTIONS: dict[str, Action] = {
    "sign-for": Action(_simple(forms.EmptyForm, "sign_for"), _sign_for),
    "register": Action(_simple(forms.EmptyForm, "register"), _register),
    "screen": Action(_screen_form, _screen),
    "propose": Action(_propose_form, _propose),
    "instruct": Action(_instruct_form, _instruct),
    "subassign": Action(_subassign_form, _subassign),
    "unit-done": Action(_unit_done_form, _unit_done),
    "complete": Action(_complete_form, _complete),
    "archive": Action(_simple(forms.IncomingArchiveForm, "archive"), _archive),
    "chase": Action(_simple(forms.ChaseForm, "chase"), _chase),
    "circulate": Action(_circulate_form, _circulate),
}


# --- The register, 我的收文待办, the export and the figures -------------------------------------------------


def _filtered_documents(request) -> tuple[forms.IncomingFilterForm, QuerySet[IncomingDocument]]:
    form = forms.IncomingFilterForm(request.GET or None)
    filters, text = form.selector_arguments() if form.is_valid() else ({}, "")
    return form, selectors.incoming_list_visible(user=request.user, filters=filters, text=text)


@login_required
@require_GET
def incoming_list(request):
    """The incoming documents the person may see (``incoming_list_visible``), 50 a page, each
    with 传阅中 while readers are pending."""
    form, documents = _filtered_documents(request)
    page = page_of(request, selectors.incoming_list_rows(documents), PAGE_SIZE)
    return render(
        request,
        "documents/incoming_list.html",
        {
            "section": "list",
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "can_receive": rules.may_receive(request.user),
        },
    )


@login_required
@require_GET
def incoming_register_export(request):
    """The 收文登记簿 of the filtered list as .xlsx (register fields only, never a body); the
    export is written to the access log with the classified documents it contains."""
    form, documents = _filtered_documents(request)
    return register_download(request, documents, exports.REGISTER, form=form, back=reverse("documents:incoming_list"))


@login_required
@require_GET
def incoming_inbox(request):
    """我的收文待办: to sign for, to register and screen, to propose, to instruct, to handle, to read."""
    inbox = selectors.incoming_inbox(user=request.user)
    groups = []
    for key, label in INBOX_GROUPS:
        if key not in inbox:
            continue
        queryset = inbox[key]
        if key != "read":
            queryset = selectors.with_circulating(queryset)
        groups.append({"key": key, "label": label, "rows": list(queryset[:PAGE_SIZE])})
    return render(
        request,
        "documents/incoming_inbox.html",
        {"section": "inbox", "groups": groups, "total": sum(len(group["rows"]) for group in groups)},
    )


@login_required
@require_GET
def incoming_figures(request):
    """办结率 and 按期办结率 by lead unit for documents instructed in a period, and the 压文 (documents
    sitting in one step for more than five days) — both over the documents the person may see."""
    start, end = forms.PeriodForm.default_period()
    form = forms.PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    figures = selectors.completion_by_unit(user=request.user, start=start, end=end)
    backlog = list(selectors.backlog(user=request.user, older_than_days=BACKLOG_DAYS)[:PAGE_SIZE])
    totals = {
        "assigned": sum(f.assigned for f in figures),
        "done": sum(f.done for f in figures),
        "done_on_time": sum(f.done_on_time for f in figures),
    }
    return render(
        request,
        "documents/incoming_figures.html",
        {
            "section": "figures",
            "form": form,
            "start": start,
            "end": end,
            "figures": figures,
            "totals": totals,
            "backlog": backlog,
            "backlog_days": BACKLOG_DAYS,
        },
    )


# --- 来文登记 ----------------------------------------------------------------------------------------------


def _receiving_units(person: Person) -> QuerySet[Unit]:
    """The units the person's office signs for: their own unit, the units above and below it, in
    their organ."""
    ids = {*person.units(), *person.unit.subtree_ids()}
    return Unit.objects.active().filter(pk__in=ids, organ=person.unit.organ_id).order_by("sort_order", "pk")


@login_required
def incoming_receive(request):
    """来文登记: a document from outside the system, signed for now (文秘 or 办公室主任). On a
    refusal the form comes back with the message and nothing is stored."""
    person = person_or_403(request.user, NO_PERSON)
    if not rules.may_receive(request.user):
        raise PermissionDenied(_("来文由文秘或办公室主任登记。"))
    kwargs = {"person": person, "units": _receiving_units(person)}
    if request.method != "POST":
        form = forms.IncomingReceiveForm(initial={"receiving_unit": person.unit.organ_id}, **kwargs)
        return _render_receive(request, form)
    form = forms.IncomingReceiveForm(request.POST, request.FILES, **kwargs)
    if form.is_valid():
        try:
            with files_kept_only_if_stored() as keep, transaction.atomic():  # the document and its scans, or nothing
                document = services.incoming_receive(actor=request.user, **form.service_arguments())
                for upload in form.cleaned_data["scans"]:
                    keep(services.incoming_attach_scan(actor=request.user, document=document, upload=upload).file)
        except ValidationError as error:
            add_service_error(form, error)
        except TransitionNotAllowed as error:
            form.add_error("scans", error.message)
        except PermissionDenied as error:
            form.add_error(None, service_error_text(error))
        else:
            if document.duplicate_of_id:
                messages.warning(request, _("疑似重复来文：同一来文机关、同一发文字号已收过。"))
            messages.success(request, _("已签收：%(title)s") % {"title": document.title})
            return redirect("documents:incoming_detail", pk=document.pk)
    return _render_receive(request, form, status=400)


def _render_receive(request, form, status=200):
    return render(
        request,
        "documents/incoming_form.html",
        {"section": "new", "form": form, "ceiling": Level(settings.SHUNIU_CLASSIFICATION_CEILING)},
        status=status,
    )


# --- A document's page ---------------------------------------------------------------------------------


def _circulations(document: IncomingDocument) -> list[Circulation]:
    """The rounds of 传阅, each reader with their state and reading deadline (a fixed number of
    queries however many readers)."""
    circulations = list(
        document.circulations.select_related("sent_by").prefetch_related(
            Prefetch("readers", queryset=CirculationReader.objects.select_related("person__unit"))
        )
    )
    readers = [reader for circulation in circulations for reader in circulation.readers.all()]
    deadlines = {}
    if readers:
        for deadline in Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(CirculationReader),
            object_id__in=[reader.pk for reader in readers],
        ).order_by("opened_at"):
            deadlines[deadline.object_id] = deadline
    pending_states = (ReaderState.SENT, ReaderState.OPENED)
    for circulation in circulations:
        circulation.reader_rows = list(circulation.readers.all())
        for reader in circulation.reader_rows:
            reader.pending = circulation.recalled_at is None and reader.state in pending_states
            reader.deadline = deadlines.get(reader.pk)
        circulation.pending = any(reader.pending for reader in circulation.reader_rows)
        circulation.unread = [reader for reader in circulation.reader_rows if reader.pending]
    return circulations


def _assignments(document: IncomingDocument, deadlines: list[Deadline]) -> list:
    """承办 rows with their unit's handling deadline (the open one when there is one)."""
    by_unit: dict[int, Deadline] = {}
    for deadline in sorted(deadlines, key=lambda d: (d.state == "open", d.opened_at)):
        if deadline.kind_id == "document" and deadline.responsible_unit_id:
            by_unit[deadline.responsible_unit_id] = deadline
    assignments = list(document.assignments.select_related("unit").order_by("role", "id"))
    for assignment in assignments:
        assignment.deadline = by_unit.get(assignment.unit_id)
    return assignments


def _action_forms(actions: dict, document: IncomingDocument, bound: dict) -> dict:
    """One form per available action (the 协办 form once per unit), a bound one in place."""
    result = {}
    for name in actions:
        if name in ("recall", "reader_open", "reader_read", "scan") or name.startswith("sub_"):
            continue
        slug = name.replace("_", "-")
        if name == "subassign":
            failed = bound.get(slug)
            failed_unit = failed.data.get("subassign-unit") if failed is not None else None
            result[name] = [
                {
                    "unit": unit,
                    "form": failed if failed_unit == str(unit.pk) else _subassign_form(None, document, unit=unit),
                }
                for unit in actions[name]
            ]
            continue
        if name == "unit_done":
            failed = bound.get(slug)
            failed_unit = failed.data.get("unit_done-unit") if failed is not None else None
            result[name] = [
                {
                    "unit": unit,
                    "form": failed
                    if failed_unit == str(unit.pk)
                    else ACTIONS[slug].make_form(None, document, unit=unit),
                }
                for unit in actions[name]
            ]
            continue
        result[name] = bound.get(slug) or ACTIONS[slug].make_form(None, document)
    return result


def _detail_context(request, document: IncomingDocument, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    deadlines = reminders.deadlines_of(document)
    prefetch_related_objects(deadlines, "responsible_person", "responsible_unit")
    circulations = _circulations(document)
    assignments = _assignments(document, deadlines)
    subassignments = views_units.subassignment_rows(document)
    actions = offered_actions(user, document, circulations=circulations, subassignments=subassignments)
    views_units.attach_row_forms(actions, bound)
    for circulation in actions.get("recall", []):
        failed = bound.get("recall") if bound.get("recall_circulation") == circulation.pk else None
        circulation.recall_form = failed or forms.RecallForm(prefix="recall", auto_id=f"id_recall{circulation.pk}_%s")
    for reader in actions.get("reader_read", []):
        failed = bound.get("reader-read") if bound.get("reader") == reader.pk else None
        reader.read_form = failed or forms.ReadForm(prefix="read", auto_id=f"id_read{reader.pk}_%s")
    ceiling = Level(settings.SHUNIU_CLASSIFICATION_CEILING)
    return {
        "section": "list",
        "supervision_items": _supervision_items(user, document),
        "document": document,
        "object": document,
        "mark": document.level_mark or str(document.level.label),
        "is_top_secret": document.level == Level.TOP_SECRET,
        "watermark": watermark(user, document),
        "content_allowed": document.level <= ceiling,
        "ceiling": ceiling,
        "circulating": any(circulation.pending for circulation in circulations),
        "transitions": list(document.transitions.all()),
        "open_deadlines": [d for d in deadlines if d.state == "open" and d.kind_id == "document"],
        "assignments": assignments,
        "subassignments": subassignments,
        "scans": list(document.scans.select_related("uploaded_by")),
        "scan_form": bound.get("scan") or forms.ScanForm(prefix="scan"),
        "circulations": circulations,
        "actions": actions,
        "action_forms": _action_forms(actions, document, bound),
    }


def _supervision_items(user: User, document: IncomingDocument) -> list:
    """The records other apps opened from this document (the 督办事项 of its 批示) that the person
    may see."""
    if not document.supervise:
        return []
    return [record for found in hooks.follow_ups_of.send(hooks.FollowUpsOf(user, document)) for record in found]


class IncomingDetailView(VisibleObjectMixin, DetailView):
    """A document from the person's visible set (404 otherwise, and a ``denied`` event); the read
    is logged above 内部. 绝密 content is on screen only, watermarked."""

    model = IncomingDocument
    template_name = "documents/incoming_detail.html"

    def get_object(self, queryset=None):
        return super().get_object(_document_queryset())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_detail_context(self.request, self.object)}

    def render_to_response(self, context, **response_kwargs):
        return no_store(super().render_to_response(context, **response_kwargs), self.object)


incoming_detail = IncomingDetailView.as_view()


def _render_detail_again(request, document: IncomingDocument, bound: dict, status: int) -> HttpResponse:
    """The document's page with a failed form in place (showing the content again is a read)."""
    audit.record_read(request.user, document, request=request)
    response = render(
        request, "documents/incoming_detail.html", _detail_context(request, document, bound), status=status
    )
    return no_store(response, document)


def _perform(request, pk, key: str, form, perform: Callable[[], str], extra_bound: dict | None = None):
    """Validate ``form``, run ``perform``; back to the page with a message, or the page again with
    the refusal (409 not now, 403 not you, 400 bad input) and nothing changed."""
    status = 400
    if form.is_valid():
        try:
            done = perform()
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
            status = 409
        except PermissionDenied as error:
            messages.error(request, service_error_text(error))
            status = 403
        except ValidationError as error:
            add_service_error(form, error)
            if not form.fields:
                messages.error(request, service_error_text(error))
        else:
            messages.success(request, done)
            return redirect("documents:incoming_detail", pk=pk)
    return _render_detail_again(request, _visible_document(request, pk), {key: form, **(extra_bound or {})}, status)


@login_required
@require_POST
def incoming_action(request, pk, action):
    """POST a step from a document's page: validate, call the service, back to the page."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    document = _visible_document(request, pk)
    person_or_403(request.user, NO_PERSON)
    form = spec.make_form(request.POST, document)
    if form.is_valid():
        back = reverse("documents:incoming_detail", args=[document.pk])
        step = action.replace("-", "_")
        if asked := confirmation_page(request, rules.incoming_machine, document, step, back=back):
            return asked
    return _perform(request, pk, action, form, lambda: spec.perform(request.user, document, form))


@login_required
@require_POST
def incoming_reader_action(request, pk, reader_id, action):
    """The reader's own 已收到 (``open``) and 已阅 (``read``, with a comment) from the page."""
    if action not in ("open", "read"):
        raise Http404
    document = _visible_document(request, pk)
    person_or_403(request.user, NO_PERSON)
    reader = CirculationReader.objects.filter(circulation__document=document, pk=reader_id).first()
    if reader is None:
        raise Http404
    if action == "open":
        form = forms.EmptyForm(request.POST, prefix="open")

        def perform():
            services.circulation_open(actor=request.user, reader=reader)
            return _("已签收传阅件，请阅后阅签。")

        return _perform(request, pk, "reader-open", form, perform, {"reader": reader.pk})
    form = forms.ReadForm(request.POST, prefix="read")

    def perform():
        services.circulation_read(actor=request.user, reader=reader, comment=form.cleaned_data["comment"])
        return _("已阅。")

    return _perform(request, pk, "reader-read", form, perform, {"reader": reader.pk})


@login_required
@require_POST
def incoming_recall(request, pk, circulation_id):
    """收回 a circulation with a reason (the office)."""
    document = _visible_document(request, pk)
    person_or_403(request.user, NO_PERSON)
    circulation = document.circulations.filter(pk=circulation_id).first()
    if circulation is None:
        raise Http404
    form = forms.RecallForm(request.POST, prefix="recall")

    def perform():
        services.circulation_recall(actor=request.user, circulation=circulation, reason=form.cleaned_data["reason"])
        return _("传阅已收回。")

    return _perform(request, pk, "recall", form, perform, {"recall_circulation": circulation.pk})
