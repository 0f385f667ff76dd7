"""Audit log rows older than REX_AGENT_LOG_RETENTION_DAYS are deleted (in batches, by the daily beat job or
``manage.py rex_prune_logs``); younger rows stay. Retention 0 keeps everything. The model still refuses deleting
a single row: retention is the only way rows leave."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from agents.models import AgentLog
from agents.retention import prune_agent_logs, retention_cutoff
from agents.tasks import prune_logs

pytestmark = pytest.mark.django_db


def rows_aged(organization, *days: int) -> None:
    now = timezone.now()
    AgentLog.objects.bulk_create(
        AgentLog(organization=organization, agent="canary", action="run", created_at=now - timedelta(days=age))
        for age in days)


def ages() -> list[int]:
    now = timezone.now()
    return sorted(round((now - at).total_seconds() / 86400) for at in AgentLog.objects.values_list("created_at",
                                                                                                    flat=True))


def test_the_daily_job_deletes_only_rows_past_retention(organization, settings):
    settings.REX_AGENT_LOG_RETENTION_DAYS = 30
    rows_aged(organization, 1, 29, 31, 45, 400)

    assert prune_logs() == 3
    assert ages() == [1, 29]


def test_pruning_works_through_batches(organization):
    rows_aged(organization, *([100] * 7), 1)
    batches: list[int] = []

    deleted = prune_agent_logs(retention_cutoff(30), batch=3, progress=batches.append)

    assert (deleted, batches) == (7, [3, 3, 1])
    assert ages() == [1]


def test_retention_zero_keeps_everything(organization, settings):
    settings.REX_AGENT_LOG_RETENTION_DAYS = 0
    rows_aged(organization, 1, 4000)

    assert prune_logs() == 0
    assert AgentLog.objects.count() == 2


def test_a_single_row_still_cannot_be_deleted(organization):
    rows_aged(organization, 500)
    with pytest.raises(ValueError, match="append-only"):
        AgentLog.objects.get().delete()


def test_the_command_counts_in_a_dry_run_then_deletes(organization):
    rows_aged(organization, 5, 95, 120)
    out = StringIO()

    call_command("rex_prune_logs", "--older-than-days", "90", "--dry-run", stdout=out)
    assert "2 audit log rows were created before" in out.getvalue()
    assert AgentLog.objects.count() == 3

    call_command("rex_prune_logs", "--older-than-days", "90", stdout=out)
    assert "deleted 2 audit log rows" in out.getvalue()
    assert ages() == [5]


def test_the_command_refuses_a_retention_of_zero_days(organization):
    with pytest.raises(CommandError, match="must be a whole number of days above 0"):
        call_command("rex_prune_logs", "--older-than-days", "0")
