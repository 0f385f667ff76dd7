"""Missions.

A ``Mission`` owns its state machine. Every status change is one conditional ``UPDATE`` whose row count says
whether this caller won: two workers can never both start a mission, a cancelled mission never runs, and a
worker whose lease lapsed cannot overwrite the outcome of the worker that took over. Each change that happens
writes a ``MissionEvent`` in the same transaction and is broadcast to the organization's dashboards after
commit.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from agents import spending
from core.bulk import insert_new_rows
from core.request_context import current_request_id
from core.statemachine import IllegalTransition as BaseIllegalTransition
from core.statemachine import StateMachine
from missions.dispatch import dispatch_on_commit, send_missions
from missions.events import publish_event
from tenants.models import Organization


class MissionStatus(models.TextChoices):
    # Costs money over the organization's approval threshold or remaining monthly budget (agents.spending): stored
    # with its quote, never dispatched, until a person approves (→ queued) or rejects (→ cancelled) it.
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    RETRYING = "retrying", "Retrying"
    # Parked until an outside party answers (an asynchronous LLM result, say); holds no lease and no worker.
    WAITING = "waiting", "Waiting"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATUSES = (MissionStatus.AWAITING_APPROVAL, MissionStatus.QUEUED, MissionStatus.RUNNING, MissionStatus.RETRYING,
                   MissionStatus.WAITING)
FINAL_STATUSES = (MissionStatus.SUCCEEDED, MissionStatus.FAILED, MissionStatus.CANCELLED)


class Priority(models.TextChoices):
    HIGH = "high", "High"
    NORMAL = "normal", "Normal"
    LOW = "low", "Low"


class IllegalTransition(BaseIllegalTransition):
    """A status change the mission's current state does not allow (e.g. cancelling a finished mission)."""


M = MissionStatus
# The only moves a mission makes. running → running is a claim of a mission whose worker's lease lapsed; running →
# queued a hand-back (a chunk's budget ran out) or a lost worker's mission put back.
# awaiting_approval → queued is an approval (the money reserved in the same transaction); a failed or cancelled
# mission that costs money and is retried asks again (→ awaiting_approval) unless its money is still set aside.
MISSION_STATES = StateMachine("status", {
    M.AWAITING_APPROVAL: frozenset({M.QUEUED, M.CANCELLED}),
    M.QUEUED: frozenset({M.RUNNING, M.CANCELLED}),
    M.RUNNING: frozenset({M.RUNNING, M.SUCCEEDED, M.RETRYING, M.WAITING, M.FAILED, M.QUEUED, M.CANCELLED}),
    M.RETRYING: frozenset({M.RUNNING, M.CANCELLED}),
    M.WAITING: frozenset({M.QUEUED, M.RETRYING, M.FAILED, M.CANCELLED}),
    M.SUCCEEDED: frozenset(),
    M.FAILED: frozenset({M.QUEUED, M.AWAITING_APPROVAL}),
    M.CANCELLED: frozenset({M.QUEUED, M.AWAITING_APPROVAL}),
}, error=IllegalTransition)


# A retry message may be delivered a hair before its ETA (clock granularity); accept it rather than drop it.
RETRY_EARLY_TOLERANCE = timedelta(milliseconds=250)


