"""``/api/v1/confidentiality/``: the registers a 保密员 keeps, and what holders see of them.

- ``access-logs/``: the access and security log, with an Excel export (保密员 only);
- ``copies/``: the 份号 register (保密员) or the copies one holds (everyone else), and the copy's
  moves: issue, sign, return (清退), destruction by two people;
- ``copy-requests/``: requests to copy or excerpt classified records, and their approval;
- ``declassification/``: the review worklist of records whose 保密期限 has run out, and the decision.

Views only check shape and call selectors and services. A record named by ``record_type`` and
``record_id`` comes from the caller's reach, so one outside it is a 404 like a missing one. Rows
that mention a record show its register fields (title, level mark) only where the caller may see
the record or keeps its register, and never its content.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from office.api.helpers import EXPORT_LIMIT, XLSX, download, query_of, valid
from office.api.serializers import EmptyBody, ListQuery, StrictFieldsMixin
from office.confidentiality import audit, exports, selectors, services
from office.confidentiality.levels import Level
from office.confidentiality.models import (
    AuditAction,
    AuditEvent,
    Classified,
    CopyRequestKind,
    CopyRequestState,
    CopyState,
    TermUnit,
)
from office.confidentiality.visibility import (
    exportable,
    get_or_404,
    get_visible_or_404,
    is_security_officer,
    reads_access_log,
    register_q,
    visible_q,
)
from office.org.api import LevelField
from office.org.models import Person, Unit

OPEN_COPY_STATES = (CopyState.ISSUED, CopyState.SIGNED)


# --- Shared pieces ------------------------------------------------------------------------------


class IsSecurityOfficer(BasePermission):
    """The 保密员's registers: nobody else reads them (not even superusers)."""

    message = gettext_lazy("此项只有保密员可以查看和办理。")

    def has_permission(self, request, view) -> bool:
        return is_security_officer(request.user)


class ReadsAccessLog(BasePermission):
    """The access and security log: the 保密员 and the 安全审计员 (read only)."""

    message = gettext_lazy("访问日志只有保密员和安全审计员可以查看。")

    def has_permission(self, request, view) -> bool:
        return reads_access_log(request.user)


def record_types() -> dict[str, type[Classified]]:
    """``app_label.model`` → the classifiable model, for every classifiable model installed."""
    return {model._meta.label_lower: model for model in selectors.classified_models()}


def record_type_of(content_type: ContentType) -> str:
    return f"{content_type.app_label}.{content_type.model}"


@extend_schema_field(OpenApiTypes.STR)
class RecordTypeField(serializers.CharField):
    """A classifiable record type as ``app_label.model`` (e.g. ``confidentiality.carrier``)."""

    default_error_messages = {"unknown": gettext_lazy("未知或不可定密的记录类型“{input}”；可用：{expected}。")}

    def to_internal_value(self, data) -> type[Classified]:
        code = super().to_internal_value(data).strip().lower()
        types = record_types()
        if code not in types:
            self.fail("unknown", input=code, expected="、".join(sorted(types)))
        return types[code]

    def to_representation(self, value) -> str:
        return value._meta.label_lower


@extend_schema_field(OpenApiTypes.STR)
class ContentTypeField(serializers.CharField):
    """Any record type as ``app_label.model`` (the access log also names unclassified records)."""

    default_error_messages = {"unknown": gettext_lazy("未知的记录类型“{input}”，应为“应用.模型”形式。")}

    def to_internal_value(self, data) -> ContentType:
        code = super().to_internal_value(data).strip().lower()
        app_label, _dot, model = code.partition(".")
        try:
            return ContentType.objects.get_by_natural_key(app_label, model)
        except ContentType.DoesNotExist:
            self.fail("unknown", input=code)

    def to_representation(self, value) -> str:
        return record_type_of(value)


