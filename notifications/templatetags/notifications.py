"""`{% notifications_panel app %}` on the case page: the messages the applicant got and the documents request."""
from django import template

from accounts.scope import Action, handles
from attachments import checklist
from notifications import selectors
from notifications.forms import DocumentsForm

register = template.Library()


@register.inclusion_tag("notifications/_panel.html", takes_context=True)
def notifications_panel(context, app):
    user = context["request"].user
    rows = list(selectors.for_application(user, app)[:20])
    may_request = (not app.is_final and handles(user, Action.CASE_PROCESS, app, app.handling_township_id)
                   and bool(checklist.missing(app)))
    return {"app": app, "rows": rows, "may_request": may_request, "form": DocumentsForm() if may_request else None}