class Mission(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="missions")
    type = models.CharField(max_length=64, db_index=True)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=MissionStatus.choices, default=MissionStatus.QUEUED)
    # What the mission is expected to cost before it runs (agents.spending.estimate_cost), in cents of
    # REX_BILLING_CURRENCY; null for a mission that costs nothing. ``cost_quote`` is the quote a person approves.
    estimated_cost_cents = models.BigIntegerField(null=True, blank=True)
    cost_quote = models.CharField(max_length=300, blank=True, default="")
    idempotency_key = models.CharField(max_length=128)
    # The key derived from organization + type + params when the client gave none (``missions.services``): the
    # same command's missions share it, one per dedupe window; empty for a client's own key.
    command_key = models.CharField(max_length=64, blank=True, default="")
    # The agent-level idempotency key (agents.idempotency): SHA-256 of agent name + canonical params, or of the
    # client's key. A finished result is found by it, in Redis or, when Redis is down, here.
    result_key = models.CharField(max_length=64, blank=True, default="")

    attempts = models.PositiveIntegerField(default=0, help_text="Attempts started so far.")
    max_attempts = models.PositiveIntegerField(default=4, help_text="First attempt plus retries.")
    result = models.JSONField(null=True, blank=True)
    error = models.JSONField(null=True, blank=True)

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="missions"
    )

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True, help_text="When the first attempt started.")
    finished_at = models.DateTimeField(null=True, blank=True)

    # Dispatch bookkeeping (the transactional-outbox part): when the task was last sent and how often, and when
    # a retry is due.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatch_count = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    # The lease of the worker running it; empty unless running.
    lease_token = models.CharField(max_length=32, blank=True, default="")
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "idempotency_key"], name="unique_mission_idempotency_key")
        ]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="mission_org_recent"),
            models.Index(fields=["organization", "command_key", "-created_at"], name="mission_command_key",
                         condition=~Q(command_key="")),
            models.Index(fields=["status", "dispatched_at"], name="mission_status_dispatch"),
            # /metrics counts missions by type and status at every scrape: an index-only scan, not the table.
            models.Index(fields=["type", "status"], name="mission_type_status"),
            models.Index(fields=["organization", "result_key", "-finished_at"], name="mission_result_key",
                         condition=Q(status="succeeded")),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.id} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def spend_key(self) -> str:
        """The key of the money set aside for this mission (``agents.spending``), the same its purchase uses."""
        return spend_key_of(self.pk)

    # --- transitions ---------------------------------------------------------------------------------------------

    def _apply(self, sources: tuple[str, ...], condition: Q, updates: dict[str, Any], *, kind: str, message: str = "",
               data: dict[str, Any] | None = None, actor: Any = None) -> bool:
        """Apply ``updates`` if the row still matches ``condition``; on success record and publish the event.

        ``sources`` are the statuses the move starts from (part of the condition). Every status change of a
        mission goes through here: each ``source → updates["status"]`` is checked against ``MISSION_STATES``, the
        timeline event is written in the same transaction, and a move that makes the mission runnable (queued,
        or retrying once its ``next_attempt_at`` is due) sends it to a worker after commit, so no caller has to
        remember to.
        Returns False when another actor changed the mission first; the caller decides whether that is an error.
        (One exception, for speed: ``mark_many_succeeded`` moves a chunk of running missions to succeeded in one
        statement, with the same checks and ``_moved`` for each of them.)
        """
        from_status = self.status
        if "status" in updates:
            for source in sources:
                MISSION_STATES.check(self, source, updates["status"])
        condition &= Q(status__in=sources)
        now = timezone.now()
        # No savepoint: nothing here is retried after an error, and an exception aborts the caller's transaction
        # anyway; a savepoint would cost two more round trips per transition when called inside one.
        with transaction.atomic(savepoint=False):
            last_seq = self._update_returning(condition, {"updated_at": now, **updates})
            if last_seq is None:
                return False
            self._moved(from_status, kind=kind, message=message, data=data, actor=actor, last_seq=last_seq,
                        status_changed="status" in updates)
        return True

    def _moved(self, from_status: str, *, kind: str, message: str, data: dict[str, Any] | None, actor: Any,
               last_seq: int, status_changed: bool) -> None:
        """What follows a won move, in its transaction: the timeline event, and after a status change the dispatch
        of a runnable mission and the release of a final one's unspent money (``_apply``, ``mark_many_succeeded``)."""
        record_event(self, kind=kind, from_status=from_status, message=message, data=data or {}, actor=actor,
                     last_seq=last_seq)
        if status_changed:
            self._dispatch_if_runnable()
            if self.is_final and self.estimated_cost_cents:
                # Money set aside but never charged goes back to the budget; a charge (committed) stays.
                spending.release(self.organization_id, key=self.spend_key)

    def _dispatch_if_runnable(self) -> None:
        """After a move: a queued mission goes to a worker now, a retrying one when its retry is due."""
        if self.status == MissionStatus.QUEUED:
            dispatch_on_commit(self)
        elif self.status == MissionStatus.RETRYING:
            due_in = (self.next_attempt_at - timezone.now()).total_seconds() if self.next_attempt_at else 0.0
            dispatch_on_commit(self, countdown=max(due_in, 0.0))

    def _update_returning(self, condition: Q, updates: dict[str, Any]) -> int | None:
        """The conditional UPDATE of ``_apply``, returning the new row and the mission's last event ``seq``.

        Returns None when no row matched (someone else changed the mission first). Otherwise the instance now
        holds the row as the database has it (as ``refresh_from_db`` would) and the result is the highest event
        ``seq`` so far. One statement (``UPDATE … RETURNING``, PostgreSQL and SQLite >= 3.35) instead of an
        UPDATE, a SELECT of the row and a SELECT MAX(seq): two round trips and two ORM queries fewer per
        transition (docs/performance.md). The row lock taken by the UPDATE still guards the seq.
        """
        rows = Mission._update_rows_returning(Mission.objects.filter(condition, pk=self.pk), updates,
                                              using=self._state.db or "default")
        if not rows:
            return None
        fresh, last_seq = rows[0]
        self._take_row(fresh)
        return last_seq

    def _take_row(self, fresh: Mission) -> None:
        """Hold the row as the database returned it (as ``refresh_from_db`` would)."""
        for field in Mission._meta.concrete_fields:
            setattr(self, field.attname, getattr(fresh, field.attname))

    @staticmethod
    def _update_rows_returning(queryset: models.QuerySet[Mission], updates: dict[str, Any], *,
                               using: str = "default") -> list[tuple[Mission, int]]:
        """``queryset.update(**updates)`` as one ``UPDATE … RETURNING``: each changed row, with its last event seq."""
        query = queryset.query.chain(UpdateQuery)
        query.add_update_values(updates)
        compiler = query.get_compiler(using)
        update_sql, params = compiler.as_sql()
        columns, last_seq = Mission._returning_sql(compiler.connection)
        with connections[using].cursor() as cursor:
            cursor.execute(f"{update_sql} RETURNING {columns}, {last_seq}", params)
            rows = cursor.fetchall()
        return Mission._returned(rows, using)

    @staticmethod
    def _returning_sql(connection: Any) -> tuple[str, str]:
        """The columns of a mission row and its last event ``seq``, as the RETURNING clause of an UPDATE reads them."""
        qn = connection.ops.quote_name
        table = qn(Mission._meta.db_table)
        events = qn(MissionEvent._meta.db_table)
        columns = ", ".join(f"{table}.{qn(f.column)}" for f in Mission._meta.concrete_fields)
        last_seq = (f"(SELECT COALESCE(MAX({events}.{qn('seq')}), 0) FROM {events} "
                    f"WHERE {events}.{qn('mission_id')} = {table}.{qn(Mission._meta.pk.column)})")
        return columns, last_seq

    @staticmethod
    def _returned(rows: list[tuple[Any, ...]], using: str) -> list[tuple[Mission, int]]:
        """Missions (and their last event seq) from the rows of an UPDATE … RETURNING of ``_returning_sql``."""
        if not rows:
            return []
        fields = Mission._meta.concrete_fields
        # The same converters a SELECT applies (JSON, and dates/UUIDs on SQLite).
        select = Mission.objects.all().query.get_compiler(using)
        converters = select.get_converters([f.get_col(Mission._meta.db_table) for f in fields])
        values = select.apply_converters([row[:-1] for row in rows], converters)
        names = [f.attname for f in fields]
        return [(Mission.from_db(using, names, list(value)), int(row[-1]))
                for value, row in zip(values, rows, strict=True)]

    @staticmethod
    def _claim_updates(worker: str, token: str, now: datetime) -> dict[str, Any]:
        """What taking a mission for one attempt writes (``claim`` and ``claim_batch``)."""
        return {
            "status": MissionStatus.RUNNING,
            "attempts": F("attempts") + 1,
            "lease_token": token,
            "lease_expires_at": now + timedelta(seconds=settings.REX_MISSION_LEASE_SECONDS),
            "worker": worker[:200],
            "started_at": Coalesce(F("started_at"), now),
            "next_attempt_at": None,
        }

    @classmethod
    def claim(cls, mission_id: uuid.UUID | str, *, worker: str) -> Mission | None:
        """Take the mission for one attempt, or return None if it is not ours to run.

        Claimable: queued; retrying whose retry is due; running whose worker's lease lapsed (the worker died).
        The current status is part of the condition, so of two concurrent claimers exactly one wins.
        """
        mission = cls.objects.filter(pk=mission_id).first()
        if mission is None or mission.attempts >= mission.max_attempts:
            return None
        now = timezone.now()
        if mission.status == MissionStatus.QUEUED:
            condition = Q(status=MissionStatus.QUEUED)
        elif mission.status == MissionStatus.RETRYING:
            condition = Q(status=MissionStatus.RETRYING, next_attempt_at__lte=now + RETRY_EARLY_TOLERANCE)
        elif mission.status == MissionStatus.RUNNING:
            condition = Q(status=MissionStatus.RUNNING, lease_expires_at__lt=now, lease_token=mission.lease_token)
        else:
            return None
        claimed = mission._apply(
            (mission.status,), condition & Q(attempts=mission.attempts),
            cls._claim_updates(worker, uuid.uuid4().hex, now),
            kind="running",
            message=f"attempt {mission.attempts + 1} of {mission.max_attempts} on {worker}",
            data={"attempt": mission.attempts + 1, "worker": worker},
        )
        return mission if claimed else None

    @classmethod
    def claim_batch(cls, mission_ids: list[str], *, worker: str) -> list[Mission]:
        """Take the still-queued missions of a chunk for one attempt each, in one statement and one transaction.

        For missions committed together (``live.outbox``): one ``UPDATE … WHERE id IN (…) AND status =
        'queued' RETURNING …`` and one INSERT of their ``running`` events instead of a claim transaction per
        mission. They share one lease token, so the runner renews them (``renew_leases``) and hands back the ones
        it did not start (``hand_back``) with one statement each. Only queued missions are taken: a retry carries
        its own delayed message, and a mission whose worker died comes back through the sweeper. Of two
        concurrent claimers of the same mission exactly one wins, as with ``claim``: the row lock makes the
        second one re-check ``status`` and find it running. Returns the claimed missions in the order given.
        """
        if not mission_ids:
            return []
        now = timezone.now()
        with transaction.atomic():
            rows = cls._update_rows_returning(
                cls.objects.filter(pk__in=mission_ids, status=MissionStatus.QUEUED, attempts__lt=F("max_attempts")),
                {**cls._claim_updates(worker, uuid.uuid4().hex, now), "updated_at": now},
            )
            rows = _in_order(rows, [str(mission_id) for mission_id in mission_ids])
            MissionEvent.objects.bulk_create([
                new_event(mission, kind="running", from_status=MissionStatus.QUEUED, last_seq=last_seq,
                          message=f"attempt {mission.attempts} of {mission.max_attempts} on {worker}",
                          data={"attempt": mission.attempts, "worker": worker})
                for mission, last_seq in rows
            ])
        return [mission for mission, _ in rows]

    @classmethod
    def renew_leases(cls, lease_token: str) -> set[str]:
        """Extend every running attempt held under ``lease_token``; returns the ids still held (as strings).

        A mission missing from the answer was cancelled, or finished, or taken over after its lease lapsed.
        """
        if not lease_token:
            return set()
        rows = cls._update_rows_returning(
            cls.objects.filter(status=MissionStatus.RUNNING, lease_token=lease_token),
            {"lease_expires_at": timezone.now() + timedelta(seconds=settings.REX_MISSION_LEASE_SECONDS)},
        )
        return {str(mission.pk) for mission, _ in rows}

    @classmethod
    def hand_back(cls, missions: list[Mission], *, reason: str) -> list[Mission]:
        """Put claimed missions whose attempt never started back in the queue, and send them again after commit.

        The attempt is given back (``attempts - 1``, and ``started_at`` cleared when it was the first), so the
        retry budget is untouched; the timeline shows running → queued with the reason. Only missions still held
        under their lease token move: a mission cancelled meanwhile stays cancelled.
        """
        if not missions:
            return []
        now = timezone.now()
        # Lease tokens are random per claim, so "one of these ids, under one of these tokens" is each mission under
        # its own token.
        tokens = {mission.lease_token for mission in missions if mission.lease_token}
        with transaction.atomic():
            rows = cls._update_rows_returning(
                cls.objects.filter(pk__in=[mission.pk for mission in missions], lease_token__in=tokens,
                                   status=MissionStatus.RUNNING),
                {
                    "status": MissionStatus.QUEUED,
                    "attempts": F("attempts") - 1,
                    "started_at": models.Case(models.When(attempts=1, then=models.Value(None)),
                                              default=F("started_at")),
                    "lease_token": "",
                    "lease_expires_at": None,
                    "worker": "",
                    "dispatched_at": now,
                    "dispatch_count": F("dispatch_count") + 1,
                    "updated_at": now,
                },
            )
            # In the chunk's order, so they are sent again (and run) in the order they were submitted.
            rows = _in_order(rows, [str(mission.pk) for mission in missions])
            MissionEvent.objects.bulk_create([
                new_event(mission, kind="queued", from_status=MissionStatus.RUNNING, last_seq=last_seq,
                          message=f"handed back before its attempt started: {reason}",
                          data={"reason": "handed_back", "detail": reason})
                for mission, last_seq in rows
            ])
            for mission, _ in rows:
                dispatch_on_commit(mission)
        return [mission for mission, _ in rows]

    @classmethod
    def pass_on(cls, mission_ids: list[str], *, chunk_size: int) -> int:
        """Send the still-queued missions of a chunk to the workers again, in messages of ``chunk_size``.

        For the part of a chunk a worker did not get to within its budget (``missions.runner``). Those missions
        were never claimed, so nothing moves and no event is written: the timeline and the dashboard show them
        ``queued`` until a worker really starts them. ``dispatched_at`` is bumped (as the sweeper does when it
        re-sends) so the sweeper does not send them a third time. Sent once that update has committed (call it
        outside a transaction, as the runner does), in the order given; returns how many went out.
        """
        order = {str(mission_id): index for index, mission_id in enumerate(mission_ids)}
        with transaction.atomic():
            queued = cls.objects.filter(pk__in=list(order), status=MissionStatus.QUEUED)
            found = sorted(((str(pk), priority) for pk, priority in queued.values_list("pk", "priority")),
                           key=lambda row: order[row[0]])
            cls.objects.filter(pk__in=[pk for pk, _ in found], status=MissionStatus.QUEUED).update(
                dispatched_at=timezone.now(), dispatch_count=F("dispatch_count") + 1)
        by_priority: dict[str, list[str]] = {}
        for pk, priority in found:
            by_priority.setdefault(priority, []).append(pk)
        return sum(send_missions(ids, priority, chunk_size=chunk_size) for priority, ids in by_priority.items())

    @classmethod
    def recent_result(cls, organization_id: int, result_key: str, since: datetime) -> dict[str, Any] | None:
        """The newest result of a mission that succeeded with this result key since ``since`` (idempotency's
        fallback when Redis is not answering; registered in MissionsConfig.ready)."""
        return (cls.objects.filter(organization_id=organization_id, result_key=result_key,
                                   status=MissionStatus.SUCCEEDED, finished_at__gte=since)
                .order_by("-finished_at").values_list("result", flat=True).first())

    def renew_lease(self) -> bool:
        """Extend the running attempt's lease. False means the mission was cancelled or taken over."""
        changed = Mission.objects.filter(
            pk=self.pk, status=MissionStatus.RUNNING, lease_token=self.lease_token
        ).update(lease_expires_at=timezone.now() + timedelta(seconds=settings.REX_MISSION_LEASE_SECONDS))
        return bool(changed)

    def _held(self) -> Q:
        return Q(status=MissionStatus.RUNNING, lease_token=self.lease_token)

    def mark_succeeded(self, result: Any, *, reused_from: str = "") -> bool:
        """``reused_from``: the result was not computed now but reused by the idempotency check (cache/database)."""
        message, data = self._success_note(self.attempts, reused_from)
        return self._apply(
            (MissionStatus.RUNNING,), self._held(),
            {"status": MissionStatus.SUCCEEDED, "result": result, "error": None, "finished_at": timezone.now(),
             "lease_token": "", "lease_expires_at": None},
            kind="succeeded",
            message=message,
            data=data,
        )

    @staticmethod
    def _success_note(attempts: int, reused_from: str) -> tuple[str, dict[str, Any]]:
        """The ``succeeded`` event's message and data."""
        message = f"succeeded on attempt {attempts}"
        if reused_from:
            message += f" (result of the same work within the hour, from the {reused_from})"
        return message, {"attempt": attempts, **({"reused_from": reused_from} if reused_from else {})}

    @classmethod
    def mark_many_succeeded(cls, outcomes: list[tuple[Mission, Any, str]]) -> list[bool]:
        """``mark_succeeded`` for several running missions (``(mission, result, reused_from)``), in one statement.

        A worker records a chunk's outcomes together (``missions.runner``): one ``UPDATE … FROM (VALUES …)
        RETURNING`` on PostgreSQL instead of one UPDATE per mission, which cost both the worker and the database
        a round trip and a statement each (bench/batch_worker.py). Each mission keeps its own condition (running,
        under its own lease token), event, refreshed fields and released spending, exactly as ``mark_succeeded``
        does; the answers are in the order given. Must run inside the caller's transaction. Other databases take
        ``mark_succeeded`` one by one.
        """
        if not outcomes:
            return []
        using = outcomes[0][0]._state.db or "default"
        connection = connections[using]
        if connection.vendor != "postgresql" or len(outcomes) == 1:
            return [mission.mark_succeeded(result, reused_from=reused_from) for mission, result, reused_from in outcomes]
        for mission, _, _ in outcomes:
            MISSION_STATES.check(mission, MissionStatus.RUNNING, MissionStatus.SUCCEEDED)
        qn = connection.ops.quote_name
        table = qn(cls._meta.db_table)
        result_field = cls._meta.get_field("result")
        values: list[Any] = []
        listed: set[str] = set()
        for mission, result, _ in outcomes:
            if str(mission.pk) in listed:
                continue  # a mission listed twice moves once, with its first result
            listed.add(str(mission.pk))
            values += [mission.pk, mission.lease_token, result_field.get_db_prep_save(result, connection)]
        now = timezone.now()
        columns, last_seq = cls._returning_sql(connection)
        rows_sql = ", ".join(["(%s::uuid, %s::text, %s::jsonb)"] * len(listed))
        column = {name: f"{qn(cls._meta.get_field(name).column)}" for name in (
            "id", "status", "result", "error", "finished_at", "lease_token", "lease_expires_at", "updated_at")}
        sql = (f"UPDATE {table} SET {column['status']} = %s, {column['result']} = v.result, {column['error']} = NULL, "
               f"{column['finished_at']} = %s, {column['lease_token']} = '', {column['lease_expires_at']} = NULL, "
               f"{column['updated_at']} = %s "
               f"FROM (VALUES {rows_sql}) AS v(id, token, result) "
               f"WHERE {table}.{column['id']} = v.id AND {table}.{column['status']} = %s "
               f"AND {table}.{column['lease_token']} = v.token "
               f"RETURNING {columns}, {last_seq}")
        with transaction.atomic(using=using, savepoint=False):
            with connection.cursor() as cursor:
                cursor.execute(sql, [MissionStatus.SUCCEEDED.value, now, now, *values, MissionStatus.RUNNING.value])
                returned = {str(fresh.pk): (fresh, seq) for fresh, seq in cls._returned(cursor.fetchall(), using)}
            won: list[bool] = []
            for mission, _, reused_from in outcomes:
                # pop: a mission listed twice moved once, so only its first listing won (one event, one seq).
                row = returned.pop(str(mission.pk), None)
                won.append(row is not None)
                if row is None:
                    continue
                fresh, seq = row
                message, data = mission._success_note(mission.attempts, reused_from)
                mission._take_row(fresh)
                mission._moved(MissionStatus.RUNNING, kind="succeeded", message=message, data=data, actor=None,
                               last_seq=seq, status_changed=True)
        return won

    def mark_retrying(self, error: dict[str, Any], delay_seconds: float) -> bool:
        """Schedule the next attempt ``delay_seconds`` from now; its delayed task is sent after commit."""
        due = timezone.now() + timedelta(seconds=delay_seconds)
        return self._apply(
            (MissionStatus.RUNNING,), self._held(),
            {"status": MissionStatus.RETRYING, "error": error, "next_attempt_at": due, "dispatched_at": timezone.now(),
             "lease_token": "", "lease_expires_at": None},
            kind="retrying",
            message=f"attempt {self.attempts} failed ({error.get('message', '')}); retry in {delay_seconds:g} s",
            data={"attempt": self.attempts, "retry_in_seconds": delay_seconds, "next_attempt_at": due.isoformat(),
                  "error": error},
        )

    def mark_failed(self, error: dict[str, Any]) -> bool:
        return self._apply(
            (MissionStatus.RUNNING,), self._held(),
            {"status": MissionStatus.FAILED, "error": error, "finished_at": timezone.now(),
             "lease_token": "", "lease_expires_at": None},
            kind="failed",
            message=f"failed after {self.attempts} attempt(s): {error.get('message', '')}",
            data={"attempt": self.attempts, "error": error},
        )

    def mark_waiting(self, *, reason: str, correlation_id: str, timeout_seconds: float) -> bool:
        """Park the running attempt until ``resume`` (an outside answer arrived) or the deadline passes.

        The attempt is given back (``attempts - 1``): waiting for someone else is not a failed try, and the
        resumed run must not eat into the retry budget. The deadline lives in ``next_attempt_at``.
        """
        deadline = timezone.now() + timedelta(seconds=timeout_seconds)
        return self._apply(
            (MissionStatus.RUNNING,), self._held(),
            {"status": MissionStatus.WAITING, "attempts": F("attempts") - 1, "next_attempt_at": deadline,
             "lease_token": "", "lease_expires_at": None, "error": None},
            kind="waiting",
            message=f"waiting for {reason} (until {deadline:%H:%M:%S} UTC)",
            data={"reason": reason, "correlation_id": correlation_id, "deadline": deadline.isoformat()},
        )

    def resume(self, *, reason: str, data: dict[str, Any] | None = None) -> bool:
        """A waiting mission's answer arrived: queue it again (dispatched after commit). False if not waiting."""
        return self._apply(
            (MissionStatus.WAITING,), Q(status=MissionStatus.WAITING),
            {"status": MissionStatus.QUEUED, "next_attempt_at": None, "dispatched_at": timezone.now(),
             "dispatch_count": F("dispatch_count") + 1},
            kind="queued",
            message=f"resumed: {reason}",
            data={"reason": reason, **(data or {})},
        )

    def expire_wait(self) -> bool:
        """The awaited answer never came: a recoverable failure, so the retry path (or the last-attempt rule) applies.

        The given-back attempt is taken again here, so a mission cannot wait-and-expire forever.
        """
        waited_for = f"no answer before the deadline ({self.next_attempt_at:%H:%M:%S} UTC)"
        error = {"message": f"gave up waiting: {waited_for}", "recoverable": True, "type": "WaitExpired"}
        attempts = self.attempts + 1
        expired = Q(status=MissionStatus.WAITING, next_attempt_at__lt=timezone.now(), attempts=self.attempts)
        with transaction.atomic():
            if attempts >= self.max_attempts:
                return self._apply(
                    (MissionStatus.WAITING,), expired,
                    {"status": MissionStatus.FAILED, "attempts": attempts, "finished_at": timezone.now(),
                     "next_attempt_at": None, "error": {**error, "recoverable": False,
                                                        "message": f"{error['message']} on the last attempt"}},
                    kind="failed", message=f"failed: {waited_for}", data={"error": error},
                )
            delays = settings.REX_RETRY_DELAYS
            delay = delays[min(attempts - 1, len(delays) - 1)]
            due = timezone.now() + timedelta(seconds=delay)
            return self._apply(
                (MissionStatus.WAITING,), expired,
                {"status": MissionStatus.RETRYING, "attempts": attempts, "next_attempt_at": due, "error": error,
                 "dispatched_at": timezone.now()},
                kind="retrying", message=f"{error['message']}; retry in {delay:g} s",
                data={"attempt": attempts, "retry_in_seconds": delay, "next_attempt_at": due.isoformat(), "error": error},
            )

    def cancel(self, by: Any = None) -> None:
        """Cancel a mission that has not finished. A running attempt's outcome is then discarded."""
        if self.is_final:
            raise IllegalTransition(self, self.status, MissionStatus.CANCELLED,
                                    message=f"mission is already {self.status}")
        done = self._apply(
            ACTIVE_STATUSES, Q(status__in=ACTIVE_STATUSES),
            {"status": MissionStatus.CANCELLED, "finished_at": timezone.now(), "lease_token": "",
             "lease_expires_at": None, "next_attempt_at": None},
            kind="cancelled",
            message=f"cancelled by {by}" if by else "cancelled",
            actor=by,
        )
        if not done:
            self.refresh_from_db()
            raise IllegalTransition(self, self.status, MissionStatus.CANCELLED,
                                    message=f"mission is already {self.status}")

    def approve(self, by: Any = None) -> None:
        """A person approves the spend: its money is reserved and the mission queued, in one transaction.

        The budget is judged again here, under the organization's budget lock: approvals (and purchases) at the
        same moment are judged one after the other, so together they never set aside more than the budget. A
        spend the budget no longer allows raises ``spending.BudgetExceeded`` and leaves the mission waiting, with
        the refusal on its timeline.
        """
        if self.status != MissionStatus.AWAITING_APPROVAL:
            raise IllegalTransition(self, self.status, MissionStatus.QUEUED,
                                    message=f"only a mission awaiting approval can be approved; this one is {self.status}")
        try:
            with transaction.atomic():
                spending.reserve(self.organization, key=self.spend_key, cents=self.estimated_cost_cents or 0,
                                 kind="mission", description=f"{self.type} mission {self.pk}")
                done = self._apply(
                    (MissionStatus.AWAITING_APPROVAL,), Q(),
                    {"status": MissionStatus.QUEUED, "dispatched_at": timezone.now(),
                     "dispatch_count": F("dispatch_count") + 1},
                    kind="approved",
                    message=f"approved by {by}: {self.cost_quote}" if by else f"approved: {self.cost_quote}",
                    data={"estimated_cost_cents": self.estimated_cost_cents, "quote": self.cost_quote}, actor=by,
                )
                if not done:
                    self.refresh_from_db()
                    raise IllegalTransition(self, self.status, MissionStatus.QUEUED,
                                            message=f"mission is already {self.status}")
        except spending.BudgetExceeded as exc:
            # Audited outside the refused transaction (it rolled back): the mission stays waiting.
            self._apply((MissionStatus.AWAITING_APPROVAL,), Q(), {}, kind="approval_refused",
                        message=f"approval by {by} refused: {exc.message}" if by else
                        f"approval refused: {exc.message}", data={"reason": exc.message,
                                                                   "budget_left_cents": exc.left_cents}, actor=by)
            raise

    def reject(self, by: Any = None, *, reason: str) -> None:
        """A person refuses the spend: the mission is cancelled with the reason, and nothing is bought."""
        reason = (reason or "").strip()
        if not reason:
            raise ValueError("say why the mission is rejected")
        if self.status != MissionStatus.AWAITING_APPROVAL:
            raise IllegalTransition(self, self.status, MissionStatus.CANCELLED,
                                    message=f"only a mission awaiting approval can be rejected; this one is {self.status}")
        done = self._apply(
            (MissionStatus.AWAITING_APPROVAL,), Q(),
            {"status": MissionStatus.CANCELLED, "finished_at": timezone.now(),
             "error": {"message": f"rejected: {reason}", "recoverable": False, "type": "Rejected"}},
            kind="rejected",
            message=f"rejected by {by}: {reason}" if by else f"rejected: {reason}",
            data={"reason": reason}, actor=by,
        )
        if not done:
            self.refresh_from_db()
            raise IllegalTransition(self, self.status, MissionStatus.CANCELLED,
                                    message=f"mission is already {self.status}")

    def requeue(self, by: Any = None) -> None:
        """Run a failed or cancelled mission again from a fresh attempt budget; dispatched after commit.

        A mission that costs money is judged again as at intake: within the threshold and the budget (or with its
        money still set aside) it is queued, otherwise it waits for approval with a fresh quote.
        """
        if self.status not in (MissionStatus.FAILED, MissionStatus.CANCELLED):
            raise IllegalTransition(self, self.status, MissionStatus.QUEUED,
                                    message=f"only failed or cancelled missions can be retried; this one is {self.status}")
        with transaction.atomic():
            authorization = None
            if self.estimated_cost_cents:
                authorization = spending.authorize_at_intake(
                    self.organization, key=self.spend_key, description=f"{self.type} mission {self.pk}",
                    estimate=spending.CostEstimate(self.estimated_cost_cents, settings.REX_BILLING_CURRENCY,
                                                   self.cost_quote.split("; ")[0]))
            fresh = {"attempts": 0, "error": None, "result": None, "finished_at": None, "next_attempt_at": None}
            if authorization is not None and not authorization.approved:
                done = self._apply(
                    (MissionStatus.FAILED, MissionStatus.CANCELLED), Q(),
                    {"status": MissionStatus.AWAITING_APPROVAL, **fresh, "cost_quote": authorization.quote[:300]},
                    kind="awaiting_approval",
                    message=f"retried by {by}; awaiting approval: {authorization.quote}" if by
                    else f"retried; awaiting approval: {authorization.quote}",
                    data={"quote": authorization.quote, "reason": authorization.reason}, actor=by,
                )
            else:
                done = self._apply(
                    (MissionStatus.FAILED, MissionStatus.CANCELLED), Q(),
                    {"status": MissionStatus.QUEUED, **fresh, "dispatched_at": timezone.now(), "dispatch_count": 1,
                     **({"cost_quote": authorization.quote[:300]} if authorization is not None else {})},
                    kind="queued",
                    message=f"retried by {by}" if by else "retried",
                    actor=by,
                )
            if not done:
                self.refresh_from_db()
                raise IllegalTransition(self, self.status, MissionStatus.QUEUED,
                                    message=f"mission is already {self.status}")

    def requeue_lost(self) -> bool:
        """Put back a mission whose worker stopped renewing its lease (crashed, killed, partitioned)."""
        if self.attempts >= self.max_attempts:
            return self._apply(
                (MissionStatus.RUNNING,), Q(lease_token=self.lease_token, lease_expires_at__lt=timezone.now()),
                {"status": MissionStatus.FAILED, "finished_at": timezone.now(), "lease_token": "",
                 "lease_expires_at": None,
                 "error": {"message": "worker lost during the last attempt", "recoverable": False}},
                kind="failed",
                message=f"worker {self.worker} lost on the last attempt ({self.attempts} of {self.max_attempts})",
            )
        return self._apply(
            (MissionStatus.RUNNING,), Q(lease_token=self.lease_token, lease_expires_at__lt=timezone.now()),
            {"status": MissionStatus.QUEUED, "lease_token": "", "lease_expires_at": None,
             "dispatched_at": timezone.now(), "dispatch_count": F("dispatch_count") + 1},
            kind="queued",
            message=f"lease of {self.worker} expired; requeued",
            data={"reason": "lease_expired", "worker": self.worker},
        )


