"""A create form saves once: a double click or the back button followed by "save" again sends the
same one-time token, and the repeat is sent to the record the first submission created."""

import re

import pytest
from django.urls import reverse

from hdnd_portal.core.models import Term

pytestmark = pytest.mark.django_db


def _token(page: str) -> str:
    return re.search(r'name="_once" value="([^"]+)"', page).group(1)


def test_submitting_the_same_create_form_twice_creates_one_record(staff_client, council):
    page = staff_client.get(reverse("core:term_create")).content.decode()
    data = {"numeral": "XVII", "start_year": 2026, "end_year": 2031, "_once": _token(page)}
    first = staff_client.post(reverse("core:term_create"), data)
    assert first.status_code == 302
    again = staff_client.post(reverse("core:term_create"), data)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Term.objects.filter(council=council, numeral="XVII").count() == 1


def test_a_refused_submission_leaves_the_token_usable(staff_client, council):
    page = staff_client.get(reverse("core:term_create")).content.decode()
    token = _token(page)
    refused = staff_client.post(reverse("core:term_create"), {"numeral": "XVII", "start_year": 2031,
                                                              "end_year": 2026, "_once": token})
    assert refused.status_code == 200  # the years are refused beside the field
    saved = staff_client.post(reverse("core:term_create"), {"numeral": "XVII", "start_year": 2026,
                                                            "end_year": 2031, "_once": token})
    assert saved.status_code == 302 and Term.objects.filter(numeral="XVII").count() == 1


def test_each_new_form_gets_a_new_token(staff_client):
    one = _token(staff_client.get(reverse("core:term_create")).content.decode())
    two = _token(staff_client.get(reverse("core:term_create")).content.decode())
    assert one != two and len(one) >= 24


def test_the_same_content_under_a_new_token_is_a_repeat_other_content_is_not(staff_client, council):
    # A browser that reloads the form on "back" sends a fresh token with the same fields.
    data = {"numeral": "XVII", "start_year": 2026, "end_year": 2031}
    first_page = staff_client.get(reverse("core:term_create")).content.decode()
    first = staff_client.post(reverse("core:term_create"), {**data, "_once": _token(first_page)})
    again_page = staff_client.get(reverse("core:term_create")).content.decode()
    again = staff_client.post(reverse("core:term_create"), {**data, "_once": _token(again_page)})
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Term.objects.filter(council=council, numeral="XVII").count() == 1
    other_page = staff_client.get(reverse("core:term_create")).content.decode()
    other = staff_client.post(reverse("core:term_create"), {"numeral": "XVIII", "start_year": 2031,
                                                            "end_year": 2036, "_once": _token(other_page)})
    assert other.status_code == 302 and Term.objects.filter(council=council).count() == 2
