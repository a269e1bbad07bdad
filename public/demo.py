"""Demo data of the public site: what each app marked public is published here, with tracking codes.

Resolutions the sessions demo marked published, every session calendar, concluded oversight
activities, petitions marked public, published reception schedules; tracking codes for the
published petitions and the newest letters. Bulk inserts, so the scale dataset stays fast."""

from datetime import datetime, time

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .kinds import KINDS
from .models import Publication, TrackingCode
from .services import new_code

LETTERS_WITH_CODES = 20

DATE_FIELD = {"resolution": "adopted_on", "session": "planned_start", "oversight": "end_date",
              "petition": "received_on", "reception": "valid_from"}


def _at(day) -> datetime:
    moment = timezone.make_aware(datetime.combine(day, time(9, 0)))
    return min(moment, timezone.now())


def _pdf(text: str) -> bytes:
    """A one-page PDF with one line of ASCII text (enough to show the download in the demo)."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def populate(ctx) -> None:
    from citizens.models import Letter
    from sessions.models import Resolution

    publisher = ctx.users.get("canbo")
    council_ids = [c.council.id for c in ctx.all_councils]
    with transaction.atomic():
        publications, codes = [], []
        for key, kind in KINDS.items():
            qs = kind.model.objects.filter(kind.publishable, council_id__in=council_ids)
            if key == "resolution":
                qs = qs.filter(is_published=True)
            if key == "reception":
                qs = qs.filter(is_published=True)
            for row in qs.values("id", "council_id", DATE_FIELD[key]).iterator():
                publications.append(Publication(
                    council_id=row["council_id"], content_type=kind.content_type, object_id=row["id"],
                    published_at=_at(row[DATE_FIELD[key]]), published_by=publisher,
                ))
                if key == "petition":
                    codes.append(TrackingCode(council_id=row["council_id"], content_type=kind.content_type,
                                              object_id=row["id"], code=new_code(), created_by=publisher))
        letter_ct = ContentType.objects.get_for_model(Letter)
        for council_id in council_ids:
            for letter_id in Letter.objects.filter(council_id=council_id).order_by("-received_on").values_list(
                "id", flat=True
            )[:LETTERS_WITH_CODES]:
                codes.append(TrackingCode(council_id=council_id, content_type=letter_ct, object_id=letter_id,
                                          code=new_code(), created_by=publisher))
        Publication.objects.bulk_create(publications, batch_size=5000)
        TrackingCode.objects.bulk_create(codes, batch_size=5000)
        if not ctx.scale:
            # The newest published resolutions of the province and the first commune get a signed file.
            for data in ctx.all_councils[:2]:
                for r in Resolution.objects.filter(council=data.council, is_published=True, signed_file="").order_by(
                    "-adopted_on", "-number_seq"
                )[:3]:
                    name = default_storage.save(
                        f"sessions/resolutions/{r.year}/nq-{r.pk}.pdf",
                        ContentFile(_pdf(f"Nghi quyet so {r.number.replace('Đ', 'D')} - ban ky (du lieu mau)")),
                    )
                    Resolution.objects.filter(pk=r.pk).update(signed_file=name)
