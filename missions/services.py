"""Intake: turning a validated command into a mission (``check_*`` validates, ``submit_*`` mutates)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from agents import registry
from agents.idempotency import generate_idempotency_key
from missions.dispatch import dispatch_on_commit
from missions.models import Mission, MissionStatus, Priority, record_event
from tenants.models import Organization


class CommandRejected(Exception):
    """A command intake refuses; ``errors`` maps field names to messages, as DRF does."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__(errors)
        self.errors = errors


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def derive_idempotency_key(organization: Organization, mission_type: str, params: dict[str, Any]) -> str:
    """SHA-256 of organization + type + canonical params: the same command twice is the same mission."""
    material = f"{organization.pk}\n{mission_type}\n{canonical_json(params)}"
    return hashlib.sha256(material.encode()).hexdigest()


def check_command(mission_type: str, params: Any) -> dict[str, Any]:
    """Validate type and params against the registry; returns the agent's cleaned params."""
    from rest_framework import serializers

    agent = registry.get(mission_type)
    if agent is None:
        raise CommandRejected({"type": [f"unknown mission type {mission_type!r}; known: {', '.join(registry.names())}"]})
    if not registry.is_enabled(mission_type):
        raise CommandRejected({"type": [f"agent {mission_type!r} is disabled; its missions are not accepted"]})
    try:
        return agent.validate_params(params)
    except serializers.ValidationError as exc:
        raise CommandRejected({"params": exc.detail}) from exc


@dataclass
class Submission:
    mission: Mission
    created: bool


def submit_mission(organization: Organization, *, mission_type: str, params: Any, priority: str = Priority.NORMAL,
                   idempotency_key: str | None = None, requested_by: Any = None,
                   parent: Mission | None = None) -> Submission:
    """Create a queued mission and dispatch it after commit; an already-seen idempotency key returns that one."""
    cleaned = check_command(mission_type, params)
    key = idempotency_key or derive_idempotency_key(organization, mission_type, cleaned)
    existing = Mission.objects.filter(organization=organization, idempotency_key=key).first()
    if existing is not None:
        return Submission(existing, created=False)
    now = timezone.now()
    try:
        with transaction.atomic():
            mission = Mission.objects.create(
                organization=organization,
                type=mission_type,
                params=cleaned,
                priority=priority,
                idempotency_key=key,
                result_key=generate_idempotency_key(mission_type, cleaned, idempotency_key),
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
                         data={"priority": priority}, actor=requested_by, last_seq=0)
            dispatch_on_commit(mission)
    except IntegrityError:
        # A concurrent request with the same key won the race; theirs is the mission.
        existing = Mission.objects.filter(organization=organization, idempotency_key=key).first()
        if existing is None:
            raise
        return Submission(existing, created=False)
    return Submission(mission, created=True)


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
