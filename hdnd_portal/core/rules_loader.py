from datetime import date
from decimal import Decimal

from .rules_defaults import DEFAULT_RULES


def _extra_fields(rule_model, options: dict, code: str, name: str, citation: str) -> dict:
    """Fields that later migrations added (legal source, end date, search column)."""
    fields = {f.name for f in rule_model._meta.get_fields()}
    extra = {}
    if "law" in fields:
        extra["law"] = options.get("law", "")
    if "effective_to" in fields:
        to = options.get("effective_to")
        extra["effective_to"] = date.fromisoformat(to) if to else None
    if "search_text" in fields:
        from .search import fold_parts

        extra["search_text"] = fold_parts(code, name, citation)
    return extra


def load_default_rules(rule_model=None) -> int:
    """Insert the shipped defaults that are missing. Works with a migration's historical model."""
    if rule_model is None:
        from .models import Rule as rule_model
    added = 0
    for code, name, value, unit, citation, status, effective, *extra in DEFAULT_RULES:
        options = extra[0] if extra else {}
        _, created = rule_model.objects.get_or_create(
            code=code, council=None, effective_from=date.fromisoformat(effective),
            defaults=dict(name=name, value=Decimal(str(value)), unit=unit, citation=citation, status=status,
                          **_extra_fields(rule_model, options, code, name, citation)),
        )
        added += created
    return added


def refresh_default_rules(rule_model=None) -> int:
    """Bring the national rows in line with the shipped defaults: add missing rows and correct
    the name, citation, status, legal source and end date of shipped ones (values that an
    administrator changed are kept). Used by data migrations when the law or a citation changes."""
    if rule_model is None:
        from .models import Rule as rule_model
    changed = 0
    for code, name, value, unit, citation, status, effective, *extra in DEFAULT_RULES:
        options = extra[0] if extra else {}
        defaults = dict(name=name, citation=citation, status=status,
                        **_extra_fields(rule_model, options, code, name, citation))
        row, created = rule_model.objects.get_or_create(
            code=code, council=None, effective_from=date.fromisoformat(effective),
            defaults=dict(defaults, value=Decimal(str(value)), unit=unit),
        )
        if not created:
            rule_model.objects.filter(pk=row.pk).update(**defaults)
        changed += 1
    _announce(rule_model)
    return changed


def _announce(rule_model) -> None:
    """update() sends no signal: tell every process holding the rules (core.refcache) to read them
    again, when the real table was written (a migration's historical model runs before any)."""
    from .models import Rule

    if rule_model is Rule:
        from .rules import RULES

        RULES.changed()
