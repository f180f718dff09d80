import datetime as dt

from django import forms
from django.utils import timezone

from core.forms import DATE_INPUT


class DocumentsForm(forms.Form):
    due_on = forms.DateField(label="补交截止日期", widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"due_on": timezone.localdate() + dt.timedelta(days=7)})
        super().__init__(*args, **kwargs)


class TemplateForm(forms.Form):
    body = forms.CharField(label="短信内容", widget=forms.Textarea(attrs={"rows": 3}), max_length=300)
