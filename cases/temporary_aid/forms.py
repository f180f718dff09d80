"""Forms of the 临时救助 pages: they only parse input; cases.temporary_aid.services decides."""
from django import forms

from cases.dibao.models import Application
from cases.temporary_aid.models import TemporaryAid
from core.forms import DATE_INPUT
from core.models import Region


class FastGrantForm(forms.Form):
    person = forms.ModelChoiceField(label="受助人", queryset=None, required=False)
    aid_type = forms.ChoiceField(label="救助类型", choices=TemporaryAid.AidType.choices)
    amount = forms.DecimalField(label="救助金额（元）", max_digits=12, decimal_places=2, min_value=0.01)
    cause = forms.CharField(label="困难情形", widget=forms.Textarea(attrs={"rows": 3}))
    emergency_place = forms.CharField(label="急难发生地", required=False, max_length=100)
    related_application = forms.ModelChoiceField(label="关联的低保/特困申请（可选）", queryset=None, required=False,
                                                 help_text="申请正在审核期间先行救助")
    linked_application = forms.CharField(label="医疗救助等其他申请编号（可选）", required=False, max_length=100)

    def __init__(self, *args, persons, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons

        self.fields["related_application"].queryset = applications if applications is not None else \
            Application.objects.none()
        self.fields["related_application"].label_from_instance = lambda a: f"{a.number} {a.get_kind_display()}（{a.get_status_display()}）"


class FullApplyForm(forms.Form):
    person = forms.ModelChoiceField(label="申请人", queryset=None, required=False)
    aid_type = forms.ChoiceField(label="救助类型", choices=TemporaryAid.AidType.choices)
    amount = forms.DecimalField(label="申请救助金额（元）", max_digits=12, decimal_places=2, min_value=0.01)
    cause = forms.CharField(label="困难情形", widget=forms.Textarea(attrs={"rows": 3}))
    emergency_place = forms.CharField(label="急难发生地", required=False, max_length=100,
                                      help_text="在急难发生地（非户籍地）受理时必填")
    related_application = forms.ModelChoiceField(label="关联的低保/特困申请（可选）", queryset=None, required=False)

    def __init__(self, *args, persons, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons
        self.fields["related_application"].queryset = applications
        self.fields["related_application"].label_from_instance = lambda a: f"{a.number} {a.get_kind_display()}（{a.get_status_display()}）"


class PaperworkForm(forms.Form):
    paperwork = forms.CharField(label="事后补充说明", widget=forms.Textarea(attrs={"rows": 4}),
                                help_text="核实情况、救助依据、发放方式及凭证")


class TopUpForm(forms.Form):
    township = forms.ModelChoiceField(label="乡镇（街道）", queryset=Region.objects.none())
    amount = forms.DecimalField(label="拨付金额（元）", max_digits=12, decimal_places=2, min_value=0.01)
    note = forms.CharField(label="拨付文号/说明", max_length=200)

    def __init__(self, *args, county_code, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Region.objects.filter(level="township", parent_id=county_code)


class RuleForm(forms.Form):
    start = forms.DateField(label="启用日期", widget=DATE_INPUT)
    end = forms.DateField(label="停用日期（可选）", widget=DATE_INPUT, required=False)
    reason = forms.CharField(label="疫情/灾情", max_length=200)
