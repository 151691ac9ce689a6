"""``PublicationViewSet``: the 主动公开 the caller may see (the published and repealed ones, and the
others whose 公文 he may read), the steps of ``rules.PUBLICATION`` as actions, and ``feed/``, the
portal's feed of the 公开目录 (published only, newest first).

A publication not yet public is a 404 for whoever may not read its 公文, on the detail and every
action, and absent from the list and its count; its 保密审查 and clock are shown only to those who
may read the 公文, even once it is public."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from documents.models import OutgoingDocument
from office.api.helpers import query_of, valid
from office.reminders import services as reminders
from petitions.disclosure import publication as publishing
from petitions.disclosure import selectors
from petitions.disclosure.api import inputs
from petitions.disclosure.api.serializers import FeedItemSerializer, PublicationDetailSerializer, PublicationSerializer
from petitions.disclosure.models import Publication, PublicationState

OUT_OF_REACH = OpenApiResponse(description=gettext_lazy("办理后本人已看不到该主动公开（无内容）"))


def action_schema(request_serializer):
    return extend_schema(request=request_serializer, responses={200: PublicationDetailSerializer, 204: OUT_OF_REACH})


class PublicationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """主动公开 of 发文: listed, read, reviewed, published and repealed; made by the 核发 of a 发文
    whose 公开属性 is 主动公开, never through this API."""

    model = Publication
    serializer_class = PublicationDetailSerializer
    filter_backends = []  # the query serializers filter, through the selectors
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if self.action == "list":
            filters = query_of(inputs.PublicationQuery, self.request)
            return selectors.publications_visible(user=self.request.user, filters=filters).order_by("-made_on", "-id")
        return selectors.publications_visible(user=self.request.user)

    def get_serializer_class(self):
        return PublicationSerializer if self.action == "list" else PublicationDetailSerializer

    def _respond(self, publication: Publication) -> Response:
        """The publication as it is now, if the caller may still see it."""
        found = selectors.publications_visible(user=self.request.user).filter(pk=publication.pk).first()
        if found is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        reads_document = OutgoingDocument.objects.visible_to(self.request.user).filter(pk=found.document_id).exists()
        context = {
            "request": self.request,
            "reads_document": reads_document,
            "clocks": reminders.deadlines_of(found) if reads_document else [],
        }
        return Response(PublicationDetailSerializer(found, context=context).data)

    @extend_schema(parameters=[inputs.PublicationQuery])
    def list(self, request, *args, **kwargs):
        """主动公开: those the caller may see, the newest 核发 first."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: PublicationDetailSerializer})
    def retrieve(self, request, *args, **kwargs):
        """A 主动公开 with (for those who may read its 公文) its 保密审查 and clock, and the steps the
        caller may take now."""
        return self._respond(self.get_object())

    @extend_schema(parameters=[inputs.FeedQuery], responses={200: FeedItemSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def feed(self, request, *args, **kwargs):
        """The portal's feed (公开目录): what is published now — never what is pending, withheld or
        repealed — the newest first."""
        query = query_of(inputs.FeedQuery, request)
        since = query.pop("since", None)
        rows = selectors.catalogue(filters={**query, "state": PublicationState.PUBLISHED})
        if since is not None:
            rows = rows.filter(published_on__gte=since)
        rows = rows.select_related("document__number").order_by("-published_on", "-id")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(FeedItemSerializer(page, many=True).data)

    @action_schema(inputs.PublicationReviewSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, *args, **kwargs):
        """公开前保密审查 (a 保密员 of the organ): cleared → 待发布; 不得公开 → 不予公开."""
        found = self.get_object()
        data = valid(inputs.PublicationReviewSerializer, request.data)
        publishing.publication_review(actor=request.user, publication=found, **data)
        return self._respond(found)

    @action_schema(inputs.PublishSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        """发布 (a 政务公开员 of the organ): into the 公开目录 and the portal's feed; the clock is met."""
        found = self.get_object()
        data = valid(inputs.PublishSerializer, request.data)
        return self._respond(publishing.publication_publish(actor=request.user, publication=found, **data))

    @action_schema(inputs.RepealSerializer)
    @action(detail=True, methods=["post"])
    def repeal(self, request, *args, **kwargs):
        """废止: the 公文 stays in the 公开目录 marked 已废止, and leaves the portal's feed."""
        found = self.get_object()
        data = valid(inputs.RepealSerializer, request.data)
        return self._respond(publishing.publication_repeal(actor=request.user, publication=found, **data))
