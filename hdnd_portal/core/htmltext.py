"""Escaping for the HTML that list pages and selects write in Python, row by row.

django.utils.html.escape() and conditional_escape() are wrapped by keep_lazy, which inspects every
argument of every call for a lazy translation before escaping: a list page escapes about two
thousand texts, and that wrapper cost more than the escaping. These give the same text (Django's
escape is html.escape of str(text)) as a plain str, without it."""

from html import escape as _html_escape


def escape_text(text) -> str:
    """django.utils.html.escape(text)."""
    return _html_escape(text if type(text) is str else str(text))


def conditional_escape_text(text) -> str:
    """django.utils.html.conditional_escape(text): safe HTML (anything with __html__, such as a
    SafeString) as it is, anything else escaped."""
    if type(text) is not str:
        if hasattr(text, "__html__"):
            return text.__html__()
        text = str(text)
    return _html_escape(text)
