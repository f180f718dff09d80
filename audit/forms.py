from django import forms

from accounts.scope import region_q
from audit.models import Complaint, StaffMember, StaffRelative
from core import idnumbers
from core.forms import PhoneMixin
from core.models import Region


class IdNumberField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return idnumbers.parse(value).value if value else value


class StaffForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = IdNumberField(label="身份证号码", max_length=40)
    kind = forms.ChoiceField(label="人员类别", choices=StaffMember.Kind.choices)
    workplace = forms.CharField(label="工作单位", max_length=100)
    position = forms.CharField(label="职务", max_length=50, required=False)
    region = forms.ModelChoiceField(label="所在区划", queryset=Region.objects.none(),
                                    help_text="县级人员选县，乡镇人员选乡镇，村干部选村（社区）")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(region_q(user)).exclude(level="city").order_by("code")
        self.fields["region"].label_from_instance = lambda r: f"{r.code} {r.short_name}"


class RelativeForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = IdNumberField(label="身份证号码", max_length=40)
    relation = forms.ChoiceField(label="关系", choices=StaffRelative.Relation.choices)


class ComplaintForm(PhoneMixin, forms.Form):
    source = forms.ChoiceField(label="来源", choices=Complaint.Source.choices)
    received_on = forms.DateField(label="受理日期", widget=forms.DateInput(attrs={"type": "date"}))
    complainant_name = forms.CharField(label="信访人", max_length=50)
    phone = forms.CharField(label="联系电话", required=False)
    id_number = IdNumberField(label="信访人身份证号码", max_length=40, required=False,
                              help_text="用于识别重复信访，可不填")
    category = forms.ChoiceField(label="类别", choices=Complaint.Category.choices)
    summary = forms.CharField(label="事项摘要", max_length=200)
    content = forms.CharField(label="反映内容", widget=forms.Textarea(attrs={"rows": 4}))
    region = forms.ModelChoiceField(label="涉及区划（承办单位）", queryset=Region.objects.none())
    household_id = forms.IntegerField(label="涉及家庭编号", required=False,
                                      help_text="在家庭档案页地址中可见，可不填")
    counselling_referral = forms.BooleanField(label="需转介心理疏导", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (Region.objects.filter(region_q(user))
                                          .filter(level__in=["county", "township"]).order_by("code"))
        self.fields["region"].label_from_instance = lambda r: f"{r.code} {r.short_name}"



class StepForm(forms.Form):
    action = forms.ChoiceField(label="环节", choices=[("调查核实", "调查核实"), ("入户走访", "入户走访"),
                                                     ("答复信访人", "答复信访人"), ("其他", "其他")])
    note = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    result = forms.CharField(label="办理结果", widget=forms.Textarea(attrs={"rows": 3}))
    satisfied = forms.TypedChoiceField(label="信访人是否满意", choices=[("", "未表态"), ("1", "满意"), ("0", "不满意")],
                                       coerce=lambda v: v == "1", empty_value=None, required=False)
    counselling_referral = forms.BooleanField(label="转介心理疏导", required=False)


class TransferForm(forms.Form):
    to = forms.CharField(label="转办单位", max_length=100)
    reason = forms.CharField(label="转办理由", max_length=200)


class AssignForm(forms.Form):
    township = forms.ModelChoiceField(label="交办乡镇（街道）", queryset=Region.objects.none())
    reason = forms.CharField(label="交办意见", max_length=200, required=False)

    def __init__(self, *args, county_code, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Region.objects.filter(level="township", parent_id=county_code)
