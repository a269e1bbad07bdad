from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hdnd_portal.core"
    label = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from . import lookups
        from . import reports as report_part

        lookups.register()
        from .report_registry import ReportPart, register_report_part

        register_report_part(ReportPart(
            name="core", order=10, section=report_part.section, council_figures=report_part.council_figures,
        ))

        from django.db.models.signals import post_delete, post_save

        from .filters import DIRECTORY_CHOICES
        from .models import Agency, Body, Council, CouncilRole, Deputy, Field, Rule, Term
        from .rules import RULES
        from .scoping import COUNCIL_TREE, HELD_ROLES

        # The per-process copies of the rules, the councils' tree, the users' roles (with their
        # council, deputy, term and agency) and the filter bars' directory choices (core.refcache).
        for model, copy in (
            (Rule, RULES),
            (Council, COUNCIL_TREE),
            (CouncilRole, HELD_ROLES),
            (Council, HELD_ROLES),
            (Deputy, HELD_ROLES),
            (Term, HELD_ROLES),
            (Agency, HELD_ROLES),
            (Council, DIRECTORY_CHOICES),  # agencies and committees are ordered by their council
            (Field, DIRECTORY_CHOICES),
            (Body, DIRECTORY_CHOICES),
            (Agency, DIRECTORY_CHOICES),
            (Term, DIRECTORY_CHOICES),
        ):
            for signal in (post_save, post_delete):
                signal.connect(copy.changed, sender=model, weak=False,
                               dispatch_uid=f"refcache-{copy.key}-{model.__name__}")
