"""Cache invalidation only (no business rule here): when a record the public site may show
changes, the page cache of its council is bumped. Bulk updates bypass signals; the cache TTL
(public/cache.py) bounds how stale a page can then be."""

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import cache as public_cache

WATCHED = {
    "council_sessions.councilsession", "council_sessions.agendaitem", "council_sessions.resolution",
    "oversight.oversightactivity", "oversight.recommendation", "oversight.oversightprogramme",
    "voters.petition", "citizens.receptionschedule", "citizens.receptionday",
    "core.deputy", "core.membership", "core.body", "core.council",
    "public.publication",
}


def _bump(instance) -> None:
    if instance._meta.label_lower not in WATCHED:
        return
    council_id = getattr(instance, "council_id", None)
    if instance._meta.label_lower == "core.council":
        council_id = instance.pk
        try:
            cache.delete(public_cache.council_key(instance.pk))
        except Exception:  # never break a save over the cache
            pass
    public_cache.bump(council_id)


@receiver(post_save)
def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _bump(instance)


@receiver(post_delete)
def _deleted(sender, instance, **kwargs):
    _bump(instance)


@receiver(m2m_changed)
def _m2m(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        _bump(instance)
