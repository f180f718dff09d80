from django import forms

from monitoring.models import Clue
from monitoring.sources import SOURCE_CHOICES


class UploadForm(forms.Form):
    source = forms.ChoiceField(label="数据来源", choices=[("", "请选择部门数据")] + SOURCE_CHOICES)
    period = forms.DateField(label="比对月份", required=False, widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                             input_formats=["%Y-%m", "%Y-%m-%d"], help_text="留空为本月")
    file = forms.FileField(label="部门数据文件", help_text="Excel（.xlsx/.xls）或 CSV；可带标题行，身份证号码列须为文本",
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}))


class FindingForm(forms.Form):
    result = forms.ChoiceField(label="核查结论", choices=[("confirmed", "属实"), ("unfounded", "不属实")],
                               widget=forms.RadioSelect)
    finding = forms.CharField(label="核查情况", widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="写明入户或调取的核查情况；不属实的须写明理由")
    deceased_on = forms.DateField(label="核实的死亡日期", required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}), help_text="仅死亡线索确认时填写")

    def __init__(self, *args, clue: Clue, **kwargs):
        super().__init__(*args, **kwargs)
        if clue.kind != Clue.Kind.DEATH:
            del self.fields["deceased_on"]
