"""``core.bulk.insert_new_rows`` stores what ``save()`` would: every field of a mission and of an event (JSON,
choices, datetimes, foreign keys, nulls) reads back the same; a duplicate key is Django's IntegrityError."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.bulk import insert_new_rows
from missions.models import Mission, MissionEvent, MissionStatus, Priority

pytestmark = pytest.mark.django_db

FIELDS = [field.attname for field in Mission._meta.concrete_fields]


def mission(organization, user, key: str, now=None, **extra) -> Mission:
    now = now or timezone.now()
    return Mission(id=uuid.uuid4(), organization=organization, type="canary", priority=Priority.HIGH,
                   params={"tag": "ü", "nested": [1, {"a": None}]}, idempotency_key=key, command_key="",
                   result_key=f"r-{key}", requested_by=user, max_attempts=5, created_at=now, updated_at=now,
                   dispatched_at=now, dispatch_count=1, **extra)


def stored(pk) -> dict:
    return {name: getattr(Mission.objects.get(pk=pk), name) for name in FIELDS}


def test_a_copied_mission_reads_back_like_a_saved_one(organization, user):
    now = timezone.now()
    saved, copied = mission(organization, user, "saved-one", now), mission(organization, user, "copied-one", now)
    saved.save(force_insert=True)
    insert_new_rows([copied])

    differing = {name for name in FIELDS if name not in ("id", "idempotency_key", "result_key")
                 and stored(saved.pk)[name] != stored(copied.pk)[name]}
    assert differing == set()
    assert stored(copied.pk)["status"] == MissionStatus.QUEUED and stored(copied.pk)["estimated_cost_cents"] is None
    assert Mission.objects.get(pk=copied.pk).params == {"tag": "ü", "nested": [1, {"a": None}]}


def test_copied_events_keep_their_data_and_request_id(organization, user):
    parent = mission(organization, user, "with-events")
    parent.save(force_insert=True)
    insert_new_rows([MissionEvent(mission=parent, seq=seq, kind="queued", to_status="queued", data={"n": seq},
                                  actor=user, request_id="req-1") for seq in (1, 2)])

    assert list(parent.events.values_list("seq", "data", "actor_id", "request_id")) == [
        (1, {"n": 1}, user.pk, "req-1"), (2, {"n": 2}, user.pk, "req-1")]


def test_a_duplicate_key_is_djangos_integrity_error(organization, user):
    insert_new_rows([mission(organization, user, "same-key")])

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_new_rows([mission(organization, user, "same-key")])
