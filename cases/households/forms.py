"""Forms of the household registry pages: they only parse input; cases.households.services decides."""
from django import forms

from accounts.scope import region_q
from cases.households.models import Household, IncomeItem, Person, PropertyItem, RigidExpense
from core import idnumbers
from core.forms import PhoneMixin
from core.models import Region

CHOOSE = [("", "请选择")]


class HouseholdForm(PhoneMixin, forms.Form):
    village = forms.ModelChoiceField(label="村（社区）", queryset=Region.objects.none())
    address = forms.CharField(label="家庭住址", max_length=200)
    # No pre-selected answer where a silent default decides eligibility: the user picks (城市/农村 sets the standard).
    hukou_type = forms.ChoiceField(label="户籍类型", choices=CHOOSE + Household.HukouType.choices)
    phone = forms.CharField(label="联系电话", required=False, help_text="修改时留空表示不变")
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Dropdowns go through the same scope as everything else.
        self.fields["village"].queryset = (
            Region.objects.filter(level=Region.Level.VILLAGE).filter(region_q(user)).select_related("parent")
        )
        self.fields["village"].label_from_instance = lambda r: f"{r.parent.name} {r.name}"



class PersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=40)
    relationship = forms.ChoiceField(label="与户主关系", choices=CHOOSE + Person.Relationship.choices)
    disability_grade = forms.TypedChoiceField(
        label="残疾等级", required=False, coerce=int, empty_value=None,
        choices=[("", "无"), (1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")],
    )
    disability_type = forms.ChoiceField(label="残疾类别", required=False,
                                        choices=[("", "—")] + Person.DisabilityType.choices)
    serious_illness = forms.CharField(label="重特大疾病", required=False, max_length=100)
    work_capacity = forms.ChoiceField(label="劳动能力", choices=CHOOSE + Person.WorkCapacity.choices)
    employment = forms.ChoiceField(label="就业状况", choices=CHOOSE + Person.Employment.choices)
    school = forms.ChoiceField(label="在校情况", required=False, choices=Person.School.choices)
    special_status = forms.ChoiceField(label="特殊情况", required=False, choices=Person.SpecialStatus.choices)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = "留空表示不变"

    def clean_id_number(self):
        raw = self.cleaned_data["id_number"]
        if not raw and not self.fields["id_number"].required:
            return ""
        return idnumbers.parse(raw).value

    def clean(self):
        data = super().clean()
        if data.get("disability_grade") and not data.get("disability_type"):
            self.add_error("disability_type", "有残疾等级时须选择残疾类别")
        if data.get("disability_type") and not data.get("disability_grade"):
            self.add_error("disability_grade", "请选择残疾等级")
        return data


NEGATIVE = "金额不能为负数，请填写 0 或正数（没有请填 0）"


class NonNegativeAmounts:
    """Money and counts of an item: a negative number is refused beside its field, in Chinese, before any
    database constraint can see it (the constraints stay as the last line)."""

    def _post_clean(self):
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if isinstance(field, forms.DecimalField) and value is not None and value < 0:
                self.add_error(name, NEGATIVE)
        super()._post_clean()  # fields with an error are left out of the model's constraint checks


class IncomeForm(NonNegativeAmounts, forms.ModelForm):
    class Meta:
        model = IncomeItem
        fields = ["person", "kind", "description", "amount_12m", "employment_cost", "exempt"]

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = household.members.all()
        self.fields["person"].required = False


class PropertyForm(NonNegativeAmounts, forms.ModelForm):
    class Meta:
        model = PropertyItem
        fields = ["kind", "description", "quantity", "value"]

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)


class ExpenseForm(NonNegativeAmounts, forms.ModelForm):
    class Meta:
        model = RigidExpense
        fields = ["person", "kind", "amount_12m", "evidence"]

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = household.members.all()
        self.fields["person"].required = False


ITEM_FORMS = {"income": IncomeForm, "property": PropertyForm, "expense": ExpenseForm}


class RevealForm(forms.Form):
    reason = forms.CharField(label="查看用途", max_length=200, min_length=2)
