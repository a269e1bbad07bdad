"""History rows never hold a denouncer's identity.

The only identity a Letter or Visit row can carry is in its denormalised `search_text` (senders'
or visitors' names are folded into it for unprotected records). A record can become protected
later (a change of kind, an office decision, a derived record), so the history table — which
keeps every past row — stores `search_text` empty for these two models, always. Nothing reads
it: history diffs and stale-edit descriptions exclude `search_text`. Migration 0005 scrubbed the
rows written before this receiver existed."""

from simple_history.signals import pre_create_historical_record


def _redact(sender, history_instance=None, **kwargs) -> None:
    if history_instance is not None:
        history_instance.search_text = ""


def connect() -> None:
    from .models import Letter, Visit

    for model in (Letter, Visit):
        pre_create_historical_record.connect(
            _redact, sender=model.history.model, weak=False, dispatch_uid=f"citizens-redact-{model.__name__}"
        )
