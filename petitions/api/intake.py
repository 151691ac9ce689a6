"""``POST /api/v1/petitions/intake/``: a 信访事项 sent by another system — the 12345 hotline, the
online portal, the e-mail gateway, the 领导信箱 — through an API account that holds the 信访员 role
(``services.may_register``, the rule the page and ``petitions/cases/`` ask too).

Idempotent on the sender's own number, ``external_id`` (the 12345 工单号, the portal's 件号): it is
kept as the case's ``superior_number`` (上级转交编号, the number the matter came under), and a
second call with the same number on the same channel in the caller's organ registers nothing and
answers the first case (200; 201 when it is created). Calls racing with one number are serialized
by a transaction-scoped advisory lock on (organ, channel, number)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status, viewsets

from office.api.helpers import valid
from office.confidentiality.visibility import person_of
from petitions import services
from petitions.api.inputs import IntakeSerializer
from petitions.api.serializers import CaseDetailSerializer
from petitions.api.viewsets import CaseAnswerMixin
from petitions.models import PetitionCase

LOCK_NAMESPACE = 0x5E7  # pg_advisory_xact_lock(namespace, key): petitions intake


def existing(user, organ, channel: str, external_id: str) -> PetitionCase | None:
    """The case already registered under ``external_id`` (None when there is none). One the caller
    may not see is refused rather than shown."""
    found = PetitionCase.objects.filter(organ=organ, channel=channel, superior_number=external_id).order_by("pk")
    first = found.first()
    if first is None:
        return None
    if not PetitionCase.objects.visible_to(user).filter(pk=first.pk).exists():
        raise exceptions.ValidationError({"external_id": [_("该编号的信访事项已由其他部门登记。")]})
    return first


class PetitionIntakeViewSet(CaseAnswerMixin, viewsets.GenericViewSet):
    """The intake endpoint of other systems: one route, ``POST``."""

    model = PetitionCase
    queryset = PetitionCase.objects.none()  # nothing is read by id here
    serializer_class = CaseDetailSerializer
    pagination_class = None
    http_method_names = ["post", "options"]

    @extend_schema(request=IntakeSerializer, responses={200: CaseDetailSerializer, 201: CaseDetailSerializer})
    def create(self, request, *args, **kwargs):
        """登记 a 信访事项 from 12345 or the portal; the same ``external_id`` again answers the first
        case (200) instead of registering a second."""
        if not services.may_register(request.user):
            raise PermissionDenied(_("信访事项由信访员登记：请使用具有信访员角色的接口账号。"))
        data = dict(valid(IntakeSerializer, request.data))
        external_id = data.pop("external_id")
        data.setdefault("received_on", timezone.localdate())
        arguments = IntakeSerializer.arguments_of(data)
        person = person_of(request.user)
        organ = person.unit.organ or person.unit
        with transaction.atomic():
            with connection.cursor() as cursor:
                key = f"{organ.pk}:{data['channel']}:{external_id}"
                cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [LOCK_NAMESPACE, key])
            case = existing(request.user, organ, data["channel"], external_id)
            if case is not None:
                return self._respond(case, status.HTTP_200_OK)
            case = services.case_register(actor=request.user, superior_number=external_id, **arguments)
        return self._respond(case, status.HTTP_201_CREATED)
