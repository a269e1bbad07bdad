"""Every multi-select of deputies, agencies (and other long lists) in the portal's forms is the
searchable one (core.widgets.SearchableSelectMultiple), and agencies are offered by full name."""

from datetime import date

import pytest
from django import forms

from citizens.forms import DayForm, ScheduleForm
from hdnd_portal.core.forms import BodyForm, CouncilForm
from hdnd_portal.core.widgets import SearchableSelectMultiple, agency_label
from oversight.forms import ActivityForm, CommitmentForm
from programmes.forms import BriefingForm, ProgrammeForm
from voters.forms import ForwardForm, IntakeForm, MeetingForm, PetitionForm
from voters.models import VoterMeeting

pytestmark = pytest.mark.django_db

MODEL_FORMS = [
    (MeetingForm, ["deputies"]),
    (PetitionForm, ["deputies", "meetings"]),
    (ActivityForm, ["agencies", "team_deputies", "team_staff"]),
    (CommitmentForm, ["deputies"]),
    (ScheduleForm, ["receivers"]),
    (DayForm, ["receivers"]),
    (ProgrammeForm, ["partner_agencies"]),
    (BriefingForm, ["participants", "bodies"]),
    (CouncilForm, ["predecessors"]),
    (BodyForm, ["fields"]),
]


@pytest.mark.parametrize(("form_class", "names"), MODEL_FORMS, ids=[f.__name__ for f, _ in MODEL_FORMS])
def test_every_multiple_choice_is_searchable(form_class, names, council):
    form = form_class(council=council)
    for name in names:
        assert isinstance(form.fields[name].widget, SearchableSelectMultiple), name
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelMultipleChoiceField):
            assert isinstance(field.widget, SearchableSelectMultiple), f"{form_class.__name__}.{name}"


def test_the_searchable_select_renders_a_plain_select_for_pages_without_javascript(council, make_deputy):
    make_deputy(council, "Nguyễn Văn An")
    make_deputy(council, "Trần Thị Bình")
    html = str(MeetingForm(council=council)["deputies"])
    assert "<select" in html and "multiple" in html and "data-searchable" in html
    assert 'size="8"' in html  # without the script: a list tall enough to read
    assert "Nguyễn Văn An" in html and "Trần Thị Bình" in html
    assert 'data-search-placeholder="' in html and 'data-remove-label="' in html


def test_the_intake_forms_deputies_are_searchable(council, make_deputy):
    make_deputy(council, "Nguyễn Văn An")
    meeting = VoterMeeting.objects.create(council=council, date=date(2026, 1, 10), voter_count=10)
    assert isinstance(IntakeForm(meeting=meeting).fields["deputies"].widget, SearchableSelectMultiple)


def test_agencies_are_offered_by_full_name_with_the_abbreviation_after(council, agency):
    assert agency_label(agency) == "Sở Xây dựng (SXD)"
    assert "Sở Xây dựng (SXD)" in str(ActivityForm(council=council)["agencies"])
    assert "Sở Xây dựng (SXD)" in str(ForwardForm(council=council)["agency"])
    assert "Sở Xây dựng (SXD)" in str(CommitmentForm(council=council)["agency"])
    agency.short_name = ""
    assert agency_label(agency) == "Sở Xây dựng"


def test_list_filters_offer_agencies_by_full_name(rf, council, staff_user):
    from hdnd_portal.core.models import Agency
    from hdnd_portal.notifications.filters import DeadlineFilter

    Agency.objects.create(council=council, name="Sở Nông nghiệp và Môi trường", short_name="SNNMT")
    request = rf.get("/")
    request.council, request.user = council, staff_user
    field = DeadlineFilter(data={}, request=request).form.fields["responsible_agency"]
    assert "Sở Nông nghiệp và Môi trường (SNNMT)" in [label for _, label in field.choices]
