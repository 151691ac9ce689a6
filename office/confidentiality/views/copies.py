"""The 份号 register, the copies a person holds (签收, 清退, 销毁) and copy and excerpt requests.

Register rows point at records of any classified type; each shows its title only where the reader
may see the record itself (``_records_for_rows``), otherwise only its mark.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from office.confidentiality import forms, selectors, services
from office.confidentiality.levels import Level
from office.confidentiality.models import Carrier, CopyRequestState, CopyState
from office.confidentiality.views._common import render_page, security_officer_required
from office.confidentiality.visibility import is_security_officer, person_of
from office.org.models import Role
from office.pages import page_of, query_without_page, service_error_text
from office.workflow import TransitionNotAllowed


def _back(request, default: str) -> str:
    """Where a POST from a list goes back to: the page's own ``next`` if it is a path on this site
    (anything else, such as ``abc``, would be taken for a URL name and fail to reverse)."""
    target = request.POST.get("next", "")
    ours = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    if target.startswith("/") and ours:
        return target
    return default


def _records_for_rows(user, pairs) -> dict[tuple[int, int], dict]:
    """For register rows that point at records by (content type, id): each record with its mark,
    and its title only when ``user`` may see the record itself. Two queries per record type,
    however many rows."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for content_type_id, object_id in pairs:
        wanted[content_type_id].add(object_id)
    found: dict[tuple[int, int], dict] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        visible = set(model.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
        for record in model._default_manager.filter(pk__in=ids):
            found[(content_type_id, record.pk)] = {
                "record": record,
                "title": str(record) if record.pk in visible else None,
                "url": reverse("confidentiality:carrier_detail", args=[record.pk])
                if model is Carrier and record.pk in visible
                else None,
            }
    return found


def _copy_rows(user, copies, today) -> list[dict]:
    records = _records_for_rows(user, [(copy.content_type_id, copy.object_id) for copy in copies])
    return [
        {"copy": copy, "overdue": copy.is_overdue(today), **records.get((copy.content_type_id, copy.object_id), {})}
        for copy in copies
    ]


# --- The 份号 register -----------------------------------------------------------------------------


@security_officer_required
@require_GET
def copy_register(request):
    """Every numbered copy of the records in the 保密员's register; ``?overdue=1`` for the copies
    past their return date."""
    today = timezone.localdate()
    overdue = request.GET.get("overdue") == "1"
    state = request.GET.get("state") if request.GET.get("state") in CopyState.values else None
    copies = selectors.copy_register(user=request.user, overdue_on=today if overdue else None, state=state)
    page = page_of(request, copies.order_by("-issued_at", "-pk"))
    return render_page(
        request,
        "confidentiality/copy_register.html",
        section="copy_register",
        context={
            "page": page,
            "rows": _copy_rows(request.user, page.object_list, today),
            "overdue": overdue,
            "state": state or "",
            "states": CopyState.choices,
            "query": query_without_page(request),
            "today": today,
        },
    )


@login_required
@require_GET
def my_copies(request):
    """The copies the person holds, personally or through their unit, with 签收."""
    today = timezone.localdate()
    page = page_of(request, selectors.copies_held_by(user=request.user).order_by("-issued_at", "-pk"))
    return render_page(
        request,
        "confidentiality/my_copies.html",
        section="my_copies",
        context={
            "page": page,
            "rows": _copy_rows(request.user, page.object_list, today),
            "query": query_without_page(request),
        },
    )


COPY_ACTIONS = {
    "sign": (services.copy_sign, gettext_lazy("已签收。")),
    "return": (services.copy_return, gettext_lazy("已清退。")),
    "request-destruction": (
        services.copy_request_destruction,
        gettext_lazy("已申请销毁，待另一名保密员或领导监销确认。"),
    ),
    "confirm-destruction": (services.copy_confirm_destruction, gettext_lazy("已确认销毁。")),
}


@login_required
@require_POST
def copy_action(request, pk, action):
    """签收 (the holder), 清退 / 申请销毁 / 确认销毁 (保密员; a second person confirms). The copy
    comes from the person's register or the copies they hold: anything else is a 404."""
    if action not in COPY_ACTIONS:
        raise Http404
    copy = selectors.copy_register(user=request.user).filter(pk=pk).first()
    if copy is None and action == "sign":
        copy = selectors.copies_held_by(user=request.user).filter(pk=pk).first()
    if copy is None:
        raise Http404
    service, done = COPY_ACTIONS[action]
    arguments = {"note": request.POST.get("note", "")[:200]} if action == "request-destruction" else {}
    try:
        service(actor=request.user, copy=copy, **arguments)
    except (ValidationError, PermissionDenied, TransitionNotAllowed) as error:
        messages.error(request, service_error_text(error))
    else:
        messages.success(request, _("份号%(number)s：%(done)s") % {"number": copy.number_display, "done": done})
    default = reverse(
        "confidentiality:copy_register" if is_security_officer(request.user) else "confidentiality:my_copies"
    )
    return redirect(_back(request, default))


# --- Copy and excerpt requests ---------------------------------------------------------------------


@login_required
@require_GET
def copy_requests(request):
    """The person's own requests and, for a leader, those of their organ awaiting a decision."""
    user = request.user
    person = person_of(user)
    page = page_of(request, selectors.copy_requests_for(user=user).order_by("-requested_at", "-pk"))
    records = _records_for_rows(user, [(row.content_type_id, row.object_id) for row in page.object_list])
    may_decide = person is not None and user.has_role(Role.LEADER)
    rows = []
    for row in page.object_list:
        found = records.get((row.content_type_id, row.object_id), {})
        record = found.get("record")
        decidable = (
            may_decide
            and row.state == CopyRequestState.PENDING
            and row.requested_by_id != person.pk
            and record is not None
            and person.clearance >= record.classification
        )
        rows.append(
            {
                "request": row,
                **found,
                "decidable": decidable,
                "needs_organ_approval": record is not None and record.level == Level.TOP_SECRET,
            }
        )
    return render_page(
        request,
        "confidentiality/copy_requests.html",
        {"page": page, "rows": rows, "query": query_without_page(request)},
        section="copy_requests",
    )


@login_required
@require_POST
def copy_request_decide(request, pk):
    copy_request = selectors.copy_requests_for(user=request.user).filter(pk=pk).first()
    if copy_request is None:
        raise Http404
    form = forms.CopyDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, forms.errors_as_text(form))
    else:
        data = form.cleaned_data
        try:
            services.copy_request_decide(
                actor=request.user,
                request=copy_request,
                approve=data["decision"] == forms.CopyDecisionForm.APPROVE,
                note=data["note"],
                originating_organ_approval=data["originating_organ_approval"],
            )
        except (ValidationError, PermissionDenied, TransitionNotAllowed) as error:
            messages.error(request, service_error_text(error))
        else:
            messages.success(request, _("已审批。"))
    return redirect(_back(request, reverse("confidentiality:copy_requests")))
