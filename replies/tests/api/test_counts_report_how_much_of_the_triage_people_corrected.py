"""The inbox's counts carry the triage's accuracy figure: of the replies the rules or the LLM categorised, how many
a person relabelled to another category (a relabel to the same category is not a correction)."""

import pytest
from django.utils import timezone

from replies.models import InboundMessage

pytestmark = pytest.mark.django_db


def test_counts_report_how_much_of_the_triage_people_corrected(api_client, organization, user):
    now = timezone.now()

    def message(category: str, layer: str, corrected: str = "") -> None:
        InboundMessage.objects.create(organization=organization, raw=b"x", category=category, layer=layer,
                                      triaged_at=now, corrected_category=corrected)

    for _ in range(3):
        message("interested", "rules")
    message("question", "llm", corrected="unsubscribe")
    message("other", "rules", corrected="other")
    message("needs_review", "review", corrected="interested")  # a person deciding what REX left: not a correction

    body = api_client.get("/api/replies/counts").json()

    assert body["accuracy"] == {"decided": 5, "corrected": 1, "share": 0.8}
