"""Forms of the standards pages (city administrator)."""
from decimal import Decimal

from django import forms

from cases.households.models import Household
from cases.standards.models import CareStandard
from core.forms import DATE_INPUT
from core.models import Region

MONEY_ERRORS = {"required": "请填写金额", "invalid": "请填写数字金额（元）",
                "max_decimal_places": "金额最多保留两位小数", "max_digits": "金额过大"}


class _CountiesForm(forms.Form):
    counties = forms.ModelMultipleChoiceField(
        label="县（市、区）", queryset=Region.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个县（市、区）"}, help_text="可多选；全市统一标准时全选",
    )
    effective_from = forms.DateField(label="执行日期", widget=DATE_INPUT,
                                     error_messages={"required": "请填写执行日期", "invalid": "日期格式不正确，应为 年-月-日"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counties"].queryset = Region.objects.filter(level=Region.Level.COUNTY).order_by("code")
        self.fields["counties"].label_from_instance = lambda r: r.name


class StandardForm(_CountiesForm):
    hukou_type = forms.ChoiceField(label="城乡", choices=Household.HukouType.choices)
    dibao_monthly = forms.DecimalField(label="低保标准（元/人·月）", max_digits=12, decimal_places=2,
                                       min_value=Decimal("0.01"), error_messages=MONEY_ERRORS | {
                                           "min_value": "低保标准须大于 0 元"})
    note = forms.CharField(label="文件依据", max_length=200, error_messages={"required": "请填写文件依据"},
                           widget=forms.TextInput(attrs={"placeholder": "如：焦民〔2027〕1号"}))

    field_order = ["counties", "hukou_type", "effective_from", "dibao_monthly", "note"]


class CareStandardForm(_CountiesForm):
    form = forms.ChoiceField(label="供养方式", choices=CareStandard.Form.choices)
    level = forms.ChoiceField(label="自理能力", choices=CareStandard.Level.choices)
    monthly_amount = forms.DecimalField(label="照料护理标准（元/人·月）", max_digits=12, decimal_places=2,
                                        min_value=Decimal("0"), error_messages=MONEY_ERRORS | {
                                            "min_value": "照料护理标准不能为负数"})
    reason = forms.CharField(label="文件依据或调整原因", max_length=200,
                             error_messages={"required": "请填写文件依据或调整原因"})

    field_order = ["counties", "form", "level", "effective_from", "monthly_amount", "reason"]
