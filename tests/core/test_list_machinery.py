"""What the lists' shared parts read from the request's loaded hierarchy instead of the database
(issue #13) is what the database says; the apps' menus, rendered once per permissions and reused,
still differ by permissions; the filter selects print the same HTML as Django's templates."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from hdnd_portal.core import widgets
from hdnd_portal.core.models import Council, CouncilRole
from hdnd_portal.core.scoping import Access, council_and_below

pytestmark = pytest.mark.django_db


def test_the_loaded_hierarchy_answers_as_the_database(make_user, make_council, council, commune):
    district = make_council("Quận Ba Đình", level=Council.Level.DISTRICT, parent=council,
                            dissolved_on=None, is_active=False)
    make_council("Phường Trúc Bạch", level=Council.Level.COMMUNE, parent=district)
    make_council("Xã Ba Vì", level=Council.Level.COMMUNE, parent=council)
    make_council("Tỉnh Nghệ An")
    for user in (make_user("a", council, CouncilRole.Role.STAFF), make_user("b", commune, CouncilRole.Role.STAFF)):
        access = Access(user)
        for role in access.roles:
            assert sorted(access.council_and_below(role.council)) == sorted(council_and_below(role.council))
            assert access.has_councils_below(role.council) == role.council.children.exists()
        switchable = access.switchable_councils()
        expected = list(access.councils().values_list("id", "name", "level", "dissolved_on"))
        assert switchable is None or list(switchable) == expected
        # Kept on the hierarchy, which a process shares between the requests of the same roles
        # on the same tree (outside a transaction, as a test's is not).
        assert access.switchable_councils() is switchable is access._hierarchy.switchable


def test_two_role_councils_of_one_level_fall_back_to_the_database_order(make_user, make_council, council):
    other = make_council("Tỉnh Bắc Ninh")
    user = make_user("hai", council, CouncilRole.Role.STAFF)
    CouncilRole.objects.create(user=user, council=other, role=CouncilRole.Role.STAFF)
    assert Access(user).switchable_councils() is None


def test_menus_follow_the_permissions_even_when_reused(client_for, make_user, council):
    staff = client_for(make_user("nv", council, CouncilRole.Role.STAFF))
    viewer = client_for(make_user("xem2", council, CouncilRole.Role.VIEWER))
    new_petition = reverse("voters:petition_create")
    for _ in range(2):  # the second round is served from the kept menus
        assert new_petition in staff.get(reverse("home")).content.decode()
        assert new_petition not in viewer.get(reverse("home")).content.decode()


def test_filter_selects_print_what_djangos_templates_print(staff_user, council, agency):
    from voters.filters import PetitionFilter
    from voters.models import Petition

    request = RequestFactory().get("/", {"agency": agency.pk, "status": "forwarded", "is_urgent": "true"})
    request.user = staff_user
    request.council = council
    request.access = Access(staff_user)
    form = PetitionFilter(request.GET, queryset=Petition.objects.none(), request=request).form
    compared = 0
    for bound in form:
        if isinstance(bound.field.widget, widgets.QuickSelectMixin):
            fast = str(bound)
            plain, widgets._plain_options = widgets._plain_options, lambda cls: False
            try:
                assert fast == str(bound), bound.name
            finally:
                widgets._plain_options = plain
            compared += 1
    assert compared >= 5
    assert f'<option value="{agency.pk}" selected>' in str(form["agency"])


# The filter bar's loop as core/list.html and voters/petition_list.html wrote it in the template.
_LOOPS = {
    "list": (
        '{% for field in form %}\n    <div class="col-6 col-md-4 col-xl-2">\n'
        '      <label class="form-label small mb-0 text-truncate d-block" for="{{ field.id_for_label }}" '
        'title="{{ field.label }}">{{ field.label }}</label>\n      {{ field }}\n'
        '      {% for error in field.errors %}<div class="text-danger small">{{ error }}</div>{% endfor %}\n'
        "    </div>\n    {% endfor %}",
        "{% load portal %}{% filter_fields form %}",
    ),
    "petitions": (
        '{% for field in form.visible_fields %}\n    <div class="col-6 col-md-2">\n'
        '      <label class="form-label small mb-0" for="{{ field.id_for_label }}">{{ field.label }}</label>\n'
        "      {{ field }}\n"
        '      {% for error in field.errors %}<div class="text-danger small">{{ error }}</div>{% endfor %}\n'
        "    </div>\n    {% endfor %}",
        '{% load portal %}{% filter_fields form.visible_fields "col-6 col-md-2" False %}',
    ),
}


@pytest.mark.parametrize("loop", sorted(_LOOPS))
@pytest.mark.parametrize("query", [{}, {"status": "<b>x</b>", "agency": "999999", "received_from": "31/02/2026"}])
def test_the_filter_bar_prints_what_the_templates_loop_printed(staff_user, council, agency, loop, query):
    from django.template import engines

    from voters.filters import PetitionFilter
    from voters.models import Petition

    request = RequestFactory().get("/", query)
    request.user, request.council, request.access = staff_user, council, Access(staff_user)
    form = PetitionFilter(request.GET or None, queryset=Petition.objects.none(), request=request).form
    template, tag = (engines["django"].from_string(source) for source in _LOOPS[loop])
    printed = tag.render({"form": form})
    assert printed == template.render({"form": form})
    if query:
        assert 'class="text-danger small"' in printed and "<b>x</b>" not in printed


_HEADER_LOOP = """{% for column in columns %}
    <th scope="col" class="{{ column.css }}">
      {% if column.sort %}
        {% if sort == column.sort %}<a href="?{{ sort_querystring }}{% if sort_querystring %}&{% endif %}sort=-{{ column.sort }}">{{ column.label }} ▲</a>
        {% elif sort == "-"|add:column.sort %}<a href="?{{ sort_querystring }}{% if sort_querystring %}&{% endif %}sort={{ column.sort }}">{{ column.label }} ▼</a>
        {% else %}<a href="?{{ sort_querystring }}{% if sort_querystring %}&{% endif %}sort={{ column.sort }}">{{ column.label }}</a>{% endif %}
      {% else %}{{ column.label }}{% endif %}
    </th>
    {% endfor %}"""


def _between_tags(html: str) -> str:
    """The HTML without the whitespace the template's indentation puts between and inside tags."""
    import re

    return re.sub(r">\s+", ">", re.sub(r"\s+<", "<", html.strip()))


@pytest.mark.parametrize("sort", ["", "number", "-number", "planned_start", "-status", "venue"])
@pytest.mark.parametrize("query", ["", "below=1&q=%3Cb%3E+%22x%22&term=3"])
def test_the_header_cells_print_what_the_templates_loop_printed(sort, query):
    from django.http import QueryDict
    from django.template import engines

    from hdnd_portal.core.views.generic import Column
    from sessions.views.sessions import SessionList

    columns = [*SessionList.columns, Column("venue", "Nơi <họp> & \"phòng\"", sort="venue", css="text-end small")]
    context = {"columns": columns, "sort": sort, "sort_querystring": QueryDict(query).urlencode()}
    loop = engines["django"].from_string(_HEADER_LOOP).render(context)
    tag = engines["django"].from_string(
        "{% load portal %}{% column_headers columns sort sort_querystring %}"
    ).render(context)
    assert _between_tags(tag) == _between_tags(loop)
    assert tag.count("<th ") == len(columns)
    if sort:
        assert tag.count(" ▲</a>" if not sort.startswith("-") else " ▼</a>") == 1
