"""Intake: turning a validated command into a mission (``check_*`` validates, ``submit_*`` mutates)."""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from agents import names, registry, spending
from agents.idempotency import generate_idempotency_key
from core.bulk import insert_new_rows
from missions.dispatch import dispatch_on_commit
from missions.models import (
    ACTIVE_STATUSES,
    Mission,
    MissionEvent,
    MissionStatus,
    Priority,
    events_inserted_together,
    record_event,
    spend_key_of,
)
from tenants.models import Organization


class CommandRejected(Exception):
    """A command intake refuses; ``errors`` maps field names to messages, as DRF does; ``unknown`` lists the
    names it gave that matched nothing (so free text can be answered with the whole command corrected)."""

    def __init__(self, errors: dict[str, Any], unknown: list[names.UnknownName] | None = None) -> None:
        super().__init__(errors)
        self.errors = errors
        self.unknown = unknown or []


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def derive_idempotency_key(organization: Organization, mission_type: str, params: dict[str, Any]) -> str:
    """SHA-256 of organization + type + canonical params: the same command twice is the same mission."""
    material = f"{organization.pk}\n{mission_type}\n{canonical_json(params)}"
    return hashlib.sha256(material.encode()).hexdigest()


def check_command(mission_type: str, params: Any, organization: Organization | None = None, *,
                  is_enabled: Callable[[str], bool] = registry.is_enabled) -> dict[str, Any]:
    """Validate type and params against the registry; returns the agent's cleaned params.

    With the organization, the things the params name (campaigns, lists, pools, …: ``agents.names``) must exist
    in it, and the agent's own intake checks (``BaseAgent.check_at_intake``) run: called inside the transaction
    that creates the mission, so what was found is what the mission is created for. A batch passes
    ``is_enabled`` answered from one query for all its types.
    """
    from rest_framework import serializers

    agent = registry.get(mission_type)
    if agent is None:
        raise CommandRejected({"type": [f"unknown mission type {mission_type!r}; known: {', '.join(registry.names())}"]})
    if not is_enabled(mission_type):
        raise CommandRejected({"type": [f"agent {mission_type!r} is disabled; its missions are not accepted"]})
    try:
        cleaned = agent.validate_params(params)
    except serializers.ValidationError as exc:
        raise CommandRejected({"params": exc.detail}) from exc
    if organization is None:
        return cleaned
    unknown = names.unknown_names(agent.Params, cleaned, organization)
    if unknown:
        raise CommandRejected({"params": {name.field: [name.message] for name in unknown}}, unknown)
    try:
        return agent.check_at_intake(organization, cleaned)
    except serializers.ValidationError as exc:
        raise CommandRejected({"params": exc.detail}) from exc


@dataclass
class Submission:
    mission: Mission
    created: bool
    # A mission created by this submission: the one event of its timeline so far (answers need not read it back).
    first_event: MissionEvent | None = None


def check_cost(organization: Organization, mission_type: str, cleaned: dict[str, Any]) -> spending.CostEstimate | None:
    """The mission's estimated cost (None or 0: it costs nothing); params that cannot be priced are refused."""
    try:
        estimate = spending.estimate_cost(organization, mission_type, cleaned)
    except spending.CostUnknown as exc:
        raise CommandRejected({"params": exc.errors}) from exc
    return estimate if estimate is not None and estimate.cents > 0 else None


def dedupe_window() -> timedelta:
    return timedelta(seconds=settings.REX_COMMAND_DEDUPE_WINDOW_SECONDS)


def _generation(command_key: str, idempotency_key: str) -> int:
    """Which of a command's missions this is: the first has the derived key itself, the n-th ``<key>/n``."""
    suffix = idempotency_key.removeprefix(command_key).removeprefix("/")
    return int(suffix) if suffix.isdigit() else 1


