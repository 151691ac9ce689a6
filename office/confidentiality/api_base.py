"""The choke points a classifiable endpoint or page is built on, so none can forget visible_to.

``VisibleViewSetMixin`` (API) and ``VisibleObjectMixin`` (pages) take their rows from
``Model.objects.visible_to(user)``: lists, counts and details alike. A detail outside the
person's reach is a 404 (and a ``denied`` audit event); a detail above 内部 writes a ``view``
access-log row. ``VisibleToFilterBackend`` applies the rule again on any queryset it is given.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from rest_framework.filters import BaseFilterBackend
from rest_framework.response import Response

from office.confidentiality import audit
from office.confidentiality.visibility import get_or_404, get_visible_or_404


class VisibleToFilterBackend(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        return queryset.visible_to(request.user)


class VisibleViewSetMixin:
    """For DRF viewsets over a :class:`~office.confidentiality.models.Classified` model."""

    model = None  # set by the viewset

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def filter_queryset(self, queryset):
        return VisibleToFilterBackend().filter_queryset(self.request, super().filter_queryset(queryset), self)

    def get_object(self):
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        obj = get_visible_or_404(self.get_queryset(), self.request.user, lookup)
        self.check_object_permissions(self.request, obj)
        return obj

    def get_managed_object(self):
        """For actions on the register (scope, level, copies): the records the caller may see,
        and for a 保密员 also their organ's records within their clearance (the register scope)."""
        user = self.request.user
        managed = self.model.objects.filter(
            Q(pk__in=self.model.objects.visible_to(user).values("pk"))
            | Q(pk__in=self.model.objects.registered_for(user).values("pk"))
        )
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        return get_or_404(managed, user, lookup)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        audit.record_read(request.user, obj, request=request)
        return Response(self.get_serializer(obj).data)


class VisibleObjectMixin(LoginRequiredMixin):
    """For Django detail pages: the object comes from the visible set, its read is logged."""

    model = None
    read_action = audit.AuditAction.VIEW

    def get_object(self, queryset=None):
        obj = get_visible_or_404(
            queryset if queryset is not None else self.model.objects.all(), self.request.user, self.kwargs["pk"]
        )
        audit.record_read(self.request.user, obj, request=self.request, action=self.read_action)
        return obj