def spend_key_of(mission_id: Any) -> str:
    return f"mission:{mission_id}"


def _in_order(rows: list[tuple[Mission, int]], ids: list[str]) -> list[tuple[Mission, int]]:
    """``UPDATE … RETURNING`` rows (in no particular order) sorted as ``ids`` lists their missions."""
    position = {mission_id: index for index, mission_id in enumerate(ids)}
    return sorted(rows, key=lambda row: position.get(str(row[0].pk), len(position)))


class MissionEvent(models.Model):
    """One entry of a mission's timeline; ``seq`` orders them per mission."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True, default="")
    to_status = models.CharField(max_length=20)
    message = models.TextField(blank=True, default="")
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    # The request (or task chain) that wrote this row: the X-Request-ID an API call was given, also on its log lines.
    request_id = models.CharField(max_length=64, blank=True, default=current_request_id, editable=False)

    class Meta:
        ordering = ["mission", "seq"]
        constraints = [models.UniqueConstraint(fields=["mission", "seq"], name="unique_mission_event_seq")]

    def __str__(self) -> str:
        return f"{self.mission_id} #{self.seq} {self.kind}"


# --- the timeline: an event row per move, written in the move's transaction ------------------------------------------

def new_event(mission: Mission, *, kind: str, from_status: str = "", message: str = "",
              data: dict[str, Any] | None = None, actor: Any = None, last_seq: int = 0) -> MissionEvent:
    """The event row that follows ``last_seq`` (not yet saved), with its live frame published after commit."""
    event = MissionEvent(
        mission=mission,
        seq=last_seq + 1,
        kind=kind,
        from_status=from_status,
        to_status=mission.status,
        message=message,
        data=data or {},
        actor=actor if getattr(actor, "pk", None) else None,
    )
    publish_event(mission, event)
    return event


class _InsertTogether(threading.local):
    rows: list[MissionEvent] | None = None


_insert_together = _InsertTogether()


@contextmanager
def events_inserted_together() -> Iterator[None]:
    """Inside this block ``record_event`` collects its rows; they are written in one statement as the block ends
    (``core.bulk.insert_new_rows``: their ids are not read back).

    For a worker recording several outcomes in one transaction: one statement instead of one per event. Use it
    inside that transaction; nothing in the block may read the events back. On an error nothing is written (the
    transaction is rolled back anyway).
    """
    outer = _insert_together.rows
    rows: list[MissionEvent] = []
    _insert_together.rows = rows
    try:
        yield
    finally:
        _insert_together.rows = outer
    insert_new_rows(rows)


def record_event(mission: Mission, *, kind: str, from_status: str = "", message: str = "",
                 data: dict[str, Any] | None = None, actor: Any = None, last_seq: int | None = None) -> MissionEvent:
    """Append an event to the mission's timeline; must run inside the transaction that changed the mission.

    The mission row was just updated (or created) in this transaction, which holds its row lock (PostgreSQL)
    or the database write lock (SQLite IMMEDIATE), so computing the next ``seq`` here cannot race. A caller
    that already read the highest ``seq`` under that lock passes it as ``last_seq`` (0 for a mission created
    in this transaction) and saves a query.
    """
    if last_seq is None:
        last_seq = MissionEvent.objects.filter(mission=mission).aggregate(m=Max("seq"))["m"] or 0
    event = new_event(mission, kind=kind, from_status=from_status, message=message, data=data, actor=actor,
                      last_seq=last_seq)
    if _insert_together.rows is not None:
        _insert_together.rows.append(event)
    else:
        event.save(force_insert=True)
    return event


class DecisionLayer(models.TextChoices):
    STRUCTURED = "structured", "Structured (layer 1: logic)"
    RULES = "rules", "Rules (layer 2: grammar)"
    LLM = "llm", "LLM (layer 3: plan)"


class DecisionOutcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted (missions created or found)"
    ANSWERED = "answered", "Answered (no mission needed)"
    REJECTED = "rejected", "Rejected"


class CommandDecision(models.Model):
    """How one command was decided (missions.decision): which layer, what it was read as, and what came of it.

    Every command that reaches the engine is recorded, refusals included, so ops can see what users ask for that
    REX does not understand and ``layer_share`` can say how much of the work each layer does.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="command_decisions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="command_decisions"
    )
    text = models.TextField(blank=True, default="", help_text="The free-text command; empty for a structured one.")
    payload = models.JSONField(default=dict, blank=True, help_text="The request as validated.")
    layer = models.CharField(max_length=16, choices=DecisionLayer.choices)
    intent = models.CharField(max_length=64, blank=True, default="")
    outcome = models.CharField(max_length=16, choices=DecisionOutcome.choices)
    summary = models.TextField(blank=True, default="")
    error = models.JSONField(null=True, blank=True)
    # A relation rather than a list of ids: the missions stay linked (mission.decisions answers "which command
    # made this?"), a deleted mission drops out instead of leaving a dangling id, and the admin can show them.
    missions = models.ManyToManyField(Mission, blank=True, related_name="decisions")
    created_at = models.DateTimeField(default=timezone.now)
    # The request (or task chain) that wrote this row: the X-Request-ID an API call was given, also on its log lines.
    request_id = models.CharField(max_length=64, blank=True, default=current_request_id, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "created_at"], name="decision_org_recent")]

    def __str__(self) -> str:
        return f"{self.layer} {self.outcome}: {self.summary or self.intent}"
