"""The moves of an item's workflow, as actions of ``SupervisionItemViewSet``: 分解交办, 撤销, 催办,
领导批示, 协办意见, 进展反馈, 单位审签, 审核 (审结 / 退回重办), 延期申请 and each step of its chain."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser

from office.api.helpers import valid
from office.api.parsers import JSONParser
from office.confidentiality.visibility import person_of
from office.org.models import Unit
from supervision import services
from supervision.api.inputs import (
    CancelSerializer,
    DecideSerializer,
    ExtensionInput,
    FollowUpSerializer,
    InputSerializer,
    ProgressSerializer,
    SignOffSerializer,
    SplitSerializer,
    TaskInput,
    TaskReviewSerializer,
)
from supervision.api.serializers import ItemDetailSerializer
from supervision.models import ExtensionRequest, SupervisionTask


class WorkflowActionsMixin:
    """The workflow actions; mixed into ``SupervisionItemViewSet``, whose ``get_object``, ``_task``
    (a task of the item, else 404) and ``_respond`` (the item as it is now) they use."""

    @extend_schema(request=SplitSerializer, responses={200: ItemDetailSerializer})
    @action(detail=True, methods=["post"])
    def split(self, request, *args, **kwargs):
        """分解交办 into tasks (the 督查员); also later, to add a task to an item in hand."""
        item = self.get_object()
        data = valid(SplitSerializer, request.data)
        services.item_split(actor=request.user, item=item, tasks=[TaskInput.spec(task) for task in data["tasks"]])
        return self._respond(item)

    @extend_schema(request=CancelSerializer, responses={200: ItemDetailSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        """撤销 with a reason (the 督查员 or the instructing leader); its deadlines are cancelled."""
        item = self.get_object()
        data = valid(CancelSerializer, request.data)
        item = services.item_cancel(actor=request.user, item=item, **data)
        return self._respond(item)

    @extend_schema(request=FollowUpSerializer, responses={201: ItemDetailSerializer})
    @action(detail=True, methods=["post"])
    def chase(self, request, *args, **kwargs):
        """催办 (the 督查员): recorded, and sent to the head of each unit whose task is still owed."""
        item = self.get_object()
        data = valid(FollowUpSerializer, request.data)
        services.item_chase(actor=request.user, item=item, text=data["text"])
        return self._respond(item, status.HTTP_201_CREATED)

    @extend_schema(request=FollowUpSerializer, responses={201: ItemDetailSerializer})
    @action(detail=True, methods=["post"])
    def instruct(self, request, *args, **kwargs):
        """领导批示 (a leader inside the item's 知悉范围): recorded, and sent to the 督查员."""
        item = self.get_object()
        data = valid(FollowUpSerializer, request.data)
        services.item_instruct(actor=request.user, item=item, text=data["text"])
        return self._respond(item, status.HTTP_201_CREATED)

    @extend_schema(request=InputSerializer, responses={200: ItemDetailSerializer})
    @action(detail=True, methods=["post"], url_path=r"tasks/(?P<task_id>\d+)/input", url_name="task-input")
    def task_input(self, request, task_id=None, *args, **kwargs):
        """协办意见 of an assisting unit (someone in it), sent to the lead unit."""
        task = self._task(task_id)
        data = valid(InputSerializer, request.data)
        unit = data.get("unit") or self._my_assisting_unit(task)
        services.task_send_input(actor=request.user, task=task, unit=unit, text=data["text"])
        return self._respond(task.item)

    def _my_assisting_unit(self, task: SupervisionTask) -> Unit:
        """The assisting unit of mine (``Person.units()``: within my organ, as ``rules`` counts it)."""
        person = person_of(self.request.user)
        assist = task.assists.filter(unit__in=person.units() if person else []).select_related("unit").first()
        if assist is None:
            raise exceptions.PermissionDenied(_("协办意见由协办单位报送。"))
        return assist.unit

    @extend_schema(
        request={"application/json": ProgressSerializer, "multipart/form-data": ProgressSerializer},
        responses={201: ItemDetailSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"tasks/(?P<task_id>\d+)/report",
        url_name="task-report",
        parser_classes=[JSONParser, MultiPartParser, FormParser],
    )
    def task_report(self, request, task_id=None, *args, **kwargs):
        """进展反馈 by the lead unit (``final``: the 办结报告, for 审结); attachments by multipart,
        checked for size and type."""
        task = self._task(task_id)
        data = dict(valid(ProgressSerializer, request.data))
        milestone = data.pop("milestone", None)
        if milestone is not None:
            milestone = task.milestones.filter(pk=milestone).first()
            if milestone is None:
                raise exceptions.ValidationError({"milestone": [_("该时间节点不属于本任务。")]})
        services.task_report(
            actor=request.user,
            task=task,
            milestone=milestone,
            text=data["text"],
            percent=data.get("percent"),
            final=data["final"],
            attachments=data.get("attachments", []),
        )
        return self._respond(task.item, status.HTTP_201_CREATED)

    @extend_schema(request=TaskReviewSerializer, responses={200: ItemDetailSerializer})
    @action(detail=True, methods=["post"], url_path=r"tasks/(?P<task_id>\d+)/review", url_name="task-review")
    def task_review(self, request, task_id=None, *args, **kwargs):
        """审核 of the 办结报告 (the 督查员): 审结 (``accept``), or 退回重办 with ``missing`` and ``new_due``."""
        task = self._task(task_id)
        data = valid(TaskReviewSerializer, request.data)
        services.task_review(
            actor=request.user,
            task=task,
            accept=data["accept"],
            comment=data.get("comment", ""),
            missing=data.get("missing", ""),
            new_due=data.get("new_due"),
        )
        return self._respond(task.item)

    @extend_schema(request=SignOffSerializer, responses={200: ItemDetailSerializer})
    @action(detail=True, methods=["post"], url_path=r"tasks/(?P<task_id>\d+)/signoff", url_name="task-signoff")
    def task_signoff(self, request, task_id=None, *args, **kwargs):
        """单位审签 of a 办结报告 a 科员 wrote (the lead unit's head or one of its leaders): 转报督查员
        (``forward``), or 退回修改 with the reason in ``comment``."""
        task = self._task(task_id)
        data = valid(SignOffSerializer, request.data)
        services.task_sign_off(actor=request.user, task=task, forward=data["forward"], comment=data.get("comment", ""))
        return self._respond(task.item)

    @extend_schema(request=ExtensionInput, responses={201: ItemDetailSerializer})
    @action(detail=True, methods=["post"], url_path=r"tasks/(?P<task_id>\d+)/extension", url_name="task-extension")
    def task_extension(self, request, task_id=None, *args, **kwargs):
        """延期申请 by the lead unit, before the due date: reason, new date, progress so far."""
        task = self._task(task_id)
        data = valid(ExtensionInput, request.data)
        services.extension_request(actor=request.user, task=task, **data)
        return self._respond(task.item, status.HTTP_201_CREATED)

    @extend_schema(request=DecideSerializer, responses={200: ItemDetailSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"extensions/(?P<request_id>\d+)/decide",
        url_name="extension-decide",
    )
    def extension_decide(self, request, request_id=None, *args, **kwargs):
        """One step of the extension's chain (the person the step waits for): approve or refuse
        with a ``comment``; the last approval moves the task's Deadline."""
        item = self.get_object()
        found = ExtensionRequest.objects.filter(task__item=item, pk=request_id).first()
        if found is None:
            raise exceptions.NotFound()
        data = valid(DecideSerializer, request.data)
        services.extension_decide(actor=request.user, request=found, **data)
        return self._respond(item)
