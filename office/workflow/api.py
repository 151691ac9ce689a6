"""What every flow's API shares: ``RecordViewSet`` (the list and its register export through the
flow's list selector, a detail in a fixed number of queries, an action answered with the record
re-read from the caller's visible set), the 流转记录 line of a state machine's event, and the steps
offered to the caller (``offers_of``: ``machine.offered``, with each step's route)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from office.api.helpers import query_of
from office.api.pagination import RecordPagination
from office.confidentiality import audit
from office.confidentiality.api_base import VisibleViewSetMixin


class TransitionSerializer(serializers.Serializer):
    """One line of the 流转记录."""

    action = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor_name = serializers.CharField()
    comment = serializers.CharField()
    at = serializers.DateTimeField()


class EventSerializer(TransitionSerializer):
    """One line of the 流转记录 of a flow's own event table (its action shown translated)."""

    action = serializers.SerializerMethodField()

    def get_action(self, event) -> str:
        return _(event.action)


class OfferSerializer(serializers.Serializer):
    """A step the caller may take now (``machine.offered``), its route and what it will do."""

    step = serializers.CharField(help_text=gettext_lazy("rules.CASE 的环节名，如 hearing_end"))
    path = serializers.CharField(help_text=gettext_lazy("动作的路径段，如 hearing-end"))
    label = serializers.CharField()
    options = serializers.ListField(child=serializers.CharField(), allow_null=True)
    confirmation = serializers.CharField(help_text=gettext_lazy("不可逆环节须先确认的说明；无则为空"))


def offers_of(machine, user, record, routes: dict[str, str] | None = None) -> list[dict]:
    """The steps ``user`` may take on ``record`` now (``machine.offered``), each with its route: the
    step's name with dashes, or, given ``routes`` (step → path), that path — a step the API does not
    route is then left out."""
    offers = []
    for step, options in machine.offered(user, record).items():
        if routes is not None and step not in routes:
            continue
        offers.append(
            {
                "step": step,
                "path": routes[step] if routes is not None else step.replace("_", "-"),
                "label": _(machine.step(step).label),
                "options": options if isinstance(options, list) else None,
                "confirmation": machine.confirmation(user, record, step),
            }
        )
    return OfferSerializer(offers, many=True).data


class RecordViewSet(VisibleViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A flow's viewset: set ``model``, the serializers, ``query_class`` (the list's filters),
    ``list_visible`` (the selector: ``(*, user, filters, text)`` → queryset from ``visible_to``)
    and ``detail_queryset``; ``list_shape`` narrows what the list action selects."""

    filter_backends = []  # query_class does the filtering, through the selector
    pagination_class = RecordPagination  # page numbers, or keyset pages with ?cursor= (the list)
    query_class: type[serializers.Serializer]
    list_serializer_class: type[serializers.Serializer]
    list_visible = None  # staticmethod(selector(*, user, filters, text))
    list_actions: tuple[str, ...] = ("list", "register_export")  # the actions over the filtered list
    list_shape = None  # staticmethod(queryset -> queryset), for the list action only
    detail_queryset = None  # staticmethod(queryset -> queryset)
    detail_actions: tuple[str, ...] = ("retrieve",)  # the actions that serialize ``get_object()`` as it is
    action_related: tuple[str, ...] = ()  # what an action's record selects

    def get_queryset(self):
        if self.action in self.list_actions:
            # The paginator's own parameters (``cursor`` on the list) are not filters.
            paging = self.paginator.cursor_parameters(self) if hasattr(self.paginator, "cursor_parameters") else ()
            filters = query_of(self.query_class, self.request, ignore=paging)
            text = filters.pop("q", "")
            records = self.list_visible(user=self.request.user, filters=filters, text=text)
            return self.list_shape(records) if self.list_shape and self.action == "list" else records
        if self.action in self.detail_actions:
            return self.detail_queryset(super().get_queryset())
        return super().get_queryset().select_related(*self.action_related)

    def get_serializer_class(self):
        return self.list_serializer_class if self.action == "list" else self.serializer_class

    def detail_context(self, record) -> dict:
        return {"request": self.request}

    def _respond(self, record, status_code: int = status.HTTP_200_OK) -> Response:
        """The record as it is now, from the caller's visible set (a read, logged above 内部)."""
        visible = self.model.objects.visible_to(self.request.user)
        record = self.detail_queryset(visible).filter(pk=record.pk).first()
        if record is None:  # the step took it out of the caller's reach
            return Response(status=status.HTTP_204_NO_CONTENT)
        audit.record_read(self.request.user, record, request=self.request)
        return Response(self.serializer_class(record, context=self.detail_context(record)).data, status=status_code)