def repeated_commands(organization: Organization, command_keys: Sequence[str]) -> dict[str, tuple[Mission | None, int]]:
    """For each command key: the mission an identical earlier command still stands for (unfinished, or created
    within the dedupe window), or None with the generation a new mission of this command takes.

    The first mission of a command has the derived key (as before windows existed, so older missions keep
    deduping); each later one the key plus its generation. Two identical commands deciding at once compute the
    same next key, and the unique (organization, idempotency_key) constraint lets one of them create it: no lock,
    and no bucket boundary that two commands a second apart could fall on either side of.

    Two queries at most whatever the number of keys: the earlier generations of all of them, then the missions
    that still stand.
    """
    wanted = set(command_keys)
    if not wanted:
        return {}
    # One statement, so one snapshot: the latest mission and the next generation are read together. (Read apart,
    # a concurrent command committing in between would make this one skip a generation and create a second
    # mission.) A mission older than the command_key column has the derived key itself: the first generation.
    rows = (Mission.objects.filter(Q(command_key__in=wanted) | Q(idempotency_key__in=wanted), organization=organization)
            .values_list("pk", "status", "created_at", "idempotency_key", "command_key"))
    latest: dict[str, tuple[Any, str, Any, str]] = {}
    for pk, status, created_at, key, command_key in rows:
        owner = command_key if command_key in wanted else key
        if owner not in wanted:
            continue
        best = latest.get(owner)
        if best is None or _generation(owner, key) > _generation(owner, best[3]):
            latest[owner] = (pk, status, created_at, key)
    answers: dict[str, tuple[Mission | None, int]] = {key: (None, 1) for key in wanted}
    standing: dict[Any, str] = {}
    for owner, (pk, status, created_at, key) in latest.items():
        if status in ACTIVE_STATUSES or timezone.now() < created_at + dedupe_window():
            standing[pk] = owner
        else:
            answers[owner] = (None, _generation(owner, key) + 1)
    if standing:
        for mission in Mission.objects.filter(pk__in=standing):
            answers[standing[mission.pk]] = (mission, 0)
    return answers


def repeated_command(organization: Organization, command_key: str) -> tuple[Mission | None, int]:
    """``repeated_commands`` for one command."""
    return repeated_commands(organization, [command_key])[command_key]


@dataclass(frozen=True)
class MissionKeys:
    """The keys a new mission is stored with: its idempotency key, the derived command key ("" with a client's
    key) and the key its result is cached under."""

    key: str
    command_key: str
    result_key: str


def keys_of_new_mission(mission_type: str, cleaned: dict[str, Any], idempotency_key: str | None, command_key: str,
                        generation: int) -> MissionKeys:
    if idempotency_key:
        return MissionKeys(idempotency_key, "", generate_idempotency_key(mission_type, cleaned, idempotency_key))
    key = command_key if generation == 1 else f"{command_key}/{generation}"
    # A later generation is a new piece of work: it must not be answered with the earlier one's result.
    return MissionKeys(key, command_key, generate_idempotency_key(mission_type, cleaned, None if generation == 1 else key))


def submit_mission(organization: Organization, *, mission_type: str, params: Any, priority: str = Priority.NORMAL,
                   idempotency_key: str | None = None, requested_by: Any = None,
                   parent: Mission | None = None) -> Submission:
    """Create a queued mission and dispatch it after commit; a repeated command returns the mission it stands for.

    A client's idempotency key dedupes forever. Without one the key is derived from organization + type +
    cleaned params and dedupes only while the earlier mission is unfinished or inside the dedupe window
    (``REX_COMMAND_DEDUPE_WINDOW_SECONDS``, docs/api.md). The names the params give are resolved in the same
    transaction as the mission is created in.

    A mission that costs money carries its estimate. Within the organization's approval threshold and monthly
    budget its money is reserved with it (``agents.spending``) and it is queued; otherwise it is stored
    ``awaiting_approval`` with the quote, and nothing is dispatched (or bought) until a person approves it.
    """
    submission = functools.partial(_submit, organization, mission_type=mission_type, params=params, priority=priority,
                                   idempotency_key=idempotency_key, requested_by=requested_by, parent=parent)
    if transaction.get_connection().in_atomic_block:
        return submission()  # the caller's transaction (``do_command``'s): no savepoint to pay for
    with transaction.atomic():
        return submission()


def _submit(organization: Organization, *, mission_type: str, params: Any, priority: str,
            idempotency_key: str | None, requested_by: Any, parent: Mission | None) -> Submission:
    cleaned = check_command(mission_type, params, organization)
    if idempotency_key:
        existing = Mission.objects.filter(organization=organization, idempotency_key=idempotency_key).first()
        command_key, generation = "", 1
    else:
        command_key = derive_idempotency_key(organization, mission_type, cleaned)
        existing, generation = repeated_command(organization, command_key)
    if existing is not None:
        return Submission(existing, created=False)
    keys = keys_of_new_mission(mission_type, cleaned, idempotency_key, command_key, generation)
    estimate = check_cost(organization, mission_type, cleaned)
    try:
        with transaction.atomic():
            mission, authorization = _new_mission(organization, mission_type=mission_type, cleaned=cleaned,
                                                  priority=priority, keys=keys, requested_by=requested_by,
                                                  parent=parent, estimate=estimate)
            mission.save(force_insert=True)
            event = _record_intake(mission, requested_by, estimate, authorization)
    except IntegrityError:
        # A concurrent request with the same key won the race; theirs is the mission.
        existing = Mission.objects.filter(organization=organization, idempotency_key=keys.key).first()
        if existing is None:
            raise
        return Submission(existing, created=False)
    return Submission(mission, created=True, first_event=event)


