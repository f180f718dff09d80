"""`{% attachment_panel obj %}`: the files and the checklist of an owner, on the owner's own page (a template of
another app loads this tag; no Python import crosses the floor)."""
from django import template

from attachments import checklist, selectors
from attachments.owners import spec_for

register = template.Library()


@register.inclusion_tag("attachments/_panel.html", takes_context=True)
def attachment_panel(context, obj):
    user = context["request"].user
    spec = spec_for(obj)
    if spec is None or not selectors.may_view(user, obj):
        return {"show": False}
    rows = selectors.with_owner_names(selectors.for_owner(obj)[:12])
    items = checklist.status(obj)
    return {
        "show": True, "owner": obj, "label": obj._meta.label_lower, "spec": spec, "rows": rows,
        "items": items, "missing": [i for i in items if not i.done],
        "can_change": selectors.may_change(user, obj),
    }
