"""AgentLog is the audit trail: a row, once written, can be neither changed nor deleted through the model."""

import pytest

from agents.models import AgentLog


@pytest.fixture
def log(organization) -> AgentLog:
    return AgentLog.objects.create(organization=organization, agent="canary", action="run",
                                   level=AgentLog.Level.INFO, payload={"outcome": "succeeded"})


def test_saving_an_existing_row_raises_value_error(log):
    log.level = AgentLog.Level.DEBUG
    log.payload = {"outcome": "rewritten"}

    with pytest.raises(ValueError, match="append-only"):
        log.save()

    stored = AgentLog.objects.get(pk=log.pk)
    assert (stored.level, stored.payload) == (AgentLog.Level.INFO, {"outcome": "succeeded"})


def test_deleting_a_row_raises_value_error(log):
    with pytest.raises(ValueError, match="append-only"):
        log.delete()

    assert AgentLog.objects.filter(pk=log.pk).exists()


def test_new_rows_can_be_appended(log, organization):
    AgentLog.objects.create(organization=organization, agent="canary", action="run", level=AgentLog.Level.ERROR)

    assert AgentLog.objects.count() == 2
