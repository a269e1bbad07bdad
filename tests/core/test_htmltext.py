"""The list pages' own escaping gives exactly Django's."""

import pytest
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from hdnd_portal.core.htmltext import conditional_escape_text, escape_text

TEXTS = [
    "",
    "Đường <b>Láng</b> & \"ngõ\" 'số' 5",
    mark_safe("<em>đã an toàn</em>"),
    gettext_lazy("Details"),
    mark_safe(gettext_lazy("Details")),
    42,
    None,
    3.5,
]


@pytest.mark.parametrize("text", TEXTS, ids=repr)
def test_the_same_text_as_django(text):
    with override("vi"):
        assert escape_text(text) == str(escape(text))
        assert conditional_escape_text(text) == str(conditional_escape(text))
