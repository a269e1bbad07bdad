"""Denouncer protection as a stored state, for the records that existed before it:

- every letter or visit that is a denunciation now, or ever was one (its history shows the kind),
  is protected — a later change of kind never lifted the protection in law;
- records derived from a protected one inherit it: letters registered from a protected visit,
  parts of a split protected letter, letters linked as its duplicates (repeated until stable);
- the search column of a protected record is rebuilt without any identity;
- the history tables of letters and visits keep no search text at all (citizens.history does the
  same for every row written from now on).
Migration 0006 then adds the database constraints that a denunciation stays protected unless lifted."""

from django.db import migrations
from django.db.models import Q

from hdnd_portal.core.search import fold_parts

LETTER_FIELDS = ("register_number", "subject", "content", "respondent_person")
VISIT_FIELDS = ("content", "requests", "handling")


def protect(apps, schema_editor):
    Letter = apps.get_model("citizens", "Letter")
    Visit = apps.get_model("citizens", "Visit")
    HistoricalLetter = apps.get_model("citizens", "HistoricalLetter")
    HistoricalVisit = apps.get_model("citizens", "HistoricalVisit")

    was_denunciation = HistoricalLetter.objects.filter(kind="denunciation").values("id")
    Letter.objects.filter(Q(kind="denunciation") | Q(pk__in=was_denunciation)).update(identity_protected=True)
    visit_was = HistoricalVisit.objects.filter(kind="denunciation").values("id")
    Visit.objects.filter(Q(kind="denunciation") | Q(pk__in=visit_was)).update(identity_protected=True)

    while True:
        changed = Letter.objects.filter(identity_protected=False).filter(
            Q(visit__identity_protected=True)
            | Q(split_from__identity_protected=True)
            | Q(duplicate_of__identity_protected=True)
        ).update(identity_protected=True)
        if not changed:
            break

    for letter in Letter.objects.filter(identity_protected=True).select_related("respondent_agency").iterator():
        values = [getattr(letter, name) for name in LETTER_FIELDS]
        values.append(letter.respondent_agency.name if letter.respondent_agency_id else None)
        values.append(letter.forward_doc_number)
        Letter.objects.filter(pk=letter.pk).update(search_text=fold_parts(*values))
    for visit in Visit.objects.filter(identity_protected=True).iterator():
        Visit.objects.filter(pk=visit.pk).update(search_text=fold_parts(*(getattr(visit, n) for n in VISIT_FIELDS)))

    HistoricalLetter.objects.exclude(search_text="").update(search_text="")
    HistoricalVisit.objects.exclude(search_text="").update(search_text="")


class Migration(migrations.Migration):
    dependencies = [("citizens", "0004_identity_protection")]

    operations = [
        migrations.RunPython(protect, migrations.RunPython.noop),
    ]
