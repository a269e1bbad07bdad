from celery import shared_task

from . import digests


@shared_task(name="public.tasks.send_public_digests")
def send_public_digests() -> int:
    return digests.send_due_digests()
