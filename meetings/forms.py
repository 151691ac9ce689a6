"""The 会议 page forms: the list's filters, 登记会议, one form per step of ``rules.MEETING`` and
``rules.TOPIC``, 议题申报, 领导活动 and the 签到 confirmation. They check shape; ``meetings.services``
checks the rules, and its ``ValidationError`` lands on these fields, which carry the services'
argument names. A moment is typed as a day (the Chinese date picker) and a time of day chosen from a
list (no browser time box, which speaks the browser's language)."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import ActivityKind, AttendeeRole, MaterialKind, MeetingState, Reply, TopicState
from office.confidentiality.forms import BootstrapMixin
from office.confidentiality.levels import Level
from office.org.forms import PeopleChoiceField, PersonChoiceField, UnitChoiceField, UnitMultipleChoiceField
from office.widgets import DateInput, FileInput

ALL = ("", _("全部"))
TIMES = [(f"{h:02d}:{m:02d}", f"{h:02d}:{m:02d}") for h in range(7, 23) for m in (0, 30)]
REPLIES = [(value, label) for value, label in Reply.choices if value != Reply.PENDING]


def _today():
    return timezone.localdate()


def _text(label, *, required: bool = True, max_length: int = 5000, rows: int = 3, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def _day(label, *, required: bool = True, initial=_today) -> forms.DateField:
    return forms.DateField(label=label, required=required, initial=initial, widget=DateInput())


def _time(label, initial: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=TIMES, initial=initial)


LEVEL = _("密级")


def _level(label=LEVEL, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        required=required,
        choices=[("", _("按会议类型默认")), *Level.choices],
        coerce=int,
        empty_value=None,
    )


def _moment(day, clock: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return timezone.make_aware(datetime.combine(day, time(hours, minutes)))


class _NameLabel:
    def label_from_instance(self, obj) -> str:
        return str(obj)


class NamedChoiceField(_NameLabel, forms.ModelChoiceField):
    pass


class TimedForm(BootstrapMixin, forms.Form):
    """A form with ``day`` + ``start``/``end``: ``cleaned_data`` gets ``starts_at`` and ``ends_at``."""

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start") and data.get("end"):
            data["starts_at"] = _moment(data["day"], data["start"])
            data["ends_at"] = _moment(data["day"], data["end"])
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end", _("结束时间须晚于开始时间。"))
        return data


# --- Lists ---------------------------------------------------------------------------------------------


def _months() -> list[tuple[str, str]]:
    today = timezone.localdate()
    year, month = today.year, today.month
    choices = []
    for shift in range(-12, 7):
        y, m = divmod((year * 12 + month - 1) + shift, 12)
        choices.append((f"{y:04d}-{m + 1:02d}", f"{y}年{m + 1}月"))
    return [ALL, *reversed(choices)]


class MeetingFilterForm(BootstrapMixin, forms.Form):
    type = NamedChoiceField(label=_("会议类型"), required=False, queryset=None, empty_label=_("全部"))
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[ALL, *MeetingState.choices])
    month = forms.ChoiceField(label=_("月份"), required=False, choices=())

    def __init__(self, *args, types: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = types
        self.fields["month"].choices = _months()


class TopicFilterForm(BootstrapMixin, forms.Form):
    meeting_type = NamedChoiceField(label=_("拟提交会议"), required=False, queryset=None, empty_label=_("全部"))
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[ALL, *TopicState.choices])

    def __init__(self, *args, types: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_type"].queryset = types


# --- 会议 ----------------------------------------------------------------------------------------------


class PlanChoiceField(forms.ModelChoiceField):
    """A 会议计划 entry, named with its month and type: “《…》（2026年3月 · 常务会议）”."""

    def label_from_instance(self, plan) -> str:
        when = f"{plan.year}年{plan.month}月" if plan.month else f"{plan.year}年"
        return f"{plan.title}（{when} · {plan.type.name}）"


class MeetingForm(TimedForm):
    """登记会议 and 修改会议安排: what ``meeting_create`` / ``meeting_edit`` take."""

    type = NamedChoiceField(label=_("会议类型"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("会议名称"), max_length=120)
    day = _day(_("会议日期"))
    start = _time(_("开始时间"), "09:00")
    end = _time(_("结束时间"), "12:00")
    chair = PersonChoiceField(label=_("主持人"), queryset=None)
    organizing_unit = UnitChoiceField(label=_("会务承办部门"), required=False, queryset=None)
    room = NamedChoiceField(label=_("会场"), required=False, queryset=None, empty_label=_("暂不预订"))
    platform = forms.CharField(label=_("视频会议平台"), required=False, max_length=60)
    branch_venues = _text(_("分会场"), required=False, max_length=2000, rows=2)
    level = _level()
    basis = forms.CharField(label=_("定密依据"), required=False, max_length=200, help_text=_("秘密及以上须填写。"))
    notice = _text(_("会议通知"), required=False, max_length=20000, rows=4)
    plan = PlanChoiceField(
        label=_("会议计划"),
        required=False,
        queryset=None,
        empty_label=_("暂不关联"),
        help_text=_("以政府名义召开的会议须列入经批准的会议计划；计划外会议登记后在“会议计划”页报批。"),
    )

    def __init__(
        self, *args, types: QuerySet, people: QuerySet, units: QuerySet, rooms: QuerySet, plans=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = types
        self.fields["chair"].queryset = people
        self.fields["organizing_unit"].queryset = units
        self.fields["room"].queryset = rooms
        if plans is None:  # 修改会议安排, or a caller that offers no plan
            del self.fields["plan"]
        else:
            self.fields["plan"].queryset = plans


class EditForm(MeetingForm):
    """修改会议安排: the type and 会场 are kept (预订会场 is its own step)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("type", "room", "organizing_unit", "level", "basis"):
            del self.fields[name]


