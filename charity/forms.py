"""Forms of the social-forces pages: they translate input; the services check and write."""
from django import forms

from charity.models import (
    CharityGrant,
    Contact,
    Contribution,
    Helper,
    Referral,
    ServiceKind,
    ServiceRecord,
    SocietyMember,
    Unit,
)
from core.forms import DATE_INPUT

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


class FundForm(forms.Form):
    name = forms.CharField(label="专项基金名称", max_length=100, initial="社会救助专项基金")
    organisation = forms.CharField(label="托管慈善组织", max_length=100)


class StaffForm(forms.Form):
    username = forms.CharField(label="工作人员账号", max_length=150)


class DonationForm(forms.Form):
    donor = forms.CharField(label="捐赠方", max_length=100)
    amount = forms.DecimalField(label="金额（元）", **MONEY)
    received_on = forms.DateField(label="到账日期", widget=DATE_INPUT)
    restricted_use = forms.CharField(label="限定用途", max_length=200, required=False, help_text="不填为非限定性捐赠")
    note = forms.CharField(label="备注", max_length=200, required=False)


class GrantForm(forms.Form):
    reason = forms.ChoiceField(label="资助事由", choices=CharityGrant.Reason.choices)
    amount = forms.DecimalField(label="金额（元）", **MONEY)
    detail = forms.CharField(label="困难情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label="审批结果", choices=[("approve", "批准资助"), ("reject", "不予资助")])
    note = forms.CharField(label="审批意见", max_length=200, required=False)


class PayForm(forms.Form):
    paid_on = forms.DateField(label="付款日期", widget=DATE_INPUT)
    reference = forms.CharField(label="付款凭证号", max_length=60)


class ReferralForm(forms.Form):
    source = forms.ChoiceField(label="转介来源", choices=Referral.Source.choices)
    source_ref = forms.CharField(label="来源编号", max_length=60, required=False,
                                 help_text="临时救助、申请或台账的编号")
    target = forms.ChoiceField(label="转介给", choices=Referral.Target.choices)
    amount_asked = forms.DecimalField(label="申请金额（元）", **MONEY)
    need = forms.CharField(label="困难与需求", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReferralCloseForm(forms.Form):
    status = forms.ChoiceField(label="办结方式", choices=[(Referral.Status.DECLINED, "未予资助"),
                                                      (Referral.Status.WITHDRAWN, "撤回转介")])
    outcome = forms.CharField(label="处理结果", max_length=200)


class SocietyForm(forms.Form):
    village = forms.CharField(label="村（社区）代码", max_length=12, min_length=12)
    name = forms.CharField(label="互助社名称", max_length=100)
    max_grant = forms.DecimalField(label="单次互助金上限（元）", **MONEY)
    deciders = forms.CharField(label="决定方式", max_length=100, initial="理事会集体研究决定")
    rules = forms.CharField(label="章程要点", widget=forms.Textarea(attrs={"rows": 2}), required=False,
                            max_length=2000)


class MemberForm(forms.Form):
    name = forms.CharField(label="姓名/单位", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=SocietyMember.Kind.choices)
    post = forms.ChoiceField(label="职务", choices=SocietyMember.Post.choices, initial="member")


class ContributionForm(forms.Form):
    contributor = forms.CharField(label="捐助人", max_length=100)
    kind = forms.ChoiceField(label="形式", choices=Contribution.Kind.choices)
    amount = forms.DecimalField(label="金额/折价（元）", **MONEY)
    goods = forms.CharField(label="实物名称及数量", max_length=200, required=False)
    received_on = forms.DateField(label="日期", widget=DATE_INPUT)


class SocietyGrantForm(forms.Form):
    household = forms.IntegerField(label="家庭编号", min_value=1)
    amount = forms.DecimalField(label="互助金（元）", **MONEY)
    reason = forms.CharField(label="困难情形", max_length=200)
    decided_on = forms.DateField(label="决定日期", widget=DATE_INPUT)
    decision = forms.CharField(label="决定情况", max_length=200, help_text="如：理事会集体研究，5人同意")
    referral = forms.IntegerField(label="转介编号", required=False, min_value=1)


class HelperForm(forms.Form):
    name = forms.CharField(label="帮扶人/单位", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=Helper.Kind.choices)
    organisation = forms.CharField(label="工作单位", max_length=100, required=False)
    contact = forms.CharField(label="联系方式", max_length=40, required=False)
    username = forms.CharField(label="系统账号（可选）", max_length=150, required=False,
                               help_text="“结对帮扶人”角色的账号，登录后只能看到自己结对的家庭")


class PairingForm(forms.Form):
    helper = forms.ModelChoiceField(label="帮扶人", queryset=Helper.objects.none())
    household = forms.IntegerField(label="家庭编号", min_value=1)
    start = forms.DateField(label="开始日期", widget=DATE_INPUT)
    end = forms.DateField(label="结束日期", widget=DATE_INPUT, required=False)
    goal = forms.CharField(label="帮扶内容", max_length=200, required=False)

    def __init__(self, *args, helpers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"].queryset = helpers if helpers is not None else Helper.objects.none()


class ContactForm(forms.Form):
    on = forms.DateField(label="日期", widget=DATE_INPUT)
    way = forms.ChoiceField(label="方式", choices=Contact.Way.choices)
    help_given = forms.CharField(label="帮扶内容", max_length=200)
    value = forms.DecimalField(label="折合金额（元）", required=False, **MONEY)


class ProviderForm(forms.Form):
    name = forms.CharField(label="机构名称", max_length=100)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, min_length=18)
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=20)


class ContractForm(forms.Form):
    provider = forms.ModelChoiceField(label="服务机构", queryset=None)
    number = forms.CharField(label="合同编号", max_length=40)
    start = forms.DateField(label="服务期起", widget=DATE_INPUT)
    end = forms.DateField(label="服务期止", widget=DATE_INPUT)
    budget = forms.DecimalField(label="合同预算（元）", **MONEY)

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        for kind, label in ServiceKind.choices:
            self.fields[f"price_{kind}"] = forms.DecimalField(label=f"{label}单价（元）", required=False, **MONEY)
            self.fields[f"unit_{kind}"] = forms.ChoiceField(label=f"{label}计价单位", choices=Unit.choices,
                                                            initial=Unit.TIME if kind == "visit" else Unit.HOUR)

    def prices(self) -> dict:
        d = self.cleaned_data
        return {k: (d[f"unit_{k}"], d[f"price_{k}"]) for k in ServiceKind.values if d.get(f"price_{k}")}


class ProviderStaffForm(forms.Form):
    provider = forms.ModelChoiceField(label="服务机构", queryset=None)
    username = forms.CharField(label="工作人员账号", max_length=150)

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers


class OrderForm(forms.Form):
    contract = forms.ModelChoiceField(label="合同", queryset=None)
    person = forms.IntegerField(label="服务对象（成员编号）", min_value=1)
    kind = forms.ChoiceField(label="服务类型", choices=ServiceKind.choices)
    start = forms.DateField(label="开始日期", widget=DATE_INPUT)
    plan = forms.CharField(label="服务计划", max_length=200, required=False)

    def __init__(self, *args, contracts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts


class RecordForm(forms.Form):
    on = forms.DateField(label="服务日期", widget=DATE_INPUT)
    hours = forms.DecimalField(label="时长（小时）", max_digits=5, decimal_places=1, min_value=0)
    content = forms.CharField(label="服务内容", max_length=300)
    staff_name = forms.CharField(label="服务人员", max_length=50)
    confirmed_by = forms.ChoiceField(label="确认人", choices=ServiceRecord.ConfirmedBy.choices)
    confirmer_name = forms.CharField(label="确认人姓名", max_length=50)


class EndForm(forms.Form):
    end = forms.DateField(label="结束日期", widget=DATE_INPUT)
    reason = forms.CharField(label="结束原因", max_length=200)
