"""Filter forms built once per FilterSet class and language (core.filters.FormBuiltOnce), and the
API's FilterSet classes built once per viewset (PortalFilterBackend): each request still gets
filters and form fields of its own, limited to its council."""

from types import SimpleNamespace

import pytest
from django.http import QueryDict
from django.utils import translation

from hdnd_portal.core.filters import PortalFilterBackend
from hdnd_portal.core.models import Body
from voters import services
from voters.api import PetitionViewSet
from voters.filters import PetitionFilter
from voters.models import Petition

pytestmark = pytest.mark.django_db


def _filter(council, query=""):
    request = SimpleNamespace(council=council, GET=QueryDict(query))
    return PetitionFilter(QueryDict(query) if query else None, queryset=Petition.objects.all(), request=request)


def test_the_form_class_is_built_once_and_each_filterset_has_its_own_filters_and_fields(
        council, other_council, term, committee):
    Body.objects.create(council=other_council, term=term, kind=Body.Kind.COMMITTEE, name="Ban Kinh tế")
    with translation.override("vi"):
        ours, theirs = _filter(council), _filter(other_council)
    assert type(ours.form) is type(theirs.form)  # built once
    for name in ours.filters:
        assert ours.filters[name] is not theirs.filters[name]
        assert ours.filters[name].parent is ours and theirs.filters[name].parent is theirs
        assert ours.filters[name].extra is not theirs.filters[name].extra
        assert ours.form.fields[name] is not theirs.form.fields[name]
    # each form's choices are its council's
    assert [label for _, label in ours.form.fields["committee"].choices][1:] == ["Ban Đô thị"]
    assert [label for _, label in theirs.form.fields["committee"].choices][1:] == ["Ban Kinh tế"]
    # a filter with a method resolves it on its own FilterSet
    assert ours.filters["overdue"].filter.f is ours.filters["overdue"]


def test_filters_still_filter_and_refuse_bad_values(council):
    services.petition_create(council=council, content="Kiến nghị đường làng", locality="Đông Anh")
    services.petition_create(council=council, content="Kiến nghị trường học", locality="Sóc Sơn")
    found = _filter(council, "locality=Đông")
    assert found.is_valid()
    assert [p.content for p in found.qs] == ["Kiến nghị đường làng"]
    assert _filter(council, "overdue=true").qs.count() == 0
    bad = _filter(council, "year=abc")
    assert not bad.is_valid() and "year" in bad.form.errors


def test_the_form_is_held_per_language(council):
    with translation.override("en"):
        english = _filter(council)
        assert str(english.form.fields["status"].label) == "Status"
    with translation.override("vi"):
        vietnamese = _filter(council)
        assert str(vietnamese.form.fields["status"].label) == "Tình trạng"
    assert type(english.form) is not type(vietnamese.form)


def test_the_api_filterset_class_is_built_once_per_viewset():
    backend, view = PortalFilterBackend(), PetitionViewSet()
    first = backend.get_filterset_class(view, Petition.objects.all())
    assert backend.get_filterset_class(view, Petition.objects.all()) is first
    assert set(first.base_filters) >= {"council", "status", "committee"}