def start_of_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in the office's time zone (Asia/Shanghai)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def records_in_reach(rows, user) -> dict[tuple[int, int], Classified]:
    """The records that ``rows`` (copies, requests) point at and that ``user`` may see or keeps
    the register of: one query per record type, however many rows."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        wanted[row.content_type_id].add(row.object_id)
    found: dict[tuple[int, int], Classified] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not issubclass(model, Classified):
            continue
        reach = model._default_manager.filter(visible_q(model, user) | register_q(model, user), pk__in=ids)
        found.update(((content_type_id, record.pk), record) for record in reach)
    return found


def record_in_reach_or_404(model: type[Classified], user, pk: int) -> Classified:
    """A record the caller may see or keeps the register of (a 保密员's organ within clearance)."""
    reach = model._default_manager.filter(visible_q(model, user) | register_q(model, user))
    return get_or_404(reach, user, pk)


class RecordColumns(serializers.Serializer):
    """The columns a row about a record shows: its type and id, and, where the caller may see
    the record or keeps its register, its title and level mark. Never its content."""

    record_type = serializers.SerializerMethodField()
    record_id = serializers.IntegerField(source="object_id", read_only=True)
    record_title = serializers.SerializerMethodField()
    level = serializers.SerializerMethodField()
    level_mark = serializers.SerializerMethodField()

    def _record(self, row) -> Classified | None:
        return self.context.get("records", {}).get((row.content_type_id, row.object_id))

    def get_record_type(self, row) -> str:
        return record_type_of(row.content_type)

    def get_record_title(self, row) -> str | None:
        record = self._record(row)
        return str(record) if record is not None else None

    @extend_schema_field(LevelField(allow_null=True))
    def get_level(self, row) -> str | None:
        record = self._record(row)
        return record.level.code if record is not None else None

    def get_level_mark(self, row) -> str | None:
        record = self._record(row)
        return str(record.level_mark) if record is not None else None


def person_name(person: Person | None) -> str | None:
    return person.name if person is not None else None


# --- The access and security log ---------------------------------------------------------------


class AccessLogSerializer(serializers.ModelSerializer):
    actor = serializers.IntegerField(source="actor_id", read_only=True, allow_null=True)
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    object_type = serializers.SerializerMethodField()
    classification = serializers.SerializerMethodField()
    detail = serializers.SerializerMethodField(help_text=gettext_lazy("详情；检索词仅对足够密级的安全审计员显示"))

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "action",
            "action_label",
            "object_type",
            "object_id",
            "object_repr",
            "classification",
            "ip_address",
            "detail",
            "hash",
            "prev_hash",
        ]
        read_only_fields = fields

    def get_object_type(self, event) -> str | None:
        return record_type_of(event.content_type) if event.content_type_id else None

    @extend_schema_field(LevelField(allow_null=True))
    def get_classification(self, event) -> str | None:
        return Level(event.classification).code if event.classification is not None else None

    def get_detail(self, event) -> dict:
        return audit.shown_detail(event.detail, terms_up_to=self.context["terms_up_to"])


class AccessLogQuery(ListQuery):
    actor = serializers.IntegerField(required=False, min_value=1, help_text=gettext_lazy("操作人（登录账号编号）"))
    action = serializers.ChoiceField(choices=AuditAction.choices, required=False)
    object_type = ContentTypeField(required=False, help_text=gettext_lazy("记录类型，如 confidentiality.carrier"))
    object_id = serializers.CharField(required=False, max_length=64)
    to = serializers.DateField(required=False, help_text=gettext_lazy("截止日期（含当日，北京时间）"))
    q = serializers.CharField(required=False, max_length=100, help_text=gettext_lazy("操作人姓名或记录名称包含"))

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword: declared here under its query-string name.
        fields["from"] = serializers.DateField(required=False, help_text=gettext_lazy("起始日期（含当日，北京时间）"))
        return fields

    def validate(self, attrs):
        if "from" in attrs and "to" in attrs and attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": [_("结束日期不能早于开始日期。")]})
        return attrs


