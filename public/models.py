"""Publication state of the transparency site, tracking codes and e-mail subscriptions.

Nothing here copies a record's content: a Publication only says *that* a record (a resolution,
a session, an oversight conclusion, a petition, a reception schedule) is public, since when and
by whom; the public pages read the record's public columns through public/queries.py."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.models import Council, PortalModel


class Publication(PortalModel):
    """A record shown on the public site. Withdrawing deletes the row (the history keeps it)."""

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField(_("public summary"), blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at"]
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="publication_one_per_record")]
        indexes = [models.Index(fields=["council", "content_type", "-published_at"], name="publication_council_recent")]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id}"


class TrackingCode(PortalModel):
    """A random, unguessable code a citizen uses to follow a petition or a letter."""

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    code = models.CharField(_("tracking code"), max_length=16, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("tracking code")
        verbose_name_plural = _("tracking codes")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="tracking_one_per_record")]

    def __str__(self) -> str:
        return self.code


class Subscription(models.Model):
    """An e-mail subscription without an account: double opt-in, one-click unsubscribe.

    `last_digest_at` is the digest cursor: a digest lists what was published or answered after it
    and moves it forward with a compare-and-set, so a digest is sent once even if two runs overlap."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Everything new from a council")
        SEARCH = "search", _("A search term")
        PETITION = "petition", _("One petition")

    email = models.EmailField(_("e-mail"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="+")
    query = models.CharField(_("search term"), max_length=200, blank=True)
    petition_id = models.PositiveBigIntegerField(null=True, blank=True)
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [
            models.Index(
                fields=["confirmed_at"], name="subscription_active",
                condition=Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.get_kind_display()}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None
