"""A council office does not accept (thụ lý) complaints outside its competence: registering a
complaint no longer starts an "accept within complaint.accept_days" deadline (the competent
agency's starts when the office forwards the letter). The acceptance deadlines started at
registration and still open on letters never forwarded are cancelled here, with the reason,
so the offices' deadline lists stop showing them; each change is kept in the deadline's history.
Reversing leaves them closed (nothing tells a reopened one from a new one)."""

from django.db import migrations
from django.utils import timezone

KIND = "citizens.complaint_accept"
REASON = (
    "Văn phòng không thụ lý khiếu nại ngoài thẩm quyền: thời hạn thụ lý của cơ quan có thẩm quyền "
    "tính từ khi chuyển đơn."
)
# django-simple-history keeps history_change_reason to 100 characters.
CHANGE_REASON = "Hủy thời hạn thụ lý tính từ khi tiếp nhận đơn (văn phòng không thụ lý)"


def close(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Deadline = apps.get_model("core", "Deadline")
    HistoricalDeadline = apps.get_model("core", "HistoricalDeadline")
    Letter = apps.get_model("citizens", "Letter")
    letter_type = ContentType.objects.filter(app_label="citizens", model="letter").first()
    if letter_type is None:
        return
    never_forwarded = Letter.objects.exclude(decision="forward").values("pk")
    stale = Deadline.objects.filter(
        content_type=letter_type, kind=KIND, state="open", object_id__in=never_forwarded
    )
    now = timezone.now()
    # The fields the history keeps (a later core migration may add a deadline field the history
    # excludes, e.g. the reminder cursor, and run before this one).
    kept = {f.attname for f in HistoricalDeadline._meta.concrete_fields}
    fields = [f.attname for f in Deadline._meta.concrete_fields if f.attname in kept]
    history = []
    for deadline in stale.iterator():
        deadline.state, deadline.completed_at, deadline.closed_reason = "cancelled", now, REASON
        history.append(
            HistoricalDeadline(
                **{name: getattr(deadline, name) for name in fields},
                history_date=now,
                history_type="~",
                history_change_reason=CHANGE_REASON,
            )
        )
    if history:
        Deadline.objects.filter(pk__in=[h.id for h in history]).update(
            state="cancelled", completed_at=now, closed_reason=REASON
        )
        HistoricalDeadline.objects.bulk_create(history, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("citizens", "0008_office_handling_rule"),
        ("core", "0009_deadline_closing"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(close, migrations.RunPython.noop, elidable=True)]
