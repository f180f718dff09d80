"""Public pages without login (§2 公示, §11): pick a village, read its notice board. Masked names only."""
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from cases.publicity import selectors
from cases.publicity.selectors import public_village
from core.models import Region

CITY_CODE = "410800"


def _public(response):
    # Names (even masked) on a notice board are for the village, not for search engines or shared caches.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


def public_index(request):
    """County → township → village."""
    county = township = None
    code = request.GET.get("township", "")
    if code:
        township = Region.objects.filter(code=code, level=Region.Level.TOWNSHIP).select_related("parent").first()
        if township is None:
            raise Http404("未找到")
        county = township.parent
    elif request.GET.get("county"):
        county = Region.objects.filter(code=request.GET["county"], level=Region.Level.COUNTY).first()
        if county is None:
            raise Http404("未找到")
    if township is not None:
        choices = Region.objects.filter(parent=township, level=Region.Level.VILLAGE).order_by("code")
        step = "village"
    elif county is not None:
        choices = Region.objects.filter(parent=county, level=Region.Level.TOWNSHIP).order_by("code")
        step = "township"
    else:
        choices = Region.objects.filter(level=Region.Level.COUNTY).order_by("code")
        step = "county"
    return _public(render(request, "public/index.html", {
        "county": county, "township": township, "choices": list(choices), "step": step,
        "complaint_phone": settings.JIUZHU_COMPLAINT_PHONE,
    }))


def public_village_page(request, code):
    village = public_village(code)
    if village is None:
        raise Http404("未找到")
    dibao_rows = selectors.public_dibao_list(village)
    return _public(render(request, "public/village.html", {
        "village": village, "township": village.parent, "county": village.parent.parent,
        "publicity_rows": selectors.publicity_cases(village),
        "dibao_rows": dibao_rows,
        "dibao_total": sum((r.monthly_amount for r in dibao_rows), start=0),
        "dibao_persons": sum(r.household_size for r in dibao_rows),
        "complaint_phone": settings.JIUZHU_COMPLAINT_PHONE, "today": timezone.localdate(),
    }))
