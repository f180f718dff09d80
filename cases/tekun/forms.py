"""Forms of the 特困 pages: they only parse input; cases.tekun.services decides."""
from django import forms

from accounts.models import Role, User
from cases.tekun.models import SIX_ACTIVITIES, Institution, TekunProfile
from core.forms import DATE_INPUT, PhoneMixin
from core.models import Region


class ProfileOpenForm(forms.Form):
    person = forms.ModelChoiceField(label="特困供养对象", queryset=None)
    form = forms.ChoiceField(label="供养方式意向", choices=TekunProfile.Form.choices)
    can_express_wishes = forms.BooleanField(label="能够准确表达本人意愿", required=False, initial=True)
    income_note = forms.CharField(label="收入财产核查说明", required=False, max_length=200)

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons
        self.fields["person"].label_from_instance = lambda p: f"{p.name}（{p.get_relationship_display()}，{p.age}岁）"


class ObligorForm(forms.Form):
    name = forms.CharField(label="义务人姓名", max_length=50)
    relation = forms.CharField(label="关系", max_length=20)
    able_to_support = forms.BooleanField(label="有履行能力", required=False)
    reason = forms.CharField(label="无履行能力的原因", required=False, max_length=200)


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label="评估日期", widget=DATE_INPUT)
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in SIX_ACTIVITIES:
            self.fields[code] = forms.BooleanField(label=f"{label}能自理", required=False)

    def answers(self):
        return {code: self.cleaned_data[code] for code, _ in SIX_ACTIVITIES}


class AgreementForm(PhoneMixin, forms.Form):
    carer_name = forms.CharField(label="照料人", max_length=50)
    carer_relation = forms.CharField(label="照料人身份", max_length=30)
    phone = forms.CharField(label="照料人电话", required=False)
    duties = forms.CharField(label="照料内容", widget=forms.Textarea(attrs={"rows": 2}),
                             initial="日常生活照料、定期探望、代购生活用品、就医陪护、突发情况及时报告")
    monthly_fee = forms.DecimalField(label="照料费（元/月）", max_digits=12, decimal_places=2, min_value=0)
    start = forms.DateField(label="协议起始", widget=DATE_INPUT)
    end = forms.DateField(label="协议终止", widget=DATE_INPUT)
    signed_on = forms.DateField(label="签订日期", widget=DATE_INPUT)
    scan = forms.FileField(label="协议扫描件（可选）", required=False)



class VisitForm(forms.Form):
    visited_on = forms.DateField(label="探访日期", widget=DATE_INPUT)
    findings = forms.CharField(label="探访情况", widget=forms.Textarea(attrs={"rows": 2}))
    needs = forms.CharField(label="需求", required=False, max_length=200)
    photo = forms.FileField(label="照片（可选）", required=False)


class VisitorForm(forms.Form):
    visitor = forms.ModelChoiceField(label="探访人", queryset=User.objects.none())

    def __init__(self, *args, village_code, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitor"].queryset = User.objects.filter(role=Role.VILLAGE_STAFF, region_id=village_code,
                                                              is_active=True)


class PlacementForm(forms.Form):
    institution = forms.ModelChoiceField(label="供养机构", queryset=Institution.objects.none())
    reason = forms.CharField(label="安置原因", max_length=200, help_text="本人意愿，或无法表达意愿者的综合评估结论")

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["institution"].label_from_instance = (
            lambda i: f"{i.name}（{getattr(i, 'occupied', '?')}/{i.capacity}）")


class InstitutionForm(forms.Form):
    name = forms.CharField(label="机构名称", max_length=100)
    township = forms.ModelChoiceField(label="所在乡镇", queryset=Region.objects.none(), required=False)
    address = forms.CharField(label="地址", required=False, max_length=200)
    capacity = forms.IntegerField(label="床位数", min_value=1)
    nursing_beds = forms.IntegerField(label="护理型床位数", min_value=0, initial=0)

    def __init__(self, *args, county_code, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Region.objects.filter(level="township", parent_id=county_code)