def _new_mission(organization: Organization, *, mission_type: str, cleaned: dict[str, Any], priority: str,
                 keys: MissionKeys, requested_by: Any, parent: Mission | None,
                 estimate: spending.CostEstimate | None) -> tuple[Mission, spending.Authorization | None]:
    """The mission to store (not saved yet), with the spend decision its estimate got.

    Within the organization's approval threshold and monthly budget the estimate is reserved (in the caller's
    transaction) and the mission is queued; otherwise it waits for a person, ``awaiting_approval`` with the quote,
    and is never dispatched (or buys anything) until approved.
    """
    mission_id = uuid.uuid4()
    authorization = None if estimate is None else spending.authorize_at_intake(
        organization, key=spend_key_of(mission_id), estimate=estimate, description=f"{mission_type} mission {mission_id}")
    now = timezone.now()
    common = dict(id=mission_id, organization=organization, type=mission_type, params=cleaned, priority=priority,
                  idempotency_key=keys.key, command_key=keys.command_key, result_key=keys.result_key,
                  requested_by=requested_by if getattr(requested_by, "pk", None) else None, parent=parent,
                  max_attempts=settings.REX_MAX_ATTEMPTS, created_at=now, updated_at=now,
                  estimated_cost_cents=estimate.cents if estimate else None,
                  cost_quote=authorization.quote[:300] if authorization else "")
    if authorization is not None and not authorization.approved:
        return Mission(status=MissionStatus.AWAITING_APPROVAL, **common), authorization
    return Mission(dispatched_at=now, dispatch_count=1, **common), authorization


def _record_intake(mission: Mission, requested_by: Any, estimate: spending.CostEstimate | None,
                   authorization: spending.Authorization | None) -> MissionEvent:
    """The first event of a mission just stored (``queued`` or ``awaiting_approval``); a queued one is dispatched
    after commit. Created in this transaction: it has no events yet, no need to look up the last seq."""
    if mission.status == MissionStatus.AWAITING_APPROVAL:
        assert estimate is not None and authorization is not None
        return record_event(mission, kind="awaiting_approval", message=f"awaiting approval: {authorization.quote}",
                            data={"priority": mission.priority, "estimated_cost_cents": estimate.cents,
                                  "quote": authorization.quote, "reason": authorization.reason},
                            actor=requested_by, last_seq=0)
    event = record_event(mission, kind="queued",
                         message=f"submitted by {requested_by}" if requested_by else "submitted",
                         data={"priority": mission.priority, **({"estimated_cost_cents": estimate.cents,
                                                                 "quote": authorization.quote}
                                                                if estimate and authorization else {})},
                         actor=requested_by, last_seq=0)
    dispatch_on_commit(mission)
    return event


@dataclass(frozen=True)
class MissionRequest:
    """One structured command of a batch: what ``submit_mission`` takes for one mission."""

    type: str
    params: Any
    priority: str = Priority.NORMAL
    idempotency_key: str | None = None


class BatchRejected(CommandRejected):
    """A batch refused as a whole; ``by_item`` maps each refused item's index to its field errors."""

    def __init__(self, by_item: dict[int, dict[str, Any]]) -> None:
        super().__init__({"commands": {str(index): errors for index, errors in sorted(by_item.items())}})
        self.by_item = by_item


