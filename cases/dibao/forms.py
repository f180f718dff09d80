"""Forms for the application workflow pages: they only parse input; cases.dibao.workflow decides."""
from django import forms
from django.utils import timezone

from cases.dibao.models import Application, Recheck
from cases.households.models import Person
from core.forms import DATE_INPUT

TEXT2 = forms.Textarea(attrs={"rows": 2})


TEXT3 = forms.Textarea(attrs={"rows": 3})


def _member_field(household, label, required=False, help_text=""):
    return forms.ModelChoiceField(
        label=label, required=required, help_text=help_text,
        queryset=Person.objects.filter(household=household).order_by("id"), empty_label="—")


class AcceptForm(forms.Form):
    kind = forms.ChoiceField(label="救助类别", required=False, choices=[
        ("dibao", "最低生活保障"), ("tekun", "特困人员救助供养"), ("dibao_edge", "低保边缘家庭认定"),
        ("rigid_expense", "刚性支出困难家庭认定"), ("monitor", "防返贫监测对象认定")], initial="dibao")
    subcategory = forms.ChoiceField(label="防返贫监测类型", required=False, choices=[
        ("", "—"), ("monitor_unstable", "脱贫不稳定"), ("monitor_edge", "边缘易致贫"), ("monitor_sudden", "突发严重困难")],
        help_text="仅防返贫监测对象认定")
    source = forms.ChoiceField(label="来源", choices=Application.Source.choices, initial="application", required=False)
    source_note = forms.CharField(label="来源说明", required=False, max_length=200,
                                  help_text="乡村振兴部门名单批次、转介部门或发现经过（防返贫监测必填）")
    reason = forms.CharField(label="申请理由", widget=TEXT3)
    via_residence = forms.BooleanField(label="持居住证在本乡镇（居住地）申请", required=False)
    residence_permit = forms.CharField(label="居住证信息", required=False, max_length=100,
                                       help_text="居住地申请时必填：居住证号码、签发机关")
    accepted_on = forms.DateField(label="受理日期", widget=DATE_INPUT, initial=timezone.localdate)

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"] = _member_field(household, "申请人", required=True)
        self.fields["single_person"] = _member_field(
            household, "单人户纳入成员", help_text="仅低保边缘家庭中的重度残疾人、重病患者；一般申请留空")
        head = Person.objects.filter(household=household, relationship="head").first()
        if head:
            self.fields["applicant"].initial = head.pk
        self.order_fields(["kind", "subcategory", "applicant", "reason", "source", "source_note", "accepted_on",
                           "single_person", "via_residence", "residence_permit"])

    def clean_accepted_on(self):
        value = self.cleaned_data["accepted_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("受理日期不能晚于今天")
        return value


class ResidenceLookupForm(forms.Form):
    id_number = forms.CharField(label="申请人身份证号码", max_length=40, help_text="完整18位号码，按户籍查找其家庭档案")


class InvestigationForm(forms.Form):
    investigated_on = forms.DateField(label="入户调查日期", widget=DATE_INPUT, initial=timezone.localdate)
    investigator_1 = forms.CharField(label="调查人一", max_length=50)
    investigator_2 = forms.CharField(label="调查人二", max_length=50)
    findings = forms.CharField(label="入户调查情况", widget=TEXT3)
    verification_result = forms.CharField(label="家庭经济状况核对结果", widget=TEXT3,
                                          help_text="省社会救助家庭经济状况核对平台的核对结论")

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["single_person"] = _member_field(application.household, "单人户纳入成员",
                                                     help_text="仅低保边缘家庭的重度残疾人、重病患者")
        self.fields["single_person"].initial = application.single_person_id


class ReviewForm(forms.Form):
    review_on = forms.DateField(label="民主评议日期", widget=DATE_INPUT, initial=timezone.localdate)
    review_result = forms.CharField(label="民主评议情况", widget=TEXT3,
                                    help_text="参加人员、评议意见（如：参会村民代表11人，10人同意）")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", widget=TEXT2)

    def __init__(self, *args, label="原因", required=True, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].required = required
        self.fields["reason"].help_text = help_text


REASON_LABELS = {
    "start_investigation": ("说明", False, "可留空"),
    "object": ("异议内容", True, "谁、何时、反映了什么；案件将退回重新调查核对"),
    "close_publicity": ("公示情况", False, "如：公示期间无异议"),
    "confirm": ("确认意见", False, "留空则为“经审核，符合最低生活保障条件，予以确认”"),
    "refuse": ("不予确认的理由", True, "将写入不予确认通知书，请写明事实和依据"),
    "withdraw": ("撤回原因", True, "申请人书面撤回的日期和理由"),
    "extend": ("延期原因", True, "如：需跨地区核对存款、等待残疾等级评定"),
}


class MeetingForm(forms.Form):
    held_on = forms.DateField(label="会议日期", widget=DATE_INPUT, initial=timezone.localdate)
    place = forms.CharField(label="会议地点", required=False, max_length=100)
    chair = forms.CharField(label="主持人", max_length=50)
    attendees = forms.CharField(label="参会人员", widget=TEXT2, help_text="以顿号分隔，不少于3人")
    note = forms.CharField(label="会议纪要", required=False, widget=TEXT2)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        choices = [("", "本次不研究")] + list(Application.MeetingDecision.choices)
        for app in self.candidates:
            self.fields[f"decision_{app.pk}"] = forms.ChoiceField(label="意见", choices=choices, required=False)
            self.fields[f"note_{app.pk}"] = forms.CharField(label="说明", required=False, max_length=300)

    def case_rows(self):
        return [(app, self[f"decision_{app.pk}"], self[f"note_{app.pk}"]) for app in self.candidates]

    def header_fields(self):
        return [self[n] for n in ("held_on", "place", "chair", "attendees", "note")]

    def decisions(self):
        out = []
        for app in self.candidates:
            decision = self.cleaned_data.get(f"decision_{app.pk}")
            if decision:
                out.append((app, decision, self.cleaned_data.get(f"note_{app.pk}", "")))
        return out


class RecheckForm(forms.Form):
    outcome = forms.ChoiceField(label="复核结果", choices=Recheck.Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="复核情况", widget=TEXT3, help_text="入户复核和数据核对的情况；终止时写入终止通知书")
    new_amount = forms.DecimalField(label="调整后月金额（元）", required=False, max_digits=12, decimal_places=2,
                                    min_value=0, help_text="调整金额时填写；留空则按最新测算")
    phase_out_months = forms.IntegerField(label="渐退期（月）", required=False, min_value=1, max_value=12,
                                          help_text="家庭成员就业后收入超过标准时，继续保障的月数")


class EndForm(forms.Form):
    reason = forms.CharField(label="终止理由", widget=TEXT3, help_text="经调查核实的事实和依据，写入终止通知书")
    effective_month = forms.DateField(label="最后发放月份", widget=forms.DateInput(attrs={"type": "month"}),
                                      input_formats=["%Y-%m", "%Y-%m-%d"], initial=lambda: timezone.localdate()
                                      .strftime("%Y-%m"))


class DeliverForm(forms.Form):
    delivered_on = forms.DateField(label="送达日期", widget=DATE_INPUT, initial=timezone.localdate)
