"""``/api/v1/notifications/`` and ``/api/v1/reminders/``: the caller's own, nobody else's.

Notifications are the caller's own (another's id is a 404); marking them read goes through the
service. Reminders are the caller's open deadlines (``selectors.my_deadlines``), read-only, with
the subject masked where it is a classified record the caller may not see.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from office.api.helpers import query_of, valid
from office.api.serializers import EmptyBody, ListQuery
from office.reminders import selectors, services
from office.reminders.models import Deadline, Notification
from office.workdays.services import WorkCalendar

# --- Notifications ---------------------------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    subject = serializers.CharField(source="subject_repr", read_only=True)
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "verb", "subject", "link", "created_at", "read_at", "unread"]
        read_only_fields = fields

    def get_unread(self, notification) -> bool:
        return notification.read_at is None


class NotificationQuerySerializer(ListQuery):
    """The list's query parameters (the page parameters are the pagination's own)."""

    unread = serializers.BooleanField(required=False, allow_null=True, default=None)


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's notifications, newest first. ``?unread=1`` for the unread ones only."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        return selectors.notifications_for(self.request.user)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action != "list":
            return queryset
        unread = query_of(NotificationQuerySerializer, self.request).get("unread")
        if unread is not None:
            queryset = queryset.filter(read_at__isnull=unread)
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("unread", bool, description=str(_("1：只列未读；0：只列已读；不传：全部。"))),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=EmptyBody, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of the caller's notifications read (another person's: 404)."""
        valid(EmptyBody, request.data)
        notification = services.notification_mark_read(actor=request.user, notification=self.get_object())
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        request=EmptyBody,
        responses={200: inline_serializer("NotificationsMarked", {"marked": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all of the caller's unread notifications read; answers how many were."""
        valid(EmptyBody, request.data)
        return Response({"marked": services.notifications_mark_all_read(actor=request.user)})


# --- Reminders (the caller's open deadlines) ----------------------------------------------------


class ReminderSerializer(serializers.ModelSerializer):
    """A deadline as its responsible person sees it. ``days_left`` counts in the clock's unit
    (working days for a working-day clock, otherwise calendar days), 0 on the due day, negative
    calendar days once overdue, null while suspended."""

    subject = serializers.SerializerMethodField()
    kind = serializers.CharField(source="kind_id", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    days_left = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = [
            "id",
            "subject",
            "kind",
            "kind_name",
            "due_date",
            "unit",
            "amount",
            "days_left",
            "overdue",
            "suspended",
            "derivation",
            "state",
        ]
        read_only_fields = fields

    def get_subject(self, deadline) -> str:
        return self.context["labels"][deadline.pk]

    def get_days_left(self, deadline) -> int | None:
        return self._status(deadline).days_left

    def get_overdue(self, deadline) -> bool:
        return self._status(deadline).overdue

    def _status(self, deadline) -> selectors.DeadlineStatus:
        cache = self.context.setdefault("statuses", {})
        if deadline.pk not in cache:
            cache[deadline.pk] = selectors.deadline_status(
                deadline, today=self.context["today"], calendar=self.context["calendar"]
            )
        return cache[deadline.pk]


class ReminderViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's open deadlines, soonest first (suspended ones last)."""

    serializer_class = ReminderSerializer

    def get_queryset(self):
        return selectors.my_deadlines(user=self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._serialize(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._serialize(self.get_object()))

    def _serialize(self, data, *, many: bool = False):
        rows = list(data) if many else [data]
        context = {
            **self.get_serializer_context(),
            "labels": selectors.subject_labels(rows, user=self.request.user),
            "today": timezone.localdate(),
            "calendar": WorkCalendar(),
        }
        return ReminderSerializer(data, many=many, context=context).data
