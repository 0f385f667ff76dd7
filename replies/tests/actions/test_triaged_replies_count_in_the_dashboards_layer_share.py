"""Every triage decision counts in the layer-share figure the dashboard and /api/agents/status show: replies the
rules decided add to the rules layer, the LLM's to the LLM layer, and those left for a person are reported apart."""

from datetime import timedelta

import pytest
from django.utils import timezone

from missions.decision import layer_share
from missions.models import CommandDecision
from replies.models import InboundMessage

pytestmark = pytest.mark.django_db


def test_triaged_replies_count_in_the_dashboards_layer_share(organization):
    now = timezone.now()
    CommandDecision.objects.create(organization=organization, layer="structured", outcome="accepted", intent="canary")
    for layer, n in (("rules", 3), ("llm", 1), ("review", 2)):
        for _ in range(n):
            InboundMessage.objects.create(organization=organization, raw=b"x", layer=layer, triaged_at=now)

    share = layer_share(organization, since=now - timedelta(hours=1))

    assert share["decided"] == 5 and share["review"] == 2
    assert share["layers"]["rules"]["count"] == 3 and share["layers"]["llm"]["count"] == 1
    assert share["sources"]["replies"] == {"rules": 3, "llm": 1, "review": 2}
