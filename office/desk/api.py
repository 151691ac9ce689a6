"""``/api/v1/desk/``: the desk for other systems (政务微信/钉钉, mobile clients) — the same tabs,
items and counts as the home page, and 批量已阅."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from office.api.serializers import StrictFieldsMixin
from office.desk import providers
from office.desk.providers import TAB_KEYS, TODO


class DeskQuery(StrictFieldsMixin, serializers.Serializer):
    tab = serializers.ChoiceField(
        choices=TAB_KEYS,
        required=False,
        default=TODO,
        help_text=gettext_lazy("待办 todo、待阅 read、已办 done、我发起 started、跟踪 followed"),
    )


class DeskItemSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=gettext_lazy("事项标识：批量已阅时回传"))
    module = serializers.CharField(help_text=gettext_lazy("模块：发文、收文、督办"))
    provider = serializers.CharField()
    section = serializers.CharField()
    section_label = serializers.CharField(help_text=gettext_lazy("环节：待核稿、待签发、传阅……"))
    tab = serializers.CharField()
    record_id = serializers.IntegerField(source="record.pk")
    title = serializers.CharField()
    reference = serializers.CharField(help_text=gettext_lazy("文号或编号，可为空"))
    url = serializers.CharField(help_text=gettext_lazy("办理页面（站内路径）"))
    classification = serializers.IntegerField()
    urgency = serializers.CharField(help_text=gettext_lazy("空、urgent（加急/紧急）、extra_urgent（特急）"))
    urgency_label = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    since = serializers.DateTimeField(allow_null=True)
    on_behalf_of = serializers.CharField(help_text=gettext_lazy("委托人姓名：代其办理的事项；本人的为空"))
    readable = serializers.SerializerMethodField()

    def get_readable(self, item) -> bool:
        return item.readable_id is not None


COUNTS = inline_serializer(
    "DeskCounts",
    {
        "todo": serializers.IntegerField(),
        "read": serializers.IntegerField(),
        "done": serializers.IntegerField(required=False),
        "started": serializers.IntegerField(required=False),
        "followed": serializers.IntegerField(required=False),
    },
)


class DeskView(APIView):
    @extend_schema(
        summary=gettext_lazy("我的工作台"),
        parameters=[DeskQuery],
        responses=inline_serializer(
            "Desk",
            {"tab": serializers.CharField(), "counts": COUNTS, "results": DeskItemSerializer(many=True)},
        ),
    )
    def get(self, request):
        query = DeskQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        tab = query.validated_data["tab"]
        items, counts = providers.desk(request.user, tab)
        return Response({"tab": tab, "counts": counts, "results": DeskItemSerializer(items, many=True).data})


class DeskReadBody(StrictFieldsMixin, serializers.Serializer):
    keys = serializers.ListField(
        child=serializers.CharField(max_length=80),
        min_length=1,
        max_length=200,
        help_text=gettext_lazy("待阅事项的 key"),
    )


class DeskReadView(APIView):
    @extend_schema(
        summary=gettext_lazy("批量已阅"),
        request=DeskReadBody,
        responses=inline_serializer(
            "DeskRead", {"read": serializers.IntegerField(), "skipped": serializers.IntegerField()}
        ),
    )
    def post(self, request):
        body = DeskReadBody(data=request.data)
        body.is_valid(raise_exception=True)
        keys = body.validated_data["keys"]
        done = providers.mark_read(request.user, keys)
        return Response({"read": done, "skipped": len(keys) - done})
