"""The desk on the home page (``office.views.HomeView`` reads ``desk_context``), 批量已阅 and the
navigation's count."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from office.confidentiality.visibility import person_of
from office.desk import providers, services
from office.desk.forms import DelegationForm
from office.desk.models import Delegation
from office.desk.providers import READ, TAB_KEYS, TABS, TODO


def desk_context(request) -> dict:
    tab = request.GET.get("tab") or TODO
    if tab not in TAB_KEYS:
        tab = TODO
    items, counts = providers.desk(request.user, tab)
    return {
        "desk_tab": tab,
        "desk_tabs": [(key, label, counts.get(key)) for key, label in TABS],
        "desk_items": items,
        "desk_counts": counts,
        "desk_readable": tab == READ and any(item.readable_id for item in items),
    }


@login_required
@require_POST
def desk_read(request):
    """批量已阅: the checked reading items; those no longer readable are left and said so."""
    keys = request.POST.getlist("item")
    if not keys:
        messages.warning(request, _("请先勾选要标记为已阅的事项。"))
        return redirect(f"{_home()}?tab={READ}")
    done = providers.mark_read(request.user, keys)
    if done:
        messages.success(request, _("已将 %(n)d 件标记为已阅。") % {"n": done})
    if done < len(keys):
        messages.warning(request, _("%(n)d 件未能标记（已收回或已阅）。") % {"n": len(keys) - done})
    return redirect(f"{_home()}?tab={READ}")


@require_GET
def desk_count(request):
    """The navigation's 待办/待阅 badge, loaded by htmx after the page (after a logout: the bare
    link, never the login page swapped into the navigation)."""
    counts = providers.waiting_counts(request.user) if request.user.is_authenticated else {}
    response = HttpResponse(render_to_string("desk/partials/count.html", {"counts": counts}))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delegations(request):
    """委托代办: the 委托 I gave (with 撤销) and a form for a new one; those I hold."""
    person = person_of(request.user)
    if person is None:
        raise Http404
    may = services.may_delegate(request.user)
    form = DelegationForm(request.POST or None, principal=person) if may else None
    if request.method == "POST":
        if not may:
            raise PermissionDenied(_("只有领导、办公室主任和单位负责人可以委托他人代办。"))
        if form.is_valid():
            try:
                services.delegation_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, messages_ in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                messages.success(request, _("已委托。受托人代办的事项将在流转记录中注明“代”。"))
                return redirect("desk_delegations")
    return render(
        request,
        "desk/delegations.html",
        {
            "form": form,
            "given": Delegation.objects.filter(principal=person).select_related("delegate__unit"),
            "held": Delegation.objects.filter(delegate=person, revoked_at__isnull=True).select_related(
                "principal__unit"
            ),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def delegation_revoke(request, pk: int):
    person = person_of(request.user)
    delegation = Delegation.objects.filter(pk=pk, principal=person).first() if person else None
    if delegation is None:
        raise Http404
    services.delegation_revoke(actor=request.user, delegation=delegation)
    messages.success(request, _("委托已撤销。"))
    return redirect("desk_delegations")


@login_required
@require_POST
def follow(request, kind: str, pk: int):
    """跟踪 / 取消跟踪 a record he may see (any other: 404), then back to its page."""
    from django.utils.http import url_has_allowed_host_and_scheme

    described = providers.provider(kind)  # "outgoing", "incoming", "supervision": what it describes
    if described is None or not described.models:
        raise Http404
    record = described.models[0].objects.visible_to(request.user).filter(pk=pk).first()
    if record is None:
        raise Http404
    now = services.follow_toggle(actor=request.user, record=record)
    messages.success(request, _("已加入工作台“跟踪”。") if now else _("已取消跟踪。"))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = _home()
    return redirect(back)


def _home() -> str:
    from django.urls import reverse

    return reverse("home")