def submit_missions(organization: Organization, requests: Sequence[MissionRequest], *,
                    requested_by: Any = None) -> list[Submission]:
    """Every mission of a batch, in request order, or none: any item intake refuses raises ``BatchRejected``.

    The same rules as ``submit_mission`` item by item (validation at intake, names, cost and spend approval,
    idempotency: a client's key forever, a derived key within the dedupe window), with the per-item queries done
    for the whole batch: one for the agents' enabled flags, one or two per kind of key, one statement for the
    missions and one for their events (``core.bulk.insert_new_rows``). Items of the batch that are the same command
    (the same key) are one mission: the first creates it, the others get it as a duplicate. A queued mission is
    dispatched after commit with the others, so the batch reaches the workers in chunks
    (``missions.dispatch.send_missions``).

    Call it inside the transaction that records the decision (``do_commands``); it makes a savepoint of its own
    so that a concurrent request storing one of the same keys first (the unique constraint) sends this batch down
    ``submit_mission``'s path, item by item, which answers each such item with the mission that won.
    """
    flags = registry.enabled_among({request.type for request in requests})
    cleaned: list[dict[str, Any]] = []
    estimates: list[spending.CostEstimate | None] = []
    refused: dict[int, dict[str, Any]] = {}
    for index, request in enumerate(requests):
        try:
            cleaned.append(check_command(request.type, request.params, organization, is_enabled=flags.__getitem__))
            estimates.append(check_cost(organization, request.type, cleaned[-1]))
        except CommandRejected as exc:
            refused[index] = exc.errors
    if refused:
        raise BatchRejected(refused)

    # Each item's key: the client's, or the command's derived key (whose generation says the mission's key).
    command_keys = ["" if request.idempotency_key else derive_idempotency_key(organization, request.type, params)
                    for request, params in zip(requests, cleaned, strict=True)]
    client_keys = {request.idempotency_key for request in requests if request.idempotency_key}
    by_client_key = ({mission.idempotency_key: mission for mission in
                      Mission.objects.filter(organization=organization, idempotency_key__in=client_keys)}
                     if client_keys else {})
    by_command_key = repeated_commands(organization, [key for key in command_keys if key])

    submissions: list[Submission | None] = [None] * len(requests)
    new: list[tuple[int, MissionKeys]] = []
    first_of: dict[str, int] = {}  # a new mission's key → the item that creates it
    repeats: list[tuple[int, int]] = []  # (item, the earlier item of this batch with the same key)
    for index, request in enumerate(requests):
        if request.idempotency_key:
            existing, generation = by_client_key.get(request.idempotency_key), 1
        else:
            existing, generation = by_command_key[command_keys[index]]
        if existing is not None:
            submissions[index] = Submission(existing, created=False)
            continue
        keys = keys_of_new_mission(request.type, cleaned[index], request.idempotency_key, command_keys[index],
                                   generation)
        if keys.key in first_of:
            repeats.append((index, first_of[keys.key]))  # the same command earlier in this batch
            continue
        first_of[keys.key] = index
        new.append((index, keys))

    try:
        with transaction.atomic():
            built = [(index, *_new_mission(organization, mission_type=requests[index].type, cleaned=cleaned[index],
                                           priority=requests[index].priority, keys=keys, requested_by=requested_by,
                                           parent=None, estimate=estimates[index]))
                     for index, keys in new]
            insert_new_rows([mission for _, mission, _ in built])
    except IntegrityError:
        # A concurrent request stored one of these keys first: item by item, each such item gets the winner's.
        return [submit_mission(organization, mission_type=request.type, params=request.params,
                               priority=request.priority, idempotency_key=request.idempotency_key,
                               requested_by=requested_by) for request in requests]
    with events_inserted_together():
        for index, mission, authorization in built:
            event = _record_intake(mission, requested_by, estimates[index], authorization)
            submissions[index] = Submission(mission, created=True, first_event=event)
    for index, first in repeats:
        submissions[index] = Submission(submissions[first].mission, created=False)  # type: ignore[union-attr]
    return [submission for submission in submissions if submission is not None]


def park_mission(organization: Organization, *, mission_type: str, params: dict[str, Any], waiting_for: str,
                 idempotency_key: str, requested_by: Any = None) -> Submission:
    """A mission REX must do but cannot run yet (no agent of its type is installed here): created ``waiting``,
    never dispatched, with no deadline, until ``Mission.resume`` queues it (the agent, once installed, resumes the
    missions parked for it). ``params`` are already cleaned by the caller (the type's params model); the key makes
    a second park of the same work return the first.
    """
    existing = Mission.objects.filter(organization=organization, idempotency_key=idempotency_key).first()
    if existing is not None:
        return Submission(existing, created=False)
    now = timezone.now()
    try:
        with transaction.atomic():
            mission = Mission.objects.create(
                organization=organization, type=mission_type, params=params, priority=Priority.NORMAL,
                status=MissionStatus.WAITING, next_attempt_at=None, idempotency_key=idempotency_key,
                result_key=generate_idempotency_key(mission_type, params, idempotency_key),
                requested_by=requested_by if getattr(requested_by, "pk", None) else None,
                max_attempts=settings.REX_MAX_ATTEMPTS, created_at=now, updated_at=now)
            record_event(mission, kind="waiting", message=f"waiting for {waiting_for}",
                         data={"reason": waiting_for, "parked": True}, actor=requested_by, last_seq=0)
    except IntegrityError:
        existing = Mission.objects.filter(organization=organization, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return Submission(existing, created=False)
    return Submission(mission, created=True)
