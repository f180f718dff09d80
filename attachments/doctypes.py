"""The kinds of 材料 (evidence documents) an application is made of."""
from django.db import models


class DocType(models.TextChoices):
    ID_CARD = "id_card", "身份证"
    HUKOU = "hukou", "户口簿"
    INCOME = "income", "收入证明"
    PROPERTY = "property", "财产证明"
    MEDICAL = "medical", "医疗票据/病历"
    DISABILITY = "disability", "残疾证"
    AUTHORIZATION = "authorization", "家庭经济状况核对授权书"
    APPLICATION_FORM = "application_form", "申请书"
    VISIT_PHOTO = "visit_photo", "入户调查照片"
    OTHER = "other", "其他材料"


LABELS = dict(DocType.choices)
