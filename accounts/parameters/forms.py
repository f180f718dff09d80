"""Forms of the parameter and calendar pages."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core import params
from core.forms import DATE_INPUT


class ParameterForm(forms.Form):
    value = forms.CharField(label="新值", max_length=200, required=False)
    effective_from = forms.DateField(label="生效日期", widget=DATE_INPUT,
                                     error_messages={"required": "请填写生效日期", "invalid": "日期格式不正确，应为 年-月-日"})
    reason = forms.CharField(label="调整原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "调整参数必须说明原因（如文件文号）"},
                             help_text="写明依据，如“焦民〔2027〕3号”；将记入审计日志")

    def __init__(self, *args, key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key
        spec = params.REGISTRY[key]
        if spec.kind is bool:
            self.fields["value"] = forms.ChoiceField(label="新值", choices=[("是", "是"), ("否", "否")])
        else:
            self.fields["value"].required = spec.kind is not str
            self.fields["value"].error_messages["required"] = f"请填写“{spec.label}”的新值"
            hints = [h for h in (spec.unit and spec.unit != params.RATIO and f"单位：{spec.unit}", spec.help,
                                 spec.minimum is not None and f"范围 {spec.minimum}–{spec.maximum}") if h]
            self.fields["value"].help_text = "；".join(hints)
        self.fields["effective_from"].help_text = "从该日起执行；不能早于今天"

    def clean_value(self):
        try:
            return params.validate(self.key, self.cleaned_data["value"])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        if day < timezone.localdate():
            raise ValidationError("生效日期不能早于今天；已执行期间的数值不能回溯修改")
        return day


class WorkdayOverrideForm(forms.Form):
    date = forms.DateField(label="日期", widget=DATE_INPUT,
                           error_messages={"required": "请填写日期", "invalid": "日期格式不正确，应为 年-月-日"})
    is_workday = forms.TypedChoiceField(label="安排", coerce=lambda v: v == "1",
                                        choices=[("0", "放假（休息日）"), ("1", "调休上班（工作日）")])
    name = forms.CharField(label="说明", max_length=50, error_messages={"required": "请填写说明"},
                           widget=forms.TextInput(attrs={"placeholder": "如：2027年春节"}))
    reason = forms.CharField(label="依据", max_length=200, required=False,
                             widget=forms.TextInput(attrs={"placeholder": "如：国务院办公厅通知（国办发明电〔2026〕×号）"}))