def access_log_filters(query: dict) -> tuple[dict, Q]:
    """The selector's field filters, and the free-text search, from a validated query."""
    filters = {}
    if "actor" in query:
        filters["actor_id"] = query["actor"]
    if "action" in query:
        filters["action"] = query["action"]
    if "object_type" in query:
        filters["content_type"] = query["object_type"]
    if "object_id" in query:
        filters["object_id"] = query["object_id"]
    if "from" in query:
        filters["at__gte"] = start_of_day(query["from"])
    if "to" in query:
        filters["at__lt"] = start_of_day(query["to"] + timedelta(days=1))
    search = Q()
    if query.get("q"):
        search = Q(actor_name__icontains=query["q"]) | Q(object_repr__icontains=query["q"])
    return filters, search


EXPORT_COLUMNS = [
    gettext_lazy("编号"),
    gettext_lazy("时间"),
    gettext_lazy("操作人"),
    gettext_lazy("操作"),
    gettext_lazy("记录类型"),
    gettext_lazy("记录编号"),
    gettext_lazy("记录"),
    gettext_lazy("密级"),
    gettext_lazy("来源地址"),
    gettext_lazy("详情"),
    gettext_lazy("哈希"),
    gettext_lazy("上一条哈希"),
]


def access_log_workbook(events, *, terms_up_to: int | None) -> bytes:
    """The rows as an .xlsx sheet, with each row's place in the hash chain; search terms as
    ``audit.shown_detail`` lets the reader see them."""
    workbook, sheet = exports.log_workbook()
    sheet.append([str(title) for title in EXPORT_COLUMNS])
    for event in events:
        record_type = record_type_of(event.content_type) if event.content_type_id else ""
        detail = audit.shown_detail(event.detail, terms_up_to=terms_up_to)
        sheet.append(
            [
                *exports.event_cells(sheet, event, record_type=record_type, detail=detail),
                exports.text_cell(sheet, event.hash),
                exports.text_cell(sheet, event.prev_hash),
            ]
        )
    return exports.workbook_bytes(workbook)


