"""Reads for the 保密 pages and API. Records come from visible_to() (what a person may read) or,
for a 保密员's registers, from registered_for() (their organ's records within their clearance,
register fields only). The access log is for the 保密员 and the 安全审计员."""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from office.confidentiality.levels import Level
from office.confidentiality.models import AuditEvent, Carrier, Classified, ClassifiedCopy, CopyRequest, CopyState
from office.confidentiality.visibility import is_auditor, is_security_officer, lineage_of, person_of


def classified_models() -> list[type[Classified]]:
    """Every concrete classifiable model of every installed app."""
    return [model for model in apps.get_models() if issubclass(model, Classified) and not model._meta.abstract]


def carrier_list_visible(*, user, filters: dict | None = None) -> QuerySet[Carrier]:
    return Carrier.objects.visible_to(user).select_related("unit", "created_by").filter(**(filters or {}))


def declassification_worklist(*, user, today: date) -> list[Classified]:
    """Records whose term has run out or whose 解密条件 is flagged, in the 保密员's register."""
    if not is_security_officer(user):
        return []
    due = Q(classification__gte=Level.CONFIDENTIAL) & (Q(declassify_due__lte=today) | Q(declassify_condition_met=True))
    rows: list[Classified] = []
    for model in classified_models():
        rows.extend(model.objects.registered_for(user).filter(due).order_by("declassify_due", "pk"))
    return rows


# What a row of the 份号 register shows besides the copy itself.
COPY_RELATIONS = (
    "content_type",
    "holder_person",
    "holder_unit",
    "issued_by",
    "destruction_requested_by",
    "destruction_confirmed_by",
)


def copy_register(*, user, overdue_on: date | None = None, state: str | None = None) -> QuerySet[ClassifiedCopy]:
    """The 份号 register of the records in the 保密员's register scope."""
    if not is_security_officer(user):
        return ClassifiedCopy.objects.none()
    scope = Q(pk__in=[])
    for model in classified_models():
        scope |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=model.objects.registered_for(user).values("pk"),
        )
    copies = ClassifiedCopy.objects.filter(scope).select_related(*COPY_RELATIONS)
    if state:
        copies = copies.filter(state=state)
    if overdue_on is not None:
        copies = copies.filter(due_back__lt=overdue_on, state__in=[CopyState.ISSUED, CopyState.SIGNED])
    return copies


def copies_held_by(*, user) -> QuerySet[ClassifiedCopy]:
    """The copies a person holds, personally or through their unit (or one above it, within their organ)."""
    person = person_of(user)
    if person is None:
        return ClassifiedCopy.objects.none()
    return (
        ClassifiedCopy.objects.filter(Q(holder_person=person) | Q(holder_unit__in=lineage_of(person)))
        .exclude(state=CopyState.DESTROYED)
        .select_related(*COPY_RELATIONS)
    )


def copy_requests_for(*, user) -> QuerySet[CopyRequest]:
    """A person's own requests and those they decided; for leaders also those waiting for a
    decision in their organ."""
    from office.org.models import Role

    person = person_of(user)
    if person is None:
        return CopyRequest.objects.none()
    scope = Q(requested_by=person) | Q(decided_by=person)
    if user.has_role(Role.LEADER):
        scope |= Q(requested_by__unit__organ=person.unit.organ_id, state="pending")
    return CopyRequest.objects.filter(scope).select_related("requested_by", "decided_by", "content_type")


def access_log(*, user, filters: dict | None = None) -> QuerySet[AuditEvent]:
    """The access and security log: the 保密员 and the 安全审计员 read it; nobody else does (not
    even superusers). A 保密员 keeps their own organ's log; the 安全审计员 reads his organ's rows
    and the rows of no organ (security events of logins without a unit, the chain's own events).
    Either way rows naming records above the reader's clearance stay out of sight. What a row's
    detail shows (search terms) is ``audit.shown_detail``'s business."""
    person = person_of(user)
    if is_security_officer(user):
        organ = Q(organ_id=person.unit.organ_id)
    elif is_auditor(user):
        organ = Q(organ_id=person.unit.organ_id) | Q(organ__isnull=True)
    else:
        return AuditEvent.objects.none()
    within = organ & (Q(classification__isnull=True) | Q(classification__lte=person.clearance))
    return AuditEvent.objects.select_related("content_type").filter(within, **(filters or {})).order_by("-id")
