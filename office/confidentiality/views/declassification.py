"""The declassification worklist: records of the 保密员's register whose term has run out or
whose 解密条件 is flagged, each 解密 or 延期/变更密级 with a reason."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from office.confidentiality import forms, selectors, services
from office.confidentiality.levels import Level
from office.confidentiality.models import Carrier
from office.confidentiality.views._common import mark_of, render_page, security_officer_required
from office.confidentiality.visibility import person_of
from office.pages import service_error_text
from office.workflow import TransitionNotAllowed


def _prefix(form: str, record) -> str:
    """Each row's forms have their own field names (records of two types may share an id)."""
    return f"{form}{ContentType.objects.get_for_model(record).pk}-{record.pk}"


@security_officer_required
@require_GET
def declassification_worklist(request):
    """Records of the 保密员's register whose term has run out or whose 解密条件 is flagged."""
    user = request.user
    person = person_of(user)
    today = timezone.localdate()
    records = selectors.declassification_worklist(user=user, today=today)
    by_type: dict[type, set[int]] = defaultdict(set)
    for record in records:
        by_type[type(record)].add(record.pk)
    visible = {
        (model, pk)
        for model, ids in by_type.items()
        for pk in model.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
    }
    rows = [
        {
            "record": record,
            "content_type_id": ContentType.objects.get_for_model(record).pk,
            "kind": record._meta.verbose_name,
            "title": str(record) if (type(record), record.pk) in visible else None,
            "url": reverse("confidentiality:carrier_detail", args=[record.pk])
            if isinstance(record, Carrier) and (Carrier, record.pk) in visible
            else None,
            "days_over": (today - record.declassify_due).days if record.declassify_due else None,
            "declassify_form": forms.DeclassifyForm(prefix=_prefix("d", record)),
            "change_form": forms.ReclassifyForm(
                clearance=person.clearance,
                at_least=Level.CONFIDENTIAL,
                prefix=_prefix("c", record),
                initial={"classification": record.classification, "classification_basis": record.classification_basis},
            ),
        }
        for record in records
    ]
    return render_page(
        request, "confidentiality/declassification.html", {"rows": rows, "today": today}, section="declassification"
    )


@security_officer_required
@require_POST
def declassification_decide(request, content_type_id, pk):
    """解密 (to 内部 or 公开) or 延期/变更密级 of a record on the worklist, always with a reason."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    if model not in selectors.classified_models():
        raise Http404
    record = model.objects.registered_for(request.user).filter(pk=pk).first()
    if record is None:
        raise Http404
    person = person_of(request.user)
    decision = request.POST.get("decision")
    if decision == "declassify":
        form = forms.DeclassifyForm(request.POST, prefix=_prefix("d", record))
    elif decision == "change":
        form = forms.ReclassifyForm(
            request.POST, clearance=person.clearance, at_least=Level.CONFIDENTIAL, prefix=_prefix("c", record)
        )
    else:
        raise Http404
    back = reverse("confidentiality:declassification")
    if not form.is_valid():
        messages.error(request, forms.errors_as_text(form))
        return redirect(back)
    data = form.cleaned_data
    arguments = (
        form.classification_arguments()
        if decision == "change"
        else {"level": Level(data["classification"]), "basis": record.classification_basis}
    )
    try:
        record = services.reclassify(actor=request.user, record=record, reason=data["reason"], **arguments)
    except (ValidationError, PermissionDenied, TransitionNotAllowed) as error:
        messages.error(request, service_error_text(error))
    else:
        done = _("已解密，现为“%(mark)s”。") if decision == "declassify" else _("已变更为“%(mark)s”。")
        messages.success(request, done % {"mark": mark_of(record)})
    return redirect(back)
