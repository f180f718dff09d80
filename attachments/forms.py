from django import forms

from attachments.doctypes import DocType

ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


class UploadForm(forms.Form):
    owner = forms.ChoiceField(label="材料归属", required=False)
    doc_type = forms.ChoiceField(label="材料类别", choices=[("", "请选择")] + list(DocType.choices))
    title = forms.CharField(label="材料名称", max_length=100, required=False,
                            help_text="可不填，默认用材料类别；如“张三2026年10月工资证明”")
    # The two inputs come last: when a file is refused for its size, the fields above are still read.
    file = forms.FileField(label="选择文件", required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                           help_text="PDF、JPEG 或 PNG")
    photo = forms.FileField(label="或用手机拍照", required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
                            help_text="在手机上点此直接打开相机拍摄材料")

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        if len(owners) > 1:
            self.fields["owner"].choices = owners
            self.fields["owner"].required = True
        else:
            del self.fields["owner"]

    def upload(self):
        return self.cleaned_data.get("file") or self.cleaned_data.get("photo")


class RemoveForm(forms.Form):
    reason = forms.CharField(label="撤下原因", max_length=200)
