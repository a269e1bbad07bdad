from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hdnd_portal.core"
    label = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from . import reports as report_part
        from .report_registry import ReportPart, register_report_part

        register_report_part(ReportPart(
            name="core", order=10, section=report_part.section, council_figures=report_part.council_figures,
        ))

        from django.db.models.signals import post_delete, post_save

        from .models import Council, Rule
        from .rules import RULES
        from .scoping import COUNCIL_TREE

        # The per-process copies of the rules and of the councils' tree (core.refcache).
        for model, copy in ((Rule, RULES), (Council, COUNCIL_TREE)):
            for signal in (post_save, post_delete):
                signal.connect(copy.changed, sender=model, weak=False, dispatch_uid=f"refcache-{model.__name__}")
