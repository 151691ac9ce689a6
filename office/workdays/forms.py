from django import forms
from django.utils.translation import gettext_lazy as _

from office.inputs import guard_form_fields
from office.workdays.services import MAX_AMOUNT, PeriodUnit, parse_arrangement_csv

MAX_CSV_BYTES = 64 * 1024


class ArrangementImportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    notice = forms.CharField(
        label=_("依据文件"),
        max_length=200,
        required=False,
        help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知"),
    )
    file = forms.FileField(
        label=_("安排文件（CSV）"),
        help_text=_("每行“日期,类型,名称”，类型为“休”（放假）或“班”（调休上班），例如：2027-10-01,休,国庆节"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_form_fields(self.fields)

    def clean(self):
        cleaned = super().clean()
        upload, year = cleaned.get("file"), cleaned.get("year")
        if upload is None or year is None:
            return cleaned
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("文件过大（最多 64 KB）。"))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("文件应为 UTF-8 编码的 CSV。")) from None
        cleaned["days"] = parse_arrangement_csv(year, text)
        return cleaned


class DueDateForm(forms.Form):
    start = forms.DateField(label=_("起算日"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.IntegerField(
        label=_("期限"),
        min_value=1,
        max_value=max(MAX_AMOUNT.values()),
        error_messages={"min_value": _("应为正整数（至少为1），不能为0或负数。")},
    )
    unit = forms.ChoiceField(label=_("单位"), choices=PeriodUnit.choices)

    def clean(self):
        cleaned = super().clean()
        unit, amount = cleaned.get("unit"), cleaned.get("amount")
        if unit and amount is not None and amount > MAX_AMOUNT[unit]:
            self.add_error("amount", _("不能超过 %(max)d。") % {"max": MAX_AMOUNT[unit]})
        return cleaned
