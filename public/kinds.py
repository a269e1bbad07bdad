"""The kinds of record the public site can show, and which of them may be published at all.

A kind names its model and the rule that makes a record publishable. The rule is checked when
staff publish and again on every public read (a petition later made non-public disappears)."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    key: str
    model_label: str
    label: object
    # Records that may be public: never a draft, a closed session's content, a cancelled activity
    # or a petition the office did not mark public.
    publishable: Q

    @property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)


KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind("resolution", "council_sessions.Resolution", _("Resolutions"), Q()),
        Kind("session", "council_sessions.CouncilSession", _("Session calendar"), Q()),
        Kind(
            "oversight", "oversight.OversightActivity", _("Oversight conclusions"),
            Q(status__in=("reported", "concluded")),
        ),
        Kind("petition", "voters.Petition", _("Voter petitions"), Q(is_public=True, merged_into__isnull=True)),
        Kind("reception", "citizens.ReceptionSchedule", _("Citizen reception schedules"), Q()),
    )
}

TRACKABLE = {"petition": "voters.Petition", "letter": "citizens.Letter"}


def kind_for_model(model) -> Kind | None:
    label = model._meta.label
    return next((k for k in KINDS.values() if k.model_label == label), None)
