"""Who may see a classified record: the one rule every read path starts from.

A person sees a record when its level is within their clearance **and** they are inside its
知悉范围: a participant the model declares (its creator, assignee, a member of an assigned unit
or of a unit below it within the same organ), a holder of a grant (to them, or to their unit or a
unit above it within their organ), or the
record is 公开/内部 and belongs to their organ. Everyone else — anonymous callers, people without
a Person, deactivated logins — sees nothing. Superusers get no exemption: need-to-know has none.

The rule is kept as keys on the record (``access.py``), so a list is one query on the record's own
columns however many grants exist; ``declared_q`` is the same rule read from the declarations.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.http import Http404
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from office.confidentiality.levels import Level

NOTHING = Q(pk__in=[])


def person_of(user):
    """The Person behind a login, or None (anonymous, inactive, or a login without a person)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "person", None)


def lineage_of(person) -> list[int]:
    """The person's unit and the units above it within their organ, cached on the person for the
    request: a record held by (or granted to) one of these is the person's unit's business. The
    climb stops at the organ — a bureau under the city government is an organ of its own."""
    return person.units()


def grant_models(model) -> tuple[type[models.Model], type[models.Model]]:
    """The guardian direct foreign-key permission models a classifiable model declares."""
    user_model = group_model = None
    for relation in model._meta.related_objects:
        related = relation.related_model
        if issubclass(related, UserObjectPermissionBase):
            user_model = related
        elif issubclass(related, GroupObjectPermissionBase):
            group_model = related
    if user_model is None or group_model is None:
        raise TypeError(f"{model.__name__} declares no direct grant tables (UserObjectPermissionBase/Group…)")
    return user_model, group_model


def _participant_q(model, field: str, value) -> Q:
    lookup = Q(**{field: value})
    path = field.removesuffix("__in").split("__")[0]
    model_field = model._meta.get_field(path)
    if model_field.many_to_many or model_field.one_to_many:
        # A multi-valued path would duplicate rows: ask through an id sub-query instead.
        return Q(pk__in=model._default_manager.filter(lookup).values("pk"))
    return lookup


def visible_q(model, user) -> Q:
    """Within clearance, and one of the person's keys among the record's (``access.py``): two
    conditions on the record's own columns, whatever the model declares."""
    from office.confidentiality.access import person_keys

    person = person_of(user)
    if person is None:
        return NOTHING
    return Q(classification__lte=person.clearance, access_keys__overlap=person_keys(model, person)) & not_barred_q(
        model, person
    )


def not_barred_q(model, person) -> Q:
    """Not excluded from the record (``excluded_*_fields``: a 检举控告's accused person and unit):
    a bar no grant, unit scope or figure permission lifts. Empty for a model that bars nobody."""
    from office.confidentiality.access import person_bar_keys

    if not (model.excluded_person_fields or model.excluded_unit_fields):
        return Q()
    if person is None:
        return NOTHING
    return ~Q(barred_keys__overlap=person_bar_keys(person))


def declared_q(model, user) -> Q:
    """The same rule read straight from the declarations, through joins and grant sub-queries:
    the reference the stored keys are checked against (``manage.py access_keys --check``, the
    tests), too slow to list with at scale."""
    person = person_of(user)
    if person is None:
        return NOTHING
    lineage = lineage_of(person)
    scope = Q()
    for field in model.participant_person_fields:
        scope |= _participant_q(model, field, person)
    for field in model.participant_unit_fields:
        scope |= _participant_q(model, f"{field}__in", lineage)

    user_grants, group_grants = grant_models(model)
    permission = {
        "permission__content_type": ContentType.objects.get_for_model(model),
        "permission__codename": f"view_{model._meta.model_name}",
    }
    scope |= Q(pk__in=user_grants.objects.filter(user=user, **permission).values("content_object_id"))
    scope |= Q(pk__in=group_grants.objects.filter(group__unit__in=lineage, **permission).values("content_object_id"))
    if model.organ_field and person.unit.organ_id is not None:
        organ_open = Q(classification__lte=Level.INTERNAL, **{model.organ_field: person.unit.organ_id})
        if model.organ_closed_field:
            organ_open &= ~Q(**{model.organ_closed_field: True})
        scope |= organ_open
    barred = Q()
    for field in model.excluded_person_fields:
        barred |= Q(**{field: person})
    for field in model.excluded_unit_fields:
        barred |= Q(**{f"{field}__in": lineage})
    if barred:
        scope &= ~barred
    return Q(classification__lte=person.clearance) & scope


def is_security_officer(user) -> bool:
    from office.org.models import Role

    return person_of(user) is not None and user.has_role(Role.SECURITY_OFFICER)


def is_auditor(user) -> bool:
    """The 安全审计员 of 三员分立: reads the access and security log, changes nothing."""
    from office.org.models import Role

    return person_of(user) is not None and user.has_role(Role.AUDITOR)


def reads_access_log(user) -> bool:
    """Who opens the access and security log: the 保密员 and the 安全审计员."""
    return is_security_officer(user) or is_auditor(user)


def register_q(model, user) -> Q:
    """A 保密员's register scope: records of their organ within their clearance."""
    person = person_of(user)
    if person is None or not is_security_officer(user) or not model.organ_field:
        return NOTHING
    return Q(classification__lte=person.clearance, **{model.organ_field: person.unit.organ_id}) & not_barred_q(
        model, person
    )


def get_visible_or_404(model_or_queryset, user, pk):
    """The record if ``user`` may see it; otherwise 404 — its existence is a secret too."""
    queryset = (
        model_or_queryset if isinstance(model_or_queryset, models.QuerySet) else model_or_queryset._default_manager
    )
    return get_or_404(queryset.visible_to(user), user, pk)


def get_or_404(scoped_queryset, user, pk):
    """The record from an already scoped queryset, or 404. A miss on a record that exists is a
    security event (``denied`` in the audit log)."""
    try:
        return scoped_queryset.get(pk=pk)
    except (scoped_queryset.model.DoesNotExist, ValueError, TypeError):
        from office.confidentiality import audit

        hidden = scoped_queryset.model._default_manager.filter(pk=pk).first() if str(pk).isdigit() else None
        if hidden is not None:
            audit.record(user, audit.AuditAction.DENIED, obj=hidden, detail={"reason": "outside scope or clearance"})
        raise Http404 from None


def exportable(queryset: models.QuerySet) -> models.QuerySet:
    """The rows of ``queryset`` that may leave the screen in a file (every .xlsx/.csv register,
    ledger and log export): 绝密 is shown on screen only (DESIGN.md, "Classification"), so a 绝密
    row — its title, level, unit, state — is in no export. ``exclude`` keeps rows of no level (an
    audit event about no record)."""
    return queryset.exclude(classification=Level.TOP_SECRET)


def can_view_global_statistics(user) -> bool:
    """Organisation-wide figures (counting records one may not see) need an explicit permission."""
    return bool(person_of(user)) and user.has_perm("confidentiality.view_global_statistics")
