"""{% url %} with the URLs it reversed remembered per process (a template builtin: settings TEMPLATES).

`reverse()` walks the URL resolver on every call: on a page with a dozen links (the header, the menu's search
box, a link per to-do group) it was a quarter of the template's CPU (bench/README.md). A URL depends only on
the URL configuration, the script prefix, the language, the view name, its arguments and the current
namespace, which together are the key; arguments other than plain strings and integers are reversed each time.
Everything else is Django's tag: same syntax, same errors, same escaping."""
from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template import defaulttags
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()
MAX_ENTRIES = 4096
_urls: dict[tuple, str] = {}
_PLAIN = (str, int)


class MemoURLNode(defaulttags.URLNode):
    def render(self, context):
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((k, v.resolve(context)) for k, v in self.kwargs.items())
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        key = None
        if type(view_name) is str and all(type(a) in _PLAIN for a in args) \
                and all(type(v) in _PLAIN for _, v in kwargs):
            key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language(), view_name, args,
                   kwargs, current_app)
        url = _urls.get(key) if key is not None else None
        if url is None:
            url = ""
            try:
                url = reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)
            except NoReverseMatch:
                if self.asvar is None:
                    raise
            else:
                if key is not None:
                    if len(_urls) >= MAX_ENTRIES:
                        _urls.clear()
                    _urls[key] = url
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return MemoURLNode(node.view_name, node.args, node.kwargs, node.asvar)


def _forget(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _urls.clear()


setting_changed.connect(_forget, dispatch_uid="url-memo-forget")
