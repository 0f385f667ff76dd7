"""Intake: turning a validated command into a mission (``check_*`` validates, ``submit_*`` mutates)."""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from agents import names, registry, spending
from agents.idempotency import generate_idempotency_key
from missions.dispatch import dispatch_on_commit
from missions.models import ACTIVE_STATUSES, Mission, MissionStatus, Priority, record_event, spend_key_of
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


def check_command(mission_type: str, params: Any, organization: Organization | None = None) -> dict[str, Any]:
    """Validate type and params against the registry; returns the agent's cleaned params.

    With the organization, the things the params name (campaigns, lists, pools, …: ``agents.names``) must exist
    in it, and the agent's own intake checks (``BaseAgent.check_at_intake``) run: called inside the transaction
    that creates the mission, so what was found is what the mission is created for.
    """
    from rest_framework import serializers

    agent = registry.get(mission_type)
    if agent is None:
        raise CommandRejected({"type": [f"unknown mission type {mission_type!r}; known: {', '.join(registry.names())}"]})
    if not registry.is_enabled(mission_type):
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


def repeated_command(organization: Organization, command_key: str) -> tuple[Mission | None, int]:
    """The mission an identical earlier command still stands for (unfinished, or created within the dedupe
    window), or None with the generation a new mission of this command takes.

    The first mission of a command has the derived key (as before windows existed, so older missions keep
    deduping); each later one the key plus its generation. Two identical commands deciding at once compute the
    same next key, and the unique (organization, idempotency_key) constraint lets one of them create it: no lock,
    and no bucket boundary that two commands a second apart could fall on either side of.
    """
    # One statement, so one snapshot: the latest mission and the next generation are read together. (Read apart,
    # a concurrent command committing in between would make this one skip a generation and create a second
    # mission.) A mission older than the command_key column has the derived key itself: the first generation.
    earlier = list(Mission.objects.filter(Q(command_key=command_key) | Q(idempotency_key=command_key),
                                          organization=organization)
                   .values_list("pk", "status", "created_at", "idempotency_key"))
    if not earlier:
        return None, 1
    pk, status, created_at, key = max(earlier, key=lambda row: _generation(command_key, row[3]))
    if status in ACTIVE_STATUSES or timezone.now() < created_at + dedupe_window():
        return Mission.objects.get(pk=pk), 0
    return None, _generation(command_key, key) + 1


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
    command_key = "" if idempotency_key else derive_idempotency_key(organization, mission_type, cleaned)
    if idempotency_key:
        key = idempotency_key
        existing = Mission.objects.filter(organization=organization, idempotency_key=key).first()
        if existing is not None:
            return Submission(existing, created=False)
        result_key = generate_idempotency_key(mission_type, cleaned, idempotency_key)
    else:
        existing, generation = repeated_command(organization, command_key)
        if existing is not None:
            return Submission(existing, created=False)
        key = command_key if generation == 1 else f"{command_key}/{generation}"
        # A later generation is a new piece of work: it must not be answered with the earlier one's result.
        result_key = generate_idempotency_key(mission_type, cleaned, None if generation == 1 else key)
    estimate = check_cost(organization, mission_type, cleaned)
    now = timezone.now()
    mission_id = uuid.uuid4()
    try:
        with transaction.atomic():
            authorization = None if estimate is None else spending.authorize_at_intake(
                organization, key=spend_key_of(mission_id), estimate=estimate,
                description=f"{mission_type} mission {mission_id}")
            if authorization is not None and not authorization.approved:
                mission = _store_awaiting_approval(organization, mission_id, mission_type=mission_type,
                                                   cleaned=cleaned, priority=priority, key=key,
                                                   command_key=command_key, result_key=result_key,
                                                   requested_by=requested_by,
                                                   parent=parent, estimate=estimate, authorization=authorization)
                return Submission(mission, created=True)
            mission = Mission.objects.create(
                id=mission_id,
                estimated_cost_cents=estimate.cents if estimate else None,
                cost_quote=authorization.quote[:300] if authorization else "",
                organization=organization,
                type=mission_type,
                params=cleaned,
                priority=priority,
                idempotency_key=key,
                command_key=command_key,
                result_key=result_key,
                requested_by=requested_by if getattr(requested_by, "pk", None) else None,
                parent=parent,
                max_attempts=settings.REX_MAX_ATTEMPTS,
                created_at=now,
                updated_at=now,
                dispatched_at=now,
                dispatch_count=1,
            )
            # Created just now in this transaction: it has no events yet, no need to look up the last seq.
            record_event(mission, kind="queued", message=f"submitted by {requested_by}" if requested_by else "submitted",
                         data={"priority": priority, **({"estimated_cost_cents": estimate.cents, "quote":
                                                         authorization.quote} if estimate and authorization else {})},
                         actor=requested_by, last_seq=0)
            dispatch_on_commit(mission)
    except IntegrityError:
        # A concurrent request with the same key won the race; theirs is the mission.
        existing = Mission.objects.filter(organization=organization, idempotency_key=key).first()
        if existing is None:
            raise
        return Submission(existing, created=False)
    return Submission(mission, created=True)


def _store_awaiting_approval(organization: Organization, mission_id: uuid.UUID, *, mission_type: str,
                             cleaned: dict[str, Any], priority: str, key: str, command_key: str,
                             result_key: str, requested_by: Any, parent: Mission | None, estimate: spending.CostEstimate,
                             authorization: spending.Authorization) -> Mission:
    """The mission stored ``awaiting_approval`` with its quote: not dispatched, nothing reserved."""
    now = timezone.now()
    mission = Mission.objects.create(
        id=mission_id, organization=organization, type=mission_type, params=cleaned, priority=priority,
        status=MissionStatus.AWAITING_APPROVAL, estimated_cost_cents=estimate.cents,
        cost_quote=authorization.quote[:300], idempotency_key=key, command_key=command_key, result_key=result_key,
        requested_by=requested_by if getattr(requested_by, "pk", None) else None, parent=parent,
        max_attempts=settings.REX_MAX_ATTEMPTS, created_at=now, updated_at=now)
    record_event(mission, kind="awaiting_approval", message=f"awaiting approval: {authorization.quote}",
                 data={"priority": priority, "estimated_cost_cents": estimate.cents, "quote": authorization.quote,
                       "reason": authorization.reason}, actor=requested_by, last_seq=0)
    return mission


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
