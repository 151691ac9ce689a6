"""``/api/v1/calendar/``: due dates and working days for other systems."""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from office.api.serializers import StrictFieldsMixin
from office.workdays import services

MAX_RANGE_DAYS = 366


class DueDateQuery(StrictFieldsMixin, serializers.Serializer):
    start = serializers.DateField(help_text=gettext_lazy("起算日（当日不计入）"))
    amount = serializers.IntegerField(
        min_value=1, error_messages={"min_value": gettext_lazy("期限应为正整数（至少为1），不能为0或负数。")}
    )
    unit = serializers.ChoiceField(choices=services.PeriodUnit.choices)

    def validate(self, attrs):
        limit = services.MAX_AMOUNT[attrs["unit"]]
        if attrs["amount"] > limit:
            raise serializers.ValidationError({"amount": [_("不能超过 %(max)d。") % {"max": limit}]})
        return attrs


class DueDateView(APIView):
    @extend_schema(
        summary=gettext_lazy("计算期限届满日"),
        parameters=[DueDateQuery],
        responses=inline_serializer(
            "DueDate",
            {
                "due_date": serializers.DateField(),
                "derivation": serializers.CharField(),
                "calendar_complete": serializers.BooleanField(),
            },
        ),
    )
    def get(self, request):
        query = DueDateQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        try:
            result = services.due_date(**query.validated_data)
        except services.PeriodOutOfRange as exc:
            raise serializers.ValidationError({"amount": [str(exc)]}) from exc
        return Response(
            {
                "due_date": result.due_date,
                "derivation": result.derivation,
                "calendar_complete": result.calendar_complete,
            }
        )


class WorkdaysQuery(StrictFieldsMixin, serializers.Serializer):
    # "from" is a Python keyword: the field is declared under its query-string name below.
    to = serializers.DateField()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        return fields

    def validate(self, attrs):
        if attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": [_("结束日期不能早于开始日期。")]})
        if attrs["to"] - attrs["from"] >= timedelta(days=MAX_RANGE_DAYS):
            raise serializers.ValidationError({"to": [_("一次最多查询 %(days)d 天。") % {"days": MAX_RANGE_DAYS}]})
        return attrs


class WorkdaysView(APIView):
    @extend_schema(
        summary=gettext_lazy("查询日期范围内的工作日与休息日"),
        parameters=[WorkdaysQuery],
        responses=inline_serializer(
            "Workdays",
            {
                "calendar_complete": serializers.BooleanField(),
                "workday_count": serializers.IntegerField(),
                "days": inline_serializer(
                    "WorkdaysDay",
                    {
                        "date": serializers.DateField(),
                        "is_workday": serializers.BooleanField(),
                        "description": serializers.CharField(),
                    },
                    many=True,
                ),
            },
        ),
    )
    def get(self, request):
        query = WorkdaysQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        first, last = query.validated_data["from"], query.validated_data["to"]
        days = services.workdays_between(first, last)
        return Response(
            {
                "calendar_complete": services.calendar_complete(first, last),
                "workday_count": sum(1 for _day, is_workday, _why in days if is_workday),
                "days": [{"date": day, "is_workday": is_workday, "description": why} for day, is_workday, why in days],
            }
        )
