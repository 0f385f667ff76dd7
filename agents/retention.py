"""How long the audit log keeps its rows, and the job that removes older ones.

``AgentLog`` is append-only for the application: rows are never edited, and never deleted one by one (the model
refuses both). Retention is the one exception, a policy rather than an edit: rows older than
``REX_AGENT_LOG_RETENTION_DAYS`` are removed by a daily beat job (``agents.prune_logs``) or by ``manage.py
rex_prune_logs``. Deleting happens in batches of ``PRUNE_BATCH`` rows by primary key, each its own short
transaction, so a first prune of a large table never holds a long lock or a huge transaction, and writers keep
going in between. Agent statistics (``agents.stats``) read windows of a day or a week, far inside any sensible
retention.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agents.models import AgentLog

logger = logging.getLogger(__name__)

PRUNE_BATCH = 5000


def retention_cutoff(days: int | None = None, now: datetime | None = None) -> datetime | None:
    """Rows created before this moment are past retention; None when retention is off (0 days)."""
    days = settings.REX_AGENT_LOG_RETENTION_DAYS if days is None else days
    if days <= 0:
        return None
    return (now or timezone.now()) - timedelta(days=days)


def expired(cutoff: datetime):
    return AgentLog.objects.filter(created_at__lt=cutoff)


def prune_agent_logs(cutoff: datetime, *, batch: int = PRUNE_BATCH,
                     progress: Callable[[int], None] | None = None) -> int:
    """Delete every audit row created before ``cutoff``, ``batch`` rows per transaction; returns how many."""
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(expired(cutoff).order_by("pk").values_list("pk", flat=True)[:batch])
            if not ids:
                break
            # A queryset delete: the model's own delete() refuses single rows, retention is the only way out.
            count, _ = AgentLog.objects.filter(pk__in=ids).delete()
        deleted += count
        if progress:
            progress(count)
        if len(ids) < batch:
            break
    if deleted:
        logger.info("pruned %d audit log rows created before %s", deleted, cutoff.isoformat())
    return deleted