class EmptyForm(BootstrapMixin, forms.Form):
    """A step with nothing to type (its confirmation says what it does)."""


class BookForm(BootstrapMixin, forms.Form):
    room = NamedChoiceField(label=_("会场"), queryset=None, empty_label=None)

    def __init__(self, *args, rooms: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms


class InviteForm(BootstrapMixin, forms.Form):
    people = PeopleChoiceField(label=_("参会人员"), queryset=None)
    role = forms.ChoiceField(label=_("身份"), choices=AttendeeRole.choices, initial=AttendeeRole.ATTEND)

    def __init__(self, *args, people: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people


class TopicOrderField(forms.ModelChoiceField):
    def label_from_instance(self, topic) -> str:
        return f"{topic.title}（{topic.unit.name}）"


class PlaceTopicForm(BootstrapMixin, forms.Form):
    topic = TopicOrderField(label=_("议题"), queryset=None, empty_label=None)
    order = forms.IntegerField(label=_("议程序号"), required=False, min_value=1, max_value=99)

    def __init__(self, *args, topics: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics


class MaterialForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("材料名称"), max_length=120)
    file = forms.FileField(label=_("文件"), required=False, widget=FileInput())
    topic = TopicOrderField(label=_("议题"), required=False, queryset=None, empty_label=_("（不属于某一议题）"))
    kind = forms.ChoiceField(label=_("类别"), choices=MaterialKind.choices, initial=MaterialKind.PAPER)
    chars = forms.IntegerField(
        label=_("字数"),
        required=False,
        min_value=1,
        max_value=10_000_000,
        help_text=_("发言材料须填写，审核时核对篇幅限制。"),
    )
    speaking_minutes = forms.IntegerField(
        label=_("发言时间（分钟）"), required=False, min_value=1, max_value=600, help_text=_("发言材料须填写。")
    )
    pages = forms.IntegerField(label=_("页数"), required=False, min_value=1, max_value=9999)
    level = _level()
    basis = forms.CharField(label=_("定密依据"), required=False, max_length=200)

    def __init__(self, *args, topics: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics


class ReplyForm(BootstrapMixin, forms.Form):
    reply = forms.ChoiceField(label=_("回执"), choices=REPLIES, initial=Reply.ATTEND)
    reason = forms.CharField(label=_("请假事由"), required=False, max_length=200)
    substitute = PersonChoiceField(label=_("代会人"), required=False, queryset=None)

    def __init__(self, *args, people: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = people


class AttendeeField(forms.ModelChoiceField):
    def label_from_instance(self, attendee) -> str:
        return f"{attendee.person.name}（{attendee.get_role_display()}）"


class SignInForm(BootstrapMixin, forms.Form):
    attendee = AttendeeField(label=_("参会人员"), queryset=None, empty_label=None)

    def __init__(self, *args, attendees: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendee"].queryset = attendees


class DecideForm(BootstrapMixin, forms.Form):
    text = _text(_("议定事项"), max_length=5000, rows=3)
    lead_unit = UnitChoiceField(label=_("牵头单位"), queryset=None)
    assist_units = UnitMultipleChoiceField(label=_("配合单位"), required=False, queryset=None)
    due = _day(_("完成时限"), initial=None)
    topic = TopicOrderField(label=_("议题"), required=False, queryset=None, empty_label=_("（不属于某一议题）"))

    def __init__(self, *args, units: QuerySet, topics: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units
        self.fields["assist_units"].queryset = units
        self.fields["topic"].queryset = topics


class CopyField(forms.ModelChoiceField):
    def label_from_instance(self, copy) -> str:
        return f"{copy.number_display}（{copy.holder_person or copy.holder_unit}）"


class RecallForm(BootstrapMixin, forms.Form):
    copy = CopyField(label=_("清退份号"), queryset=None, empty_label=None)

    def __init__(self, *args, copies: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy"].queryset = copies


class CancelForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("取消理由"), max_length=200)


class CheckInForm(BootstrapMixin, forms.Form):
    """扫码签到: the code is in the address; the person only confirms."""


# --- 议题 ----------------------------------------------------------------------------------------------


class TopicForm(BootstrapMixin, forms.Form):
    """议题申报 and 修改议题: what ``topic_create`` / ``topic_edit`` take."""

    organ = NamedChoiceField(label=_("提交机关"), queryset=None, empty_label=None)
    meeting_type = NamedChoiceField(label=_("拟提交会议"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("议题名称"), max_length=120)
    summary = _text(_("议题说明"), max_length=20000, rows=5)
    unit = UnitChoiceField(label=_("汇报单位"), queryset=None)
    presenter = PersonChoiceField(label=_("汇报人"), queryset=None, unit_field="unit")
    reviewing_leader = PersonChoiceField(label=_("分管领导"), queryset=None)
    attending_units = UnitMultipleChoiceField(label=_("列席单位"), required=False, queryset=None)
    consultation = _text(_("征求意见和会签情况"), required=False, max_length=5000, rows=3)
    agreed = forms.BooleanField(label=_("有关方面意见一致"), required=False)
    normative = forms.BooleanField(label=_("涉及规范性文件"), required=False)
    legality_reviewed = forms.BooleanField(label=_("已经合法性审查"), required=False)
    minutes = forms.IntegerField(label=_("汇报时长（分钟）"), min_value=1, max_value=240, initial=15)
    wished_on = _day(_("建议上会日期"), required=False, initial=None)
    level = _level()

    def __init__(
        self, *args, types: QuerySet, organs: QuerySet, units: QuerySet, people: QuerySet, leaders: QuerySet, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs
        self.fields["organ"].initial = organs.filter(parent__isnull=True).first()
        self.fields["meeting_type"].queryset = types
        self.fields["unit"].queryset = units
        self.fields["attending_units"].queryset = units
        self.fields["presenter"].queryset = people
        self.fields["reviewing_leader"].queryset = leaders


class TopicEditForm(TopicForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("organ", "meeting_type", "unit", "level"):
            del self.fields[name]


class OpinionForm(BootstrapMixin, forms.Form):
    opinion = _text(_("意见"), required=False, max_length=300, rows=2)


class ReturnForm(BootstrapMixin, forms.Form):
    opinion = _text(_("退回理由"), max_length=300, rows=2)


class WithdrawForm(BootstrapMixin, forms.Form):
    reason = _text(_("撤回理由"), required=False, max_length=300, rows=2)


class UnplaceForm(BootstrapMixin, forms.Form):
    reason = _text(_("退出议程的理由"), required=False, max_length=300, rows=2)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting) -> str:
        day = timezone.localtime(meeting.starts_at)
        return f"{meeting.title}（{day.year}年{day.month}月{day.day}日）"


class PlaceForm(BootstrapMixin, forms.Form):
    meeting = MeetingChoiceField(label=_("会议"), queryset=None, empty_label=None)
    order = forms.IntegerField(label=_("议程序号"), required=False, min_value=1, max_value=99)

    def __init__(self, *args, meetings: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


# --- 领导活动安排 --------------------------------------------------------------------------------------


class ScheduleForm(TimedForm):
    leader = PersonChoiceField(label=_("领导"), queryset=None)
    kind = forms.ChoiceField(label=_("类别"), choices=[c for c in ActivityKind.choices if c[0] != ActivityKind.MEETING])
    title = forms.CharField(label=_("活动内容"), max_length=120)
    day = _day(_("日期"))
    start = _time(_("开始时间"), "09:00")
    end = _time(_("结束时间"), "11:00")
    place = forms.CharField(label=_("地点"), required=False, max_length=100)
    public = forms.BooleanField(label=_("可对外公布"), required=False)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)
    allow_overlap = forms.BooleanField(label=_("与已有安排时间重叠时仍然登记"), required=False)

    def __init__(self, *args, leaders: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders


# --- 参会 logistics: 请假审批, 座次, 分组, 交通食宿, 报到 ---------------------------------------------------

NO_GROUP = "none"


class LeaveDecideForm(BootstrapMixin, forms.Form):
    attendee = AttendeeField(label=_("请假人员"), queryset=None, empty_label=None)
    approve = forms.TypedChoiceField(
        label=_("审批意见"),
        choices=[("1", _("同意请假")), ("0", _("不同意"))],
        coerce=lambda value: value == "1",
        initial="1",
    )
    note = forms.CharField(label=_("理由"), required=False, max_length=200, help_text=_("不同意的须写明理由。"))

    def __init__(self, *args, attendees: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendee"].queryset = attendees


class ArrangeForm(BootstrapMixin, forms.Form):
    """One attendee's 排序, 讨论组, 报到日期, 交通 and 住宿: a field left blank stays as it was."""

    attendee = AttendeeField(label=_("参会人员"), queryset=None, empty_label=None)
    precedence = forms.IntegerField(label=_("排序"), required=False, min_value=0, max_value=9999)
    group = forms.ChoiceField(label=_("讨论组"), required=False)
    arrives_on = _day(_("报到日期"), required=False, initial=None)
    transport = forms.CharField(label=_("交通"), required=False, max_length=100)
    lodging = forms.CharField(label=_("住宿"), required=False, max_length=100)

    def __init__(self, *args, attendees: QuerySet, groups: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendee"].queryset = attendees
        self._groups = {str(group.pk): group for group in groups}
        self.fields["group"].choices = [
            ("", _("（不变）")),
            (NO_GROUP, _("（不分组）")),
            *[(pk, group.name) for pk, group in self._groups.items()],
        ]

    def clean_group(self):
        value = self.cleaned_data.get("group")
        if not value:
            return None
        return False if value == NO_GROUP else self._groups[value]

    def clean(self):
        data = super().clean()
        for name in ("transport", "lodging"):
            data[name] = data.get(name) or None  # blank: as it was
        return data


class GroupAddForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("组名"), max_length=40)
    convener = PersonChoiceField(label=_("召集人"), required=False, queryset=None)
    place = forms.CharField(label=_("讨论地点"), required=False, max_length=100)

    def __init__(self, *args, people: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["convener"].queryset = people


class GroupRemoveForm(BootstrapMixin, forms.Form):
    group = forms.ModelChoiceField(label=_("讨论组"), queryset=None, empty_label=None)

    def __init__(self, *args, groups: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class RegisterForm(BootstrapMixin, forms.Form):
    attendee = AttendeeField(label=_("报到人员"), queryset=None, empty_label=None)

    def __init__(self, *args, attendees: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendee"].queryset = attendees


# --- 会议计划 ------------------------------------------------------------------------------------------

MONTHS = [("", _("年度计划（不分月）")), *[(str(m), f"{m}月") for m in range(1, 13)]]


def _years() -> list[tuple[str, str]]:
    this = timezone.localdate().year
    return [(str(y), f"{y}年") for y in (this + 1, this, this - 1)]


class PlanFilterForm(BootstrapMixin, forms.Form):
    """The plan list: a year (by default this one), a month, a type and a state."""

    year = forms.TypedChoiceField(label=_("年度"), required=False, choices=(), coerce=int, empty_value=None)
    month = forms.TypedChoiceField(
        label=_("月份"),
        required=False,
        choices=[ALL, ("0", _("年度计划（不分月）")), *MONTHS[1:]],
        coerce=int,
        empty_value=None,
    )
    type = NamedChoiceField(label=_("会议类型"), required=False, queryset=None, empty_label=_("全部"))
    state = forms.ChoiceField(label=_("状态"), required=False, choices=())

    def __init__(self, *args, types: QuerySet, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
        self.fields["year"].initial = timezone.localdate().year
        self.fields["type"].queryset = types
        self.fields["state"].choices = [ALL, *states]


class PlanForm(BootstrapMixin, forms.Form):
    """拟订 and 修改会议计划: what ``plan_create`` / ``plan_edit`` take."""

    year = forms.TypedChoiceField(label=_("年度"), choices=(), coerce=int)
    month = forms.TypedChoiceField(label=_("月份"), required=False, choices=MONTHS, coerce=int, empty_value=None)
    type = NamedChoiceField(label=_("会议类型"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("会议名称"), max_length=120)
    organizing_unit = UnitChoiceField(label=_("承办单位"), queryset=None)
    reason = _text(_("召开必要性"), max_length=5000, rows=3)
    expected_size = forms.IntegerField(label=_("规模（人）"), required=False, min_value=1, max_value=10000)
    days = forms.IntegerField(label=_("会期（天）"), min_value=1, max_value=30, initial=1)
    video = forms.BooleanField(label=_("以视频会议召开"), required=False)
    budget = forms.DecimalField(
        label=_("会议费预算（元）"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    level = _level()
    basis = forms.CharField(label=_("定密依据"), required=False, max_length=200, help_text=_("秘密及以上须填写。"))

    def __init__(self, *args, types: QuerySet, units: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
        self.fields["year"].initial = timezone.localdate().year
        self.fields["type"].queryset = types
        self.fields["organizing_unit"].queryset = units


class PlanEditForm(PlanForm):
    """修改会议计划: the 密级 is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("level", "basis"):
            del self.fields[name]


class PlanDropForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=200)


class UnplannedForm(BootstrapMixin, forms.Form):
    """计划外报批 of a meeting: why it must be held outside the plan."""

    reason = _text(_("计划外召开的必要性"), max_length=2000, rows=2)


# --- 会务筹备 (meetings.views.preparation) ---------------------------------------------------------------


class PrepareForm(BootstrapMixin, forms.Form):
    """会议方案, 预案 and 安全保卫 (each kept as typed; an empty box empties it)."""

    scheme = _text(_("会议方案"), required=False, max_length=20000, rows=4)
    contingency = _text(_("预案"), required=False, max_length=20000, rows=3)
    security = _text(_("安全保卫"), required=False, max_length=20000, rows=3)


class PrepTaskForm(BootstrapMixin, forms.Form):
    """会务分工: one task, its 责任单位, 责任人 and 完成时限."""

    kind = forms.ChoiceField(label=_("类别"), choices=[])
    title = forms.CharField(label=_("任务"), max_length=120)
    unit = UnitChoiceField(label=_("责任单位"), queryset=None)
    owner = PersonChoiceField(label=_("责任人"), queryset=None)
    due = _day(_("完成时限"), initial=None)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, units: QuerySet, people: QuerySet, **kwargs):
        from meetings.models import TaskKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = TaskKind.choices
        self.fields["unit"].queryset = units
        self.fields["owner"].queryset = people


class VenueForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("分会场"), max_length=60)
    unit = UnitChoiceField(label=_("承办单位"), required=False, queryset=None)
    contact = forms.CharField(label=_("联系人及电话"), required=False, max_length=60)

    def __init__(self, *args, units: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class VenueTestForm(BootstrapMixin, forms.Form):
    venue = forms.ModelChoiceField(label=_("分会场"), queryset=None, empty_label=None)
    ok = forms.TypedChoiceField(
        label=_("调试结果"),
        choices=[("1", _("正常")), ("0", _("异常"))],
        coerce=lambda value: value == "1",
        initial="1",
    )
    note = forms.CharField(label=_("调试情况"), required=False, max_length=200)

    def __init__(self, *args, venues: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues


class VenueCheckForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("检查情况"), required=False, max_length=200, help_text=_("如：会场已检查，手机等电子设备已统一存放。")
    )


class SummaryForm(BootstrapMixin, forms.Form):
    summary = _text(_("会后总结"), max_length=20000, rows=4)


class TaskDoneForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class TaskRemoveForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=200)
