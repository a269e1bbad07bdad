"""The filter bars' selects are written in Python (core.widgets.quick_select): the same HTML as
Django's templates, option for option."""

import pytest
from django import forms
from django.test import RequestFactory

from hdnd_portal.core.models import Agency
from hdnd_portal.core.widgets import QuickSelectMixin, quick_select
from voters.filters import PetitionFilter

pytestmark = pytest.mark.django_db


def _django_html(widget, name, value) -> str:
    # The widget's own class without the mixin: Django's template rendering.
    return str(super(QuickSelectMixin, widget).render(name, value, {"id": f"id_{name}"}))


def test_the_petition_filter_selects_render_as_django_does(council, staff_user):
    Agency.objects.create(council=council, name="Sở Tài nguyên & Môi trường", short_name="STNMT")
    Agency.objects.create(council=council, name='Ban "Dân nguyện"')
    request = RequestFactory().get("/")
    request.council, request.user = council, staff_user
    form = PetitionFilter({"status": "forwarded", "is_urgent": "true"}, request=request).form
    selects = [(name, field) for name, field in form.fields.items() if isinstance(field.widget, forms.Select)]
    assert {"status", "kind", "agency", "is_urgent", "age"} <= {name for name, _f in selects}
    for name, field in selects:
        assert isinstance(field.widget, QuickSelectMixin), name
        value = form[name].value()
        assert str(field.widget.render(name, value, {"id": f"id_{name}"})) == _django_html(field.widget, name, value), name


@pytest.mark.parametrize("chosen", ["first", "second", "none", "unknown"])
def test_held_directory_options_render_as_django_does(council, staff_user, chosen):
    """The committees and agencies come from the process's held copy, escaped once."""
    from hdnd_portal.core.models import Body

    first = Agency.objects.create(council=council, name="Sở Tài nguyên & Môi trường", short_name="STNMT")
    second = Agency.objects.create(council=council, name='Ban "Dân nguyện" <b>')
    Body.objects.create(council=council, kind=Body.Kind.COMMITTEE, name="Ban Pháp chế & <Kinh tế>")
    value = {"first": str(first.pk), "second": str(second.pk), "none": "", "unknown": "999999"}[chosen]
    request = RequestFactory().get("/")
    request.council, request.user = council, staff_user
    for _ in range(2):
        form = PetitionFilter({"agency": value, "committee": value}, request=request).form
        for name in ("agency", "committee"):
            widget = form.fields[name].widget
            assert form.fields[name].iterator.held_html(form.fields[name].iterator(form.fields[name])) is not None
            html = str(widget.render(name, form[name].value(), {"id": f"id_{name}"}))
            assert html == _django_html(widget, name, form[name].value()), name
            if name == "agency" and chosen in ("first", "second"):
                assert html.count(" selected>") == 1 and f'<option value="{value}" selected>' in html


def test_optgroups_multiple_and_escaping_match_too():
    widget = forms.SelectMultiple(
        choices=[("Nhóm <a>", [("1", "Một & hai"), ("2", 'Hai "ba"')]), ("3", "Ba")],
        attrs={"class": "form-select", "required": True, "disabled": False},
    )
    quick_select(widget)
    assert isinstance(widget, QuickSelectMixin)
    assert str(widget.render("x", ["2", "3"])) == str(super(QuickSelectMixin, widget).render("x", ["2", "3"]))


def test_a_select_with_its_own_template_is_left_alone():
    class Custom(forms.Select):
        template_name = "core/widgets/custom.html"

    widget = Custom()
    quick_select(widget)
    assert not isinstance(widget, QuickSelectMixin)


@pytest.mark.parametrize(
    "widget, value",
    [
        (forms.TextInput(attrs={"class": "form-control", "placeholder": 'Tên "A" & <B>'}), 'Nguyễn "Văn" <A> & B'),
        (forms.TextInput(), None),
        (forms.TextInput(), ""),
        (forms.NumberInput(attrs={"min": 0, "step": 1, "required": True, "disabled": False}), 12),
        (forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "off"}), "31/02/2026"),
        (forms.EmailInput(), "a&b@example.vn"),
        (forms.HiddenInput(), "<x>"),
        (forms.PasswordInput(), "secret"),
        (forms.PasswordInput(render_value=True), "secret"),
        (forms.CheckboxInput(), True),
        (forms.CheckboxInput(), False),
        (forms.TextInput(attrs={"type": "search"}), "dat dai"),
    ],
)
def test_the_filter_bars_inputs_render_as_django_does(widget, value):
    from datetime import date

    from hdnd_portal.core.forms_base import DateInput
    from hdnd_portal.core.widgets import QuickInputMixin, quick_input

    for each, shown in ((widget, value), (DateInput(), date(2026, 2, 1)), (DateInput(), "not a date")):
        django_html = str(each.render("field", shown, {"id": "id_field"}))
        quick_input(each)
        assert isinstance(each, QuickInputMixin)
        assert str(each.render("field", shown, {"id": "id_field"})) == django_html


def test_an_input_with_its_own_template_or_render_is_left_alone():
    from hdnd_portal.core.widgets import QuickInputMixin, quick_input

    class Custom(forms.TextInput):
        template_name = "core/widgets/custom.html"

    class Rendered(forms.TextInput):
        def render(self, name, value, attrs=None, renderer=None):
            return "mine"

    for widget in (Custom(), Rendered(), forms.ClearableFileInput(), forms.Textarea()):
        quick_input(widget)
        assert not isinstance(widget, QuickInputMixin)


def test_the_letters_filter_bar_writes_its_date_fields_in_python(council, staff_user):
    from citizens.filters import LetterFilter
    from hdnd_portal.core.widgets import QuickInputMixin

    request = RequestFactory().get("/")
    request.council, request.user = council, staff_user
    form = LetterFilter({"received_from": "01/02/2026", "received_to": "<b>"}, request=request).form
    for name in ("received_from", "received_to"):
        widget = form.fields[name].widget
        assert isinstance(widget, QuickInputMixin), name
        value = form[name].value()
        html = str(widget.render(name, value, {"id": f"id_{name}"}))
        assert html == str(super(QuickInputMixin, widget).render(name, value, {"id": f"id_{name}"}))
    assert 'value="&lt;b&gt;"' in str(form["received_to"])


def test_choices_from_a_function_are_worked_out_once_per_request(council, staff_user, monkeypatch):
    """The sessions' years come from a function: read once for the filter bar, not once for the
    select, once for its required check and once more for validation."""
    import sessions.filters
    from sessions.filters import SessionFilter

    calls = []
    years = sessions.filters.year_choices
    monkeypatch.setattr(sessions.filters, "year_choices", lambda: calls.append(1) or years())
    request = RequestFactory().get("/")
    request.council, request.user = council, staff_user
    filterset = SessionFilter({"year": "2025"}, request=request)
    html = str(filterset.form["year"])
    assert filterset.is_valid() and filterset.form.cleaned_data["year"] == 2025
    assert len(calls) == 1
    assert html.index('<option value="">') < html.index('<option value="2025" selected>')
    assert html.count("<option") == len(years()) + 1
