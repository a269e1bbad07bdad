"""PortalSerializer builds its fields from the model once per class and language; each
serializer instance still gets fields of its own."""

import pytest
from django.utils import translation
from rest_framework.serializers import ModelSerializer

from citizens.serializers import LetterSerializer
from hdnd_portal.core.api import _BUILT_FIELDS
from voters.serializers import PetitionSerializer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("serializer_class", [PetitionSerializer, LetterSerializer])
def test_each_instance_has_its_own_fields_built_as_drf_builds_them(serializer_class):
    first, second = serializer_class(), serializer_class()
    first.fields  # noqa: B018 — builds the held copy
    fresh = {name: repr(field) for name, field in ModelSerializer.get_fields(serializer_class()).items()}
    assert (serializer_class, translation.get_language()) in _BUILT_FIELDS
    for serializer in (first, second):
        assert {name: repr(field) for name, field in serializer.get_fields().items()} == fresh
    assert list(first.fields) == list(second.fields) == list(fresh)
    for name in first.fields:
        assert first.fields[name] is not second.fields[name], name
        assert first.fields[name].parent is first and second.fields[name].parent is second, name
    many = [name for name, field in first.fields.items() if hasattr(field, "child_relation") or hasattr(field, "child")]
    assert many, "a list field (deputies, senders) is checked too"
    for name in many:
        a, b = first.fields[name], second.fields[name]
        assert getattr(a, "child_relation", getattr(a, "child", None)) is not getattr(
            b, "child_relation", getattr(b, "child", None))


def test_labels_follow_the_language_of_the_request():
    with translation.override("en"):
        english = PetitionSerializer().fields["locality"].label
    with translation.override("vi"):
        vietnamese = PetitionSerializer().fields["locality"].label
    assert str(english) != str(vietnamese)

