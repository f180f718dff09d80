"""Forms of active discovery: they only translate input; the services decide."""
from django import forms
from django.utils import timezone

from core.forms import DATE_INPUT
from discovery.models import LedgerRecord, Situation
from discovery.screening import CHECKS


class GridForm(forms.Form):
    name = forms.CharField(label="网格名称", max_length=50, help_text="如：第一网格（一、二组）")
    worker = forms.ModelChoiceField(label="网格员（系统用户）", queryset=None, required=False,
                                    help_text="本村网格员或村干部账号；没有账号的可只填姓名和电话")
    worker_name = forms.CharField(label="网格员姓名", max_length=50, required=False)
    worker_phone = forms.CharField(label="网格员电话", max_length=20, required=False)
    note = forms.CharField(label="范围说明", max_length=200, required=False)

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers

    def clean(self):
        d = super().clean()
        if not d.get("worker") and not (d.get("worker_name") or "").strip():
            self.add_error("worker_name", "请选择网格员账号或填写网格员姓名")
        return d


class WorkerChangeForm(GridForm):
    reason = forms.CharField(label="调整原因", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["name"]
        del self.fields["note"]


class PhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", widget=DATE_INPUT)
    seen = forms.CharField(label="见到的人", max_length=100, help_text="如：户主本人、配偶、邻居")
    situations = forms.MultipleChoiceField(label="发现的情况（可多选）", choices=Situation.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label="走访情况", widget=forms.Textarea(attrs={"rows": 4}), required=False,
                           max_length=2000, help_text="勾选了困难情况时必填")
    follow_up = forms.BooleanField(label="需要跟进（记入工作台账）", required=False)
    photos = forms.Field(label="照片（可选，最多5张）", required=False, help_text="JPEG/PNG，可直接拍照；照片加密保存",
                         widget=PhotoInput(attrs={"accept": "image/jpeg,image/png"}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("visited_on", timezone.localdate())
        super().__init__(*args, **kwargs)


HELP_CHOICES = [(c.key, c.label) for c in CHECKS]


class RecordForm(forms.Form):
    source = forms.ChoiceField(label="发现途径", choices=[c for c in LedgerRecord.Source.choices
                                                       if c[0] != LedgerRecord.Source.DEPARTMENT])
    household = forms.ModelChoiceField(label="家庭（已登记）", queryset=None, required=False)
    village = forms.ModelChoiceField(label="所在村（社区）（未登记对象）", queryset=None, required=False)
    subject_name = forms.CharField(label="对象姓名（未登记对象）", max_length=100, required=False)
    found_on = forms.DateField(label="发现日期", widget=DATE_INPUT)
    need = forms.CharField(label="发现的困难", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    assistance = forms.MultipleChoiceField(label="可能的救助", choices=HELP_CHOICES, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    due_date = forms.DateField(label="跟进期限", widget=DATE_INPUT, required=False, help_text="不填按参数计算")

    def __init__(self, *args, households=None, villages=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("found_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["village"].queryset = villages


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label="处理结果", choices=[c for c in LedgerRecord.Outcome.choices
                                                      if c[0] not in ("", LedgerRecord.Outcome.APPLICATION)])
    note = forms.CharField(label="理由或转介去向", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ScreeningForm(forms.Form):
    reason = forms.CharField(label="申请事由（带入每一件申请）", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    chosen = forms.MultipleChoiceField(label="开启的申请和转介", choices=HELP_CHOICES,
                                       widget=forms.CheckboxSelectMultiple)


class RefusalForm(forms.Form):
    kind = forms.ChoiceField(label="申请类别", choices=())
    reason = forms.CharField(label="不予受理的理由（书面）", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
