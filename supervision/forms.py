"""The 督查督办 forms: they check shape; ``supervision.services`` checks the rules and who may act."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office import forms as office_forms
from office.confidentiality.forms import BootstrapMixin, ClassificationFieldsMixin, DateInput
from office.org import forms as org_forms
from office.org.forms import PersonChoiceField
from office.org.models import Person, Unit
from supervision.models import Cadence, ItemState, Light, Priority, Source
from supervision.services import TaskSpec

# Units labelled with their parents, grouped by organ, searchable (office.org.forms).
UnitChoiceField = org_forms.UnitChoiceField
UnitsField = org_forms.UnitMultipleChoiceField
MultipleFileInput = office_forms.MultipleFileInput  # "选择文件" / "未选择文件"


class MultipleFileField(forms.FileField):
    """Several files in one input (the service checks each one's size and type)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(upload, initial) for upload in data if upload]
        return [super().clean(data, initial)] if data else []


def parse_milestones(text: str) -> list[tuple[str, date]]:
    """时间节点, one a line: ``2026-04-15 完成方案`` (a date, then what is reached by then)."""
    milestones = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day, _sep, title = line.partition(" ")
        try:
            milestones.append((title.strip(), date.fromisoformat(day.strip())))
        except ValueError:
            raise ValidationError(
                _("第%(n)d行：请按“日期 节点内容”填写，例如“2026-04-15 完成方案”。") % {"n": number}
            ) from None
        if not title.strip():
            raise ValidationError(_("第%(n)d行：请写明节点内容。") % {"n": number})
    return milestones


# --- 督办台账 filters ------------------------------------------------------------------------------


class LedgerFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("检索"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *ItemState.choices])
    source = forms.ChoiceField(label=_("来源"), required=False, choices=[("", _("全部")), *Source.choices])
    priority = forms.ChoiceField(label=_("缓急"), required=False, choices=[("", _("全部")), *Priority.choices])
    light = forms.ChoiceField(
        label=_("预警"),
        required=False,
        choices=[
            ("", _("全部")),
            (Light.RED, _("红灯：逾期")),
            (Light.YELLOW, _("黄灯：临期或缺报")),
            (Light.GREEN, _("绿灯：正常推进")),
        ],
    )
    lead_unit = UnitChoiceField(
        label=_("主办单位"), required=False, queryset=Unit.objects.none(), empty_label=_("全部")
    )
    instructing_leader = PersonChoiceField(
        label=_("批示领导"), required=False, queryset=Person.objects.none(), empty_label=_("全部")
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    due_from = forms.DateField(label=_("时限起"), required=False, widget=DateInput())
    due_to = forms.DateField(label=_("时限止"), required=False, widget=DateInput())

    def __init__(self, *args, units: QuerySet[Unit], leaders: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units
        self.fields["instructing_leader"].queryset = leaders
        self.fields["q"].widget.attrs["placeholder"] = _("事项、编号、办理要求或来源")

    def clean(self):
        data = super().clean()
        if data.get("due_from") and data.get("due_to") and data["due_from"] > data["due_to"]:
            self.add_error("due_to", _("结束日期不能早于开始日期。"))
        return data

    def selector_arguments(self) -> tuple[dict, str]:
        """``(filters, text)`` for ``selectors.items_visible``."""
        data = self.cleaned_data
        names = (
            "state",
            "source",
            "priority",
            "light",
            "lead_unit",
            "instructing_leader",
            "year",
            "due_from",
            "due_to",
        )
        filters = {name: data[name] for name in names if data.get(name) not in (None, "")}
        return filters, (data.get("q") or "").strip()


# --- 立项 and 分解 -------------------------------------------------------------------------------------


class TaskForm(BootstrapMixin, forms.Form):
    """One task of a split: lead unit (主办), assisting units (协办), responsible person, due, milestones."""

    lead_unit = UnitChoiceField(label=_("主办单位"), queryset=Unit.objects.none())
    assisting_units = UnitsField(label=_("协办单位"), queryset=Unit.objects.none(), required=False)
    title = forms.CharField(label=_("任务"), max_length=200, required=False, help_text=_("不填写的，同督办事项。"))
    requirement = forms.CharField(
        label=_("具体要求"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible_person = PersonChoiceField(
        label=_("责任人"),
        queryset=Person.objects.none(),
        required=False,
        unit_field="lead_unit",
        help_text=_("不选择的，为主办单位负责人。"),
    )
    due = forms.DateField(
        label=_("办结时限"), required=False, widget=DateInput(), help_text=_("不填写的，同督办事项的办结时限。")
    )
    milestones = forms.CharField(
        label=_("时间节点"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "2026-04-15 完成方案"}),
        help_text=_("每行一个：日期 节点内容。"),
    )

    def __init__(self, *args, units: QuerySet[Unit], people: QuerySet[Person], required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units
        self.fields["assisting_units"].queryset = units
        self.fields["responsible_person"].queryset = people
        self.fields["lead_unit"].required = required

    def clean_milestones(self):
        return parse_milestones(self.cleaned_data.get("milestones", ""))

    def clean(self):
        data = super().clean()
        person, lead = data.get("responsible_person"), data.get("lead_unit")
        if person is not None and lead is None:
            self.add_error("lead_unit", _("请选择主办单位。"))
        return data

    def task_spec(self) -> TaskSpec | None:
        data = self.cleaned_data
        if not data.get("lead_unit"):
            return None
        return TaskSpec(
            lead_unit=data["lead_unit"],
            title=data.get("title") or "",
            requirement=data.get("requirement") or "",
            assisting_units=list(data.get("assisting_units") or []),
            responsible_person=data.get("responsible_person"),
            due=data.get("due"),
            milestones=data.get("milestones") or [],
        )


class BaseTaskFormSet(forms.BaseFormSet):
    def __init__(self, *args, units, people, **kwargs):
        self.units, self.people = units, people
        super().__init__(*args, **kwargs)

    def initial_form_count(self):
        # Tasks are only ever added: a row typed in an earlier round may be left blank again.
        return 0 if self.is_bound else super().initial_form_count()

    def get_form_kwargs(self, index):
        return {"units": self.units, "people": self.people}

    def task_specs(self) -> list[TaskSpec]:
        return [spec for form in self.forms if form.has_changed() and (spec := form.task_spec()) is not None]


TaskFormSet = forms.formset_factory(
    TaskForm, formset=BaseTaskFormSet, extra=0, min_num=1, validate_min=True, max_num=20, validate_max=True
)


class ItemOpenForm(BootstrapMixin, ClassificationFieldsMixin):
    """立项: the matter, what done means, where it came from, who instructed, priority and cadence."""

    title = forms.CharField(label=_("督办事项"), max_length=200)
    requirement = forms.CharField(
        label=_("办理要求"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("办结的标准：做到什么程度算办结。"),
    )
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices, initial=Source.INSTRUCTION)
    source_text = forms.CharField(
        label=_("来源说明"), max_length=200, required=False, help_text=_("如批示件、会议名称、上级文件文号。")
    )
    instructing_leader = PersonChoiceField(label=_("批示领导"), queryset=Person.objects.none(), required=False)
    priority = forms.ChoiceField(label=_("缓急"), choices=Priority.choices, initial=Priority.NORMAL)
    cadence = forms.ChoiceField(label=_("反馈频次"), choices=Cadence.choices, initial=Cadence.MONTHLY)
    due = forms.DateField(
        label=_("办结时限"),
        required=False,
        widget=DateInput(),
        help_text=_("不填写的，按来源的默认时限：公文30日，会议决定20日，领导批示紧急5日、一般15日、重大复杂30日。"),
    )

    field_order = [
        "title",
        "requirement",
        "source",
        "source_text",
        "instructing_leader",
        "priority",
        "cadence",
        "due",
        "classification",
    ]

    def __init__(self, *args, leaders: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructing_leader"].queryset = leaders

    def clean_due(self):
        due = self.cleaned_data.get("due")
        if due is not None and due <= timezone.localdate():
            raise ValidationError(_("办结时限应晚于今天。"))
        return due

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "requirement": data["requirement"],
            "source": data["source"],
            "source_text": data["source_text"],
            "instructing_leader": data["instructing_leader"],
            "priority": data["priority"],
            "cadence": data["cadence"],
            "due": data["due"],
            **self.classification_arguments(),
        }


# --- The actions on an item's page ----------------------------------------------------------------


class InputForm(BootstrapMixin, forms.Form):
    """协办意见: the assisting unit's input to the lead unit."""

    unit = forms.ModelChoiceField(label=_("协办单位"), queryset=Unit.objects.none(), widget=forms.HiddenInput)
    text = forms.CharField(label=_("协办意见"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ReportForm(BootstrapMixin, forms.Form):
    """进展反馈 (percent, milestone reached) or the 办结报告."""

    text = forms.CharField(label=_("进展情况"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("完成比例（%）"), required=False, min_value=0, max_value=100)
    milestone = forms.ModelChoiceField(label=_("到达节点"), required=False, queryset=None, empty_label=_("（无）"))
    attachments = MultipleFileField(label=_("附件"), required=False)

    def __init__(self, *args, milestones=None, final: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if final:
            del self.fields["percent"], self.fields["milestone"]
            self.fields["text"].label = _("办结情况")
        else:
            self.fields["milestone"].queryset = milestones
            self.fields["milestone"].label_from_instance = lambda m: f"{m.due:%Y-%m-%d} {m.title}"


class ReviewForm(BootstrapMixin, forms.Form):
    """审核: 审结, or 退回重办 with what is missing and a new due date."""

    ACCEPT, RETURN = "accept", "return"

    decision = forms.ChoiceField(choices=[(ACCEPT, _("审结")), (RETURN, _("退回重办"))], widget=forms.HiddenInput)
    comment = forms.CharField(label=_("审核意见"), required=False, max_length=2000)
    missing = forms.CharField(
        label=_("退回原因及尚缺内容"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    new_due = forms.DateField(label=_("重办时限"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN:
            if not (data.get("missing") or "").strip():
                self.add_error("missing", _("请写明退回重办的原因和尚缺的内容。"))
            if data.get("new_due") is None and "new_due" not in self.errors:
                self.add_error("new_due", _("请确定重办的办结时限。"))
        return data

    @property
    def accept(self) -> bool:
        return self.cleaned_data["decision"] == self.ACCEPT


class SignOffForm(BootstrapMixin, forms.Form):
    """单位审签 of a 办结报告 a 科员 wrote: 转报督查员, or 退回修改 with the reason."""

    FORWARD, RETURN = "forward", "return"

    decision = forms.ChoiceField(
        choices=[(FORWARD, _("转报督查员")), (RETURN, _("退回修改"))], widget=forms.HiddenInput
    )
    comment = forms.CharField(
        label=_("审签意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("退回修改时须写明原因。"),
    )

    @property
    def forward(self) -> bool:
        return self.cleaned_data["decision"] == self.FORWARD


class ChaseForm(BootstrapMixin, forms.Form):
    """催办: what the 督查员 presses the units for."""

    text = forms.CharField(
        label=_("催办内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("如：请于3日内报送办理进展，说明逾期原因。")}),
    )


class InstructionForm(BootstrapMixin, forms.Form):
    """领导批示 on an item."""

    text = forms.CharField(label=_("批示内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("延期理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    progress = forms.CharField(label=_("目前进展"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    new_due = forms.DateField(label=_("申请延至"), widget=DateInput())


class DecideForm(BootstrapMixin, forms.Form):
    APPROVE, REFUSE = "approve", "refuse"

    decision = forms.ChoiceField(choices=[(APPROVE, _("同意")), (REFUSE, _("不同意"))], widget=forms.HiddenInput)
    comment = forms.CharField(label=_("审批意见"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("comment") or "").strip():
            self.add_error("comment", _("不同意延期时请写明理由。"))
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class CancelForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=300)


class SeriesChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, series) -> str:
        return f"{series.code}（{series.issuer_name}）"


class DraftReportForm(BootstrapMixin, forms.Form):
    """督查专报 on this item: a 报告 draft in the chosen 发文代字."""

    series = SeriesChoiceField(label=_("发文代字"), queryset=None, empty_label=None)

    def __init__(self, *args, series: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series


# --- Figures and the 通报 ----------------------------------------------------------------------------


class PeriodForm(office_forms.PeriodForm):
    """The period of the figures and the 通报, by the date a task was assigned; by default this year."""

    start_label = _("交办日期起")
    end_label = _("交办日期止")

    @staticmethod
    def default_period() -> tuple[date, date]:
        today = timezone.localdate()
        return today.replace(month=1, day=1), today.replace(month=12, day=31)


class BulletinForm(PeriodForm):
    """生成督查通报: the period's figures as a 通报 draft in the chosen 发文代字."""

    series = SeriesChoiceField(label=_("发文代字"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("标题"), max_length=200, required=False, help_text=_("不填写的，按期间自动生成。"))

    field_order = ["series", "start", "end", "title"]

    def __init__(self, *args, series: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series
