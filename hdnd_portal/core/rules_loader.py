from datetime import date
from decimal import Decimal

from .rules_defaults import DEFAULT_RULES


def load_default_rules(rule_model=None) -> int:
    """Insert the shipped defaults that are missing. Works with a migration's historical model."""
    if rule_model is None:
        from .models import Rule as rule_model
    added = 0
    for code, name, value, unit, citation, status, effective in DEFAULT_RULES:
        _, created = rule_model.objects.get_or_create(
            code=code, council=None, effective_from=date.fromisoformat(effective),
            defaults=dict(name=name, value=Decimal(str(value)), unit=unit, citation=citation, status=status),
        )
        added += created
    return added