class AccessLogViewSet(viewsets.ReadOnlyModelViewSet):
    """The access and security log (保密员 and 安全审计员, within their own clearance; read only:
    nothing here writes but the export's own audit row). Filter with
    ``actor``, ``action``, ``object_type``, ``object_id``, ``from``/``to`` (dates, Beijing time)
    and ``q``; ``export/`` gives the same rows as an Excel file and is itself logged."""

    serializer_class = AccessLogSerializer
    permission_classes = [IsAuthenticated, ReadsAccessLog]
    filter_backends = []  # the strict AccessLogQuery does the filtering

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "terms_up_to": audit.terms_readable_up_to(self.request.user)}

    def get_queryset(self):
        if self.action in ("list", "export"):
            filters, search = access_log_filters(query_of(AccessLogQuery, self.request))
            return selectors.access_log(user=self.request.user, filters=filters).filter(search)
        return selectors.access_log(user=self.request.user)

    @extend_schema(parameters=[AccessLogQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[AccessLogQuery],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description=gettext_lazy("Excel 文件"))},
    )
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The filtered rows as an .xlsx file; the export writes its own ``export`` event. Events
        about 绝密 records stay on screen (``exportable``, as in every export)."""
        events = exportable(self.get_queryset())
        rows = events[: EXPORT_LIMIT + 1].count()
        if rows > EXPORT_LIMIT:
            raise serializers.ValidationError(
                [_("符合条件的记录超过 %(max)d 条，请缩小筛选范围后再导出。") % {"max": EXPORT_LIMIT}]
            )
        terms_up_to = audit.terms_readable_up_to(request.user)
        content = access_log_workbook(events.iterator(chunk_size=2000), terms_up_to=terms_up_to)
        known = AccessLogQuery().fields
        filters = {name: value for name, value in request.query_params.dict().items() if name in known and value}
        audit.record(
            request.user,
            AuditAction.EXPORT,
            request=request,
            detail={"what": "access_log", "filters": filters, "rows": rows},
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        return download(content, content_type=XLSX, filename=f"access-log-{stamp}.xlsx")


# --- The copy register (份号) ---------------------------------------------------------------------


class CopySerializer(RecordColumns):
    id = serializers.IntegerField(read_only=True)
    copy_number = serializers.CharField(source="number_display", read_only=True, help_text=gettext_lazy("六位份号"))
    holder_person = serializers.IntegerField(source="holder_person_id", read_only=True, allow_null=True)
    holder_person_name = serializers.SerializerMethodField()
    holder_unit = serializers.IntegerField(source="holder_unit_id", read_only=True, allow_null=True)
    holder_unit_name = serializers.SerializerMethodField()
    state = serializers.ChoiceField(choices=CopyState.choices, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    issued_at = serializers.DateTimeField(read_only=True)
    issued_by_name = serializers.CharField(source="issued_by.name", read_only=True)
    due_back = serializers.DateField(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()
    signed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    returned_at = serializers.DateTimeField(read_only=True, allow_null=True)
    destruction_requested_by_name = serializers.SerializerMethodField()
    destruction_confirmed_by_name = serializers.SerializerMethodField()
    destroyed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    note = serializers.CharField(read_only=True)

    def get_holder_person_name(self, copy) -> str | None:
        return person_name(copy.holder_person)

    def get_holder_unit_name(self, copy) -> str | None:
        return copy.holder_unit.name if copy.holder_unit is not None else None

    def get_overdue(self, copy) -> bool:
        return copy.is_overdue(self.context.get("today") or timezone.localdate())

    def get_destruction_requested_by_name(self, copy) -> str | None:
        return person_name(copy.destruction_requested_by)

    def get_destruction_confirmed_by_name(self, copy) -> str | None:
        return person_name(copy.destruction_confirmed_by)


class CopyQuery(ListQuery):
    state = serializers.ChoiceField(choices=CopyState.choices, required=False)
    overdue = serializers.BooleanField(
        required=False, default=None, allow_null=True, help_text=gettext_lazy("1：只看逾期未清退的份号")
    )
    record_type = RecordTypeField(required=False)
    record_id = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs):
        if "record_id" in attrs and "record_type" not in attrs:
            raise serializers.ValidationError({"record_type": [_("按记录筛选时请同时给出记录类型。")]})
        return attrs


class CopyIssueSerializer(StrictFieldsMixin, serializers.Serializer):
    record_type = RecordTypeField(help_text=gettext_lazy("如 confidentiality.carrier"))
    record_id = serializers.IntegerField(min_value=1)
    holder_person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.active(), required=False, allow_null=True
    )
    holder_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.active(), required=False, allow_null=True)
    due_back = serializers.DateField(required=False, allow_null=True, help_text=gettext_lazy("应清退日期"))
    copy_number = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=999_999, help_text=gettext_lazy("不填则取下一个份号")
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def validate(self, attrs):
        if (attrs.get("holder_person") is None) == (attrs.get("holder_unit") is None):
            raise serializers.ValidationError({"holder_person": [_("请指定一名持有人或一个持有单位（二者选一）。")]})
        return attrs


class DestructionRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class CopyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The 份号 register for a 保密员 (the copies of their organ's records within their
    clearance); for everyone else the copies they hold, personally or through their unit.
    POST issues the next numbered copy; the actions move it: sign (签收), return (清退),
    request-destruction (经办人) and confirm-destruction (a second person, 监销人)."""

    serializer_class = CopySerializer
    filter_backends = []  # the strict CopyQuery does the filtering

    def get_queryset(self):
        user = self.request.user
        return selectors.copy_register(user=user) if is_security_officer(user) else selectors.copies_held_by(user=user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _respond(self, copies, *, many=False, status_code=status.HTTP_200_OK) -> Response:
        rows = copies if many else [copies]
        context = {**self.get_serializer_context(), "records": records_in_reach(rows, self.request.user)}
        return Response(CopySerializer(copies, many=many, context=context).data, status=status_code)

    @extend_schema(parameters=[CopyQuery])
    def list(self, request, *args, **kwargs):
        query = query_of(CopyQuery, request)
        copies = self.get_queryset()
        if "state" in query:
            copies = copies.filter(state=query["state"])
        if query.get("overdue") is not None:
            overdue = Q(due_back__lt=timezone.localdate(), state__in=OPEN_COPY_STATES)
            copies = copies.filter(overdue) if query["overdue"] else copies.exclude(overdue)
        if "record_type" in query:
            copies = copies.filter(content_type=ContentType.objects.get_for_model(query["record_type"]))
        if "record_id" in query:
            copies = copies.filter(object_id=query["record_id"])
        page = self.paginate_queryset(copies)
        rows = CopySerializer(
            page,
            many=True,
            context={**self.get_serializer_context(), "records": records_in_reach(page, request.user)},
        ).data
        return self.get_paginated_response(rows)

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    @extend_schema(request=CopyIssueSerializer, responses={201: CopySerializer})
    def create(self, request, *args, **kwargs):
        """Issue a numbered copy of a classified record (its owner, or a 保密员 of its organ)."""
        data = valid(CopyIssueSerializer, request.data)
        record = record_in_reach_or_404(data["record_type"], request.user, data["record_id"])
        copy = services.copy_issue(
            actor=request.user,
            record=record,
            holder_person=data.get("holder_person"),
            holder_unit=data.get("holder_unit"),
            due_back=data.get("due_back"),
            copy_number=data.get("copy_number"),
            note=data.get("note", ""),
        )
        return self._respond(copy, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: CopySerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """The holder signs for the copy (签收)."""
        copy = self.get_object()
        valid(EmptyBody, request.data)
        return self._respond(services.copy_sign(actor=request.user, copy=copy))

    @extend_schema(request=None, responses={200: CopySerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """The 保密员 takes the copy back (清退)."""
        copy = self.get_object()
        valid(EmptyBody, request.data)
        return self._respond(services.copy_return(actor=request.user, copy=copy))

    @extend_schema(request=DestructionRequestSerializer, responses={200: CopySerializer})
    @action(detail=True, methods=["post"], url_path="request-destruction")
    def request_destruction(self, request, pk=None):
        """A 保密员 puts a returned copy up for destruction (经办人)."""
        copy = self.get_object()
        data = valid(DestructionRequestSerializer, request.data)
        copy = services.copy_request_destruction(actor=request.user, copy=copy, note=data.get("note", ""))
        return self._respond(copy)

    @extend_schema(request=None, responses={200: CopySerializer})
    @action(detail=True, methods=["post"], url_path="confirm-destruction")
    def confirm_destruction(self, request, pk=None):
        """A second person (监销人) confirms the destruction; the 经办人 cannot."""
        copy = self.get_object()
        valid(EmptyBody, request.data)
        return self._respond(services.copy_confirm_destruction(actor=request.user, copy=copy))


# --- Copy and excerpt requests -------------------------------------------------------------------


class CopyRequestSerializer(RecordColumns):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=CopyRequestKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    copies = serializers.IntegerField(read_only=True)
    reason = serializers.CharField(read_only=True)
    requested_by = serializers.IntegerField(source="requested_by_id", read_only=True)
    requested_by_name = serializers.CharField(source="requested_by.name", read_only=True)
    requested_at = serializers.DateTimeField(read_only=True)
    state = serializers.ChoiceField(choices=CopyRequestState.choices, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    decided_by_name = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decision_note = serializers.CharField(read_only=True)
    originating_organ_approval = serializers.CharField(read_only=True)

    def get_decided_by_name(self, request) -> str | None:
        return person_name(request.decided_by)


class CopyRequestQuery(ListQuery):
    state = serializers.ChoiceField(choices=CopyRequestState.choices, required=False)


class CopyRequestCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    record_type = RecordTypeField(help_text=gettext_lazy("如 confidentiality.carrier"))
    record_id = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=CopyRequestKind.choices)
    copies = serializers.IntegerField(min_value=1, max_value=100, default=1)
    reason = serializers.CharField(max_length=300)


class CopyRequestDecisionSerializer(StrictFieldsMixin, serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    originating_organ_approval = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text=gettext_lazy("绝密级：定密机关的批准文件或批准人")
    )


class CopyRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Requests to copy or excerpt a classified record: one's own, and for a leader those of their
    organ waiting for a decision. 机密/秘密 need the organ head's approval; 绝密 also the
    classifying organ's, recorded in ``originating_organ_approval``."""

    serializer_class = CopyRequestSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.copy_requests_for(user=self.request.user).order_by("-requested_at", "-id")

    def _rows(self, requests, *, many=False):
        rows = requests if many else [requests]
        context = {**self.get_serializer_context(), "records": records_in_reach(rows, self.request.user)}
        return CopyRequestSerializer(requests, many=many, context=context).data

    @extend_schema(parameters=[CopyRequestQuery])
    def list(self, request, *args, **kwargs):
        query = query_of(CopyRequestQuery, request)
        requests = self.get_queryset()
        if "state" in query:
            requests = requests.filter(state=query["state"])
        page = self.paginate_queryset(requests)
        return self.get_paginated_response(self._rows(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._rows(self.get_object()))

    @extend_schema(request=CopyRequestCreateSerializer, responses={201: CopyRequestSerializer})
    def create(self, request, *args, **kwargs):
        """Ask to copy or excerpt a record one may see."""
        data = valid(CopyRequestCreateSerializer, request.data)
        record = get_visible_or_404(data["record_type"], request.user, data["record_id"])
        copy_request = services.copy_request_submit(
            actor=request.user, record=record, kind=data["kind"], reason=data["reason"], copies=data["copies"]
        )
        return Response(self._rows(copy_request), status=status.HTTP_201_CREATED)

    @extend_schema(request=CopyRequestDecisionSerializer, responses={200: CopyRequestSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """A leader of the organ approves or refuses."""
        copy_request = self.get_object()
        data = valid(CopyRequestDecisionSerializer, request.data)
        copy_request = services.copy_request_decide(
            actor=request.user,
            request=copy_request,
            approve=data["approve"],
            note=data.get("note", ""),
            originating_organ_approval=data.get("originating_organ_approval", ""),
        )
        return Response(self._rows(copy_request))


# --- Declassification review ---------------------------------------------------------------------


class WorklistRowSerializer(serializers.Serializer):
    """A record due for review: register fields only."""

    record_type = serializers.SerializerMethodField()
    record_id = serializers.IntegerField(source="pk", read_only=True)
    title = serializers.SerializerMethodField()
    level = LevelField(source="classification", read_only=True)
    level_mark = serializers.SerializerMethodField()
    secrecy_from = serializers.DateField(read_only=True, allow_null=True)
    declassify_due = serializers.DateField(read_only=True, allow_null=True)
    condition = serializers.CharField(source="declassify_condition", read_only=True)
    condition_met = serializers.BooleanField(source="declassify_condition_met", read_only=True)

    def get_record_type(self, record) -> str:
        return record._meta.label_lower

    def get_title(self, record) -> str:
        return str(record)

    def get_level_mark(self, record) -> str:
        return str(record.level_mark)


class DeclassificationAction:
    DECLASSIFY = "declassify"
    EXTEND = "extend"
    RELEVEL = "relevel"
    choices = [
        (DECLASSIFY, gettext_lazy("解密")),
        (EXTEND, gettext_lazy("延长保密期限")),
        (RELEVEL, gettext_lazy("变更密级")),
    ]


TERM_FIELDS = ("secrecy_term_unit", "secrecy_term_amount", "secrecy_until", "declassify_condition")


class DeclassificationDecisionSerializer(StrictFieldsMixin, serializers.Serializer):
    record_type = RecordTypeField(help_text=gettext_lazy("如 confidentiality.carrier"))
    record_id = serializers.IntegerField(min_value=1)
    action = serializers.ChoiceField(choices=DeclassificationAction.choices)
    classification = LevelField(
        required=False, help_text=gettext_lazy("解密：内部（默认）或公开；变更密级：新的密级；延长期限：不填")
    )
    secrecy_term_unit = serializers.ChoiceField(choices=TermUnit.choices, required=False, allow_blank=True)
    secrecy_term_amount = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    secrecy_until = serializers.DateField(required=False, allow_null=True)
    declassify_condition = serializers.CharField(required=False, allow_blank=True, max_length=200)
    classification_basis = serializers.CharField(required=False, allow_blank=True, max_length=200)
    reason = serializers.CharField(max_length=300)

    def validate(self, attrs):
        decision, level = attrs["action"], attrs.get("classification")
        term_given = any(attrs.get(name) not in (None, "") for name in TERM_FIELDS)
        if decision == DeclassificationAction.DECLASSIFY:
            if level is not None and level.is_classified:
                raise serializers.ValidationError({"classification": [_("解密后应为内部或公开。")]})
            if term_given:
                raise serializers.ValidationError({"secrecy_term_unit": [_("解密后的事项没有保密期限。")]})
        elif decision == DeclassificationAction.EXTEND:
            if level is not None:
                raise serializers.ValidationError(
                    {"classification": [_("延长保密期限不改变密级；要变更密级请选择“变更密级”。")]}
                )
            if not term_given:
                raise serializers.ValidationError({"secrecy_term_unit": [_("请给出延长后的保密期限。")]})
        elif decision == DeclassificationAction.RELEVEL:
            if level is None:
                raise serializers.ValidationError({"classification": [_("请给出新的密级。")]})
            if not level.is_classified:
                raise serializers.ValidationError({"classification": [_("降为内部或公开即为解密，请选择“解密”。")]})
        return attrs


class DeclassificationViewSet(viewsets.GenericViewSet):
    """The declassification review worklist of a 保密员: records of their organ, within their
    clearance, whose 保密期限 has run out or whose 解密条件 has come about. ``decide/`` declassifies,
    extends the term or changes the level, with a reason; every decision is in the audit log."""

    serializer_class = WorklistRowSerializer
    permission_classes = [IsAuthenticated, IsSecurityOfficer]
    filter_backends = []

    def list(self, request):
        query_of(ListQuery, request)  # only page and page_size
        rows = selectors.declassification_worklist(user=request.user, today=timezone.localdate())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(WorklistRowSerializer(page, many=True).data)

    @extend_schema(request=DeclassificationDecisionSerializer, responses={200: WorklistRowSerializer})
    @action(detail=False, methods=["post"])
    def decide(self, request):
        """Declassify, extend the term, or change the level of a record in one's register."""
        data = valid(DeclassificationDecisionSerializer, request.data)
        model = data["record_type"]
        record = get_or_404(model.objects.registered_for(request.user), request.user, data["record_id"])
        decision = data["action"]
        if decision == DeclassificationAction.DECLASSIFY:
            level = data.get("classification", Level.INTERNAL)
        elif decision == DeclassificationAction.EXTEND:
            level = record.level
        else:
            level = data["classification"]
        record = services.reclassify(
            actor=request.user,
            record=record,
            level=level,
            reason=data["reason"],
            term_unit=data.get("secrecy_term_unit") or "",
            term_amount=data.get("secrecy_term_amount"),
            until=data.get("secrecy_until"),
            condition=data.get("declassify_condition") or "",
            basis=data.get("classification_basis") or "",
        )
        return Response(WorklistRowSerializer(record).data)
