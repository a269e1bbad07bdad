from django import template

from ..present import change_text, vn_number

register = template.Library()


@register.filter
def vn(value):
    """A figure as Vietnamese documents write it (4.034; 04)."""
    return vn_number(value)


@register.filter
def cell(row: dict, key: str):
    return row.get(key) if isinstance(row, dict) else None


@register.filter
def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@register.filter
def change(value) -> str:
    """The change against a year earlier: +12, −3, 0."""
    return change_text(value)
