"""Every page of a member shows a banner naming the organization's open incidents (worst first) and linking to
/incidents/; acknowledged incidents leave it, and another organization's never show."""

from __future__ import annotations

import pytest
from django.utils import timezone

from monitoring.models import Incident

pytestmark = pytest.mark.django_db


def test_every_page_carries_a_banner_of_the_open_incidents(client, user, organization, django_user_model):
    client.force_login(user)
    Incident.objects.create(organization=organization, kind="queue_age", severity="warning", subject_type="queue",
                            subject_key="queue", subject="mission queue", reason="the oldest queued mission has "
                            "waited 6 min 0 s for a worker", opened_at=timezone.now())
    critical = Incident.objects.create(
        organization=organization, kind="bounce_rate", severity="critical", subject_type="domain",
        subject_key="domain:1", subject="send1.test.example", reason="bounce rate 6.0 % (12 of 200 sent)",
        opened_at=timezone.now())

    for url in ("/", "/domains/", "/campaigns/", "/inbox/", "/agents/", "/incidents/"):
        page = client.get(url).content.decode()
        assert 'id="incident-banner" class="incident-banner incident-banner-critical"' in page, url
        assert "2 open incidents" in page and "Bounce rate on send1.test.example: bounce rate 6.0 %" in page, url

    summary = client.get("/incidents/summary.json").json()
    assert [i["id"] for i in summary["incidents"]] == [critical.pk, critical.pk - 1]  # worst first

    Incident.objects.update(status="acknowledged")
    assert 'id="incident-banner" class="incident-banner" role="alert"' in client.get("/").content.decode()
    assert " hidden>" in client.get("/").content.decode().split('id="incident-banner"')[1].split("\n")[0]
