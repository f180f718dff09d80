"""{% url %} remembering its URLs (core/templatetags/url_memo.py, a template builtin) answers exactly as Django's
tag, and a different URL configuration or script prefix gets its own URLs."""
import pytest
from django.template import Context, Template, TemplateSyntaxError, engines
from django.template.engine import Engine
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, path, set_script_prefix

from core.templatetags import url_memo

CASES = [
    ("{% url 'home' %}", {}),
    ("{% url 'funds:batch_detail' 7 %}|{% url 'funds:batch_detail' pk %}|{% url 'funds:batch_detail' pk=pk %}",
     {"pk": 12}),
    ("{% url 'funds:batch_detail' obj.pk %}", {"obj": type("O", (), {"pk": 3})()}),
    ("{% url 'reports:list_export' 'households' %}?x=1", {}),
    ("{% url name %}", {"name": "cases:household_list"}),
    ("{% url 'nothing-here' as u %}[{{ u }}]{% url 'home' as h %}[{{ h }}]", {}),
    ("{% autoescape off %}{% url 'home' %}{% endautoescape %}", {}),
]


def _plain_engine():
    return Engine(app_dirs=True, libraries={})  # Django's own tags only


@pytest.mark.parametrize(("source", "ctx"), CASES)
def test_same_output_as_djangos_tag(source, ctx):
    url_memo._urls.clear()
    ours = engines["django"].from_string(source)
    assert type(ours.template.nodelist.get_nodes_by_type(url_memo.MemoURLNode)[0]) is url_memo.MemoURLNode
    expected = _plain_engine().from_string(source).render(Context(ctx))
    assert ours.render(ctx) == expected
    assert ours.render(ctx) == expected  # from memory this time


def test_unknown_view_still_raises():
    with pytest.raises(NoReverseMatch):
        engines["django"].from_string("{% url 'nothing-here' %}").render({})
    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string("{% url %}")


def test_script_prefix_and_urlconf_are_part_of_the_key():
    template = engines["django"].from_string("{% url 'home' %}")
    assert template.render({}) == "/"
    set_script_prefix("/jiuzhu/")
    try:
        assert template.render({}) == "/jiuzhu/"
    finally:
        clear_script_prefix()
        set_script_prefix("/")
    assert template.render({}) == "/"
    with override_settings(ROOT_URLCONF=__name__):
        assert template.render({}) == "/elsewhere/"
    assert template.render({}) == "/"


def _view(request):  # pragma: no cover - only reversed
    return None


urlpatterns = [path("elsewhere/", _view, name="home")]


def test_the_project_templates_use_it():
    assert isinstance(Template("{% url 'home' %}", engine=engines["django"].engine).nodelist[0],
                      url_memo.MemoURLNode)
