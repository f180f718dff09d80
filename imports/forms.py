from django import forms

from imports.models import HouseholdImport


class ImportForm(forms.Form):
    file = forms.FileField(label="家庭成员文件", help_text="Excel（.xlsx/.xls）或 GBK/UTF-8 编码的 CSV；建议使用导入模板",
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}))
    mode = forms.ChoiceField(label="导入方式", choices=HouseholdImport.Mode.choices, initial=HouseholdImport.Mode.CREATE)
    dry_run = forms.BooleanField(label="仅试导入（只校验并显示将新增、更新、跳过多少户，不写入）", required=False,
                                 initial=True)
