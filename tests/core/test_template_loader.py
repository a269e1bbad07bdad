"""The portal's template loader works out each constant tag once (core.template_loader): the pages
print what Django's own loader prints, in every language, under every script prefix, URLconf and
admin site, and a tag that reads the context is left alone."""

import pytest
from django.template import Context, Engine, RequestContext, engines
from django.template.defaulttags import URLNode
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.test import RequestFactory, override_settings
from django.urls import set_script_prefix
from django.utils import translation

from hdnd_portal.core.template_loader import HeldStaticNode, HeldTranslateNode, HeldURLNode, Loader

SOURCE = """{% load i18n static %}
<a href="{% url 'home' %}">{% translate "HĐND Portal" %}</a>
<a href="{% url 'logout' %}">{% translate "Log out" %}</a> {% translate "Log out" noop %}
<link href="{% static 'css/portal.css' %}">
{% if show %}{% for x in items %}<b>{% translate "Close" %}</b>{% url 'admin:index' %}{% endfor %}{% endif %}
{% block body %}{% translate "Cancel" %}{% endblock %}
{% translate title %} {% translate "Menu" as menu %}{{ menu }} {% translate "Filter"|upper %}
{% translate "Search" context "a list's search box" %} {% url name %} {% url 'sessions:session_detail' 7 %}
{% url 'home' as home %}{{ home }} {% static path %} {% static 'js/portal.js' as js %}{{ js }}
{% autoescape off %}{% translate "Clear" %}{% url 'home' %}{% endautoescape %}"""

CONTEXT = {"show": True, "items": [1, 2], "title": "Council sessions", "name": "home", "path": "css/x&y.css"}


def _engines():
    templates = {"page.html": SOURCE}
    locmem = ("django.template.loaders.locmem.Loader", templates)
    libraries = {"i18n": "django.templatetags.i18n", "static": "django.templatetags.static"}
    held = Engine(loaders=[("hdnd_portal.core.template_loader.Loader", [locmem])], libraries=libraries)
    plain = Engine(loaders=[("django.template.loaders.cached.Loader", [locmem])], libraries=libraries)
    return held, plain


def _render(engine, request=None):
    context = Context(CONTEXT) if request is None else RequestContext(request, CONTEXT)
    return engine.get_template("page.html").render(context)


def test_the_portal_loads_its_templates_through_the_holding_loader():
    loaders = engines["django"].engine.template_loaders
    assert [type(loader) for loader in loaders] == [Loader]
    template = engines["django"].engine.get_template("base.html")
    held = [n for n in template.nodelist.get_nodes_by_type(TranslateNode) if isinstance(n, HeldTranslateNode)]
    assert len(held) >= 8
    assert template.nodelist.get_nodes_by_type(HeldURLNode) and template.nodelist.get_nodes_by_type(HeldStaticNode)


def test_only_the_constant_tags_are_held():
    held, _plain = _engines()
    nodelist = held.get_template("page.html").nodelist
    translations = nodelist.get_nodes_by_type(TranslateNode)
    urls = nodelist.get_nodes_by_type(URLNode)
    statics = nodelist.get_nodes_by_type(StaticNode)
    assert sum(isinstance(n, HeldTranslateNode) for n in translations) == 6  # portal, log out ×2, close, cancel, clear
    assert sum(not isinstance(n, HeldTranslateNode) for n in translations) == 4  # variable, as, filter, context
    assert sum(isinstance(n, HeldURLNode) for n in urls) == 4  # home ×2, logout, admin:index
    assert sum(not isinstance(n, HeldURLNode) for n in urls) == 3  # variable, argument, as
    assert [isinstance(n, HeldStaticNode) for n in statics] == [True, False, False]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_pages_print_what_djangos_loader_prints_in_each_language_again_and_again(language):
    held, plain = _engines()
    request = RequestFactory().get("/")
    for lang in (language, "en" if language == "vi" else "vi", language):
        with translation.override(lang):
            first = _render(held, request)
            assert first == _render(plain, request) == _render(held, request)
            if lang == "vi":
                assert ">Thoát</a>" in first and "Cổng thông tin HĐND" in first
            else:
                assert ">Log out</a>" in first and "Thoát" not in first


def test_a_script_prefix_urlconf_and_admin_site_change_the_urls():
    held, plain = _engines()
    request = RequestFactory().get("/")
    try:
        for prefix in ("/", "/hdnd/", "/"):
            set_script_prefix(prefix)
            html = _render(held, request)
            assert html == _render(plain, request)
            assert f'<a href="{prefix}logout/">' in html or f'<a href="{prefix}accounts/logout/">' in html
    finally:
        set_script_prefix("/")
    with override_settings(ROOT_URLCONF="hdnd_portal.core.benchmark.urls"):
        for app in ("admin", "benchadmin", "admin"):
            request.current_app = app
            html = _render(held, request)
            assert html == _render(plain, request)
            assert ("/bench-admin/" in html) == (app == "benchadmin")


def test_a_held_node_keeps_few_copies():
    from hdnd_portal.core import template_loader

    held, _plain = _engines()
    request = RequestFactory().get("/")
    try:
        for i in range(template_loader.HELD_MAX + 5):
            set_script_prefix(f"/p{i}/")
            _render(held, request)
    finally:
        set_script_prefix("/")
    nodes = held.get_template("page.html").nodelist.get_nodes_by_type(HeldURLNode)
    assert all(0 < len(node._held) <= template_loader.HELD_MAX for node in nodes)
