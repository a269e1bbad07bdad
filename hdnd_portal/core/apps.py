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
