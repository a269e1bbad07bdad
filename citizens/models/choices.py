from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """Kinds of letters (and of the matter a visitor brings)."""

    COMPLAINT = "complaint", _("Complaint")
    DENUNCIATION = "denunciation", _("Denunciation")
    RECOMMENDATION = "recommendation", _("Recommendation")
    REFLECTION = "reflection", _("Reflection")


REDACTED = _("[identity protected]")
