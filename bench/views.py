"""The baseline: a bare Django view over the same table — plain queryset, 50 rows, trivial template,
served with no middleware, no session, no authentication and no navigation."""
from django.http import HttpResponse
from django.template import engines

from cases.models import Household

TEMPLATE = engines["django"].from_string(
    "<!DOCTYPE html><html><body><table>{% for h in rows %}<tr><td>{{ h.head_name }}</td>"
    "<td>{{ h.get_hukou_type_display }}</td><td>{{ h.township_id }}</td><td>{{ h.village_id }}</td>"
    "<td>{{ h.address }}</td></tr>{% endfor %}</table></body></html>"
)


def bare(request):
    rows = list(Household.objects.order_by("-id")[:50])
    return HttpResponse(TEMPLATE.render({"rows": rows}))
