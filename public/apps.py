from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Permission of the public app (declared in ready()): publish and withdraw records, issue tracking codes.
CAN_PUBLISH = "can_publish"


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Public transparency site")

    def ready(self) -> None:
        from hdnd_portal.core import permissions as p

        from . import signals  # noqa: F401  (cache invalidation when a published record changes)

        p.grant((p.ADMIN, p.STAFF), CAN_PUBLISH)
