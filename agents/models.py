"""The agent registry's rows and the append-only audit log of what agents did."""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.utils import timezone

from agents.redaction import redact_payload


class Agent(models.Model):
    """One registered agent. Code declares it; this row lets ops enable/disable it and see its counters."""

    name = models.CharField(max_length=64, unique=True)
    version = models.CharField(max_length=32)
    description = models.TextField(blank=True, default="")
    enabled = models.BooleanField(default=True, help_text="A disabled agent's missions are refused at intake.")
    runs = models.PositiveIntegerField(default=0)
    successes = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    total_duration_ms = models.PositiveBigIntegerField(default=0)
    last_run_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def success_rate(self) -> float | None:
        return self.successes / self.runs if self.runs else None

    @classmethod
    def record_run(cls, name: str, *, succeeded: bool, duration_ms: int) -> None:
        """Bump the counters in one UPDATE (many workers finish runs at once)."""
        cls.objects.filter(name=name).update(
            runs=F("runs") + 1,
            successes=F("successes") + (1 if succeeded else 0),
            failures=F("failures") + (0 if succeeded else 1),
            total_duration_ms=F("total_duration_ms") + max(duration_ms, 0),
            last_run_at=timezone.now(),
        )


class AgentLog(models.Model):
    """Append-only: one row per agent action. Payloads are stored redacted."""

    class Level(models.TextChoices):
        DEBUG = "debug", "Debug"
        INFO = "info", "Info"
        WARNING = "warning", "Warning"
        ERROR = "error", "Error"

    organization = models.ForeignKey("missions.Organization", on_delete=models.CASCADE, related_name="agent_logs")
    mission = models.ForeignKey("missions.Mission", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="agent_logs")
    agent = models.CharField(max_length=64, db_index=True)
    action = models.CharField(max_length=64)
    level = models.CharField(max_length=8, choices=Level.choices, default=Level.INFO)
    attempt = models.PositiveIntegerField(default=0)
    payload = models.JSONField(default=dict, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    llm_prompt_tokens = models.PositiveIntegerField(default=0)
    llm_completion_tokens = models.PositiveIntegerField(default=0)
    llm_cost = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "agent_logs"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["mission", "created_at"], name="agentlog_mission_time")]

    def __str__(self) -> str:
        return f"{self.agent}.{self.action} ({self.level})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("AgentLog rows are append-only")
        # Whoever writes the row, the payload is stored redacted.
        self.payload = redact_payload(self.payload)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("AgentLog rows are append-only")
