"""The assistance categories: one table of codes and labels that every model, page, export, chart and parameter
reads (cases.Entitlement.Category is this class). The ground floor holds it because parameters list categories."""
from django.db import models


class Category(models.TextChoices):
    DIBAO = "dibao", "低保"
    TEKUN_CENTRAL = "tekun_central", "特困（集中供养）"
    TEKUN_DISPERSED = "tekun_dispersed", "特困（分散供养）"
    DIBAO_EDGE = "dibao_edge", "低保边缘"
    RIGID_EXPENSE = "rigid_expense", "刚性支出困难"
    MONITOR_UNSTABLE = "monitor_unstable", "防返贫监测（脱贫不稳定）"
    MONITOR_EDGE = "monitor_edge", "防返贫监测（边缘易致贫）"
    MONITOR_SUDDEN = "monitor_sudden", "防返贫监测（突发严重困难）"


# Paid every month through the payment batches (低保 and 特困); the other categories are registered and monitored.
PAID = (Category.DIBAO, Category.TEKUN_CENTRAL, Category.TEKUN_DISPERSED)
TEKUN = (Category.TEKUN_CENTRAL, Category.TEKUN_DISPERSED)
LABELS: dict[str, str] = dict(Category.choices)


def label(code: str) -> str:
    """The label of a category code; an unknown code is shown as it is."""
    return LABELS.get(code, code)
