"""A new inbound message, its triage and a relabel reach the inbox pages on the ``replies`` stream after the
transaction commits: one ``reply.event`` frame per organization carrying the committed rows and the fresh counts
per category; nothing for a transaction that rolls back."""

import pytest
from django.db import transaction

from live import broadcast
from replies.models import InboundMessage
from replies.services import publish_inbound, relabel
from replies.tests.seed import inbound


@pytest.fixture
def frames(monkeypatch):
    sent: list[tuple[str, dict]] = []
    monkeypatch.setattr(broadcast, "send_frames", lambda group, batch: sent.extend((group, f) for f in batch))
    return sent


def test_a_new_message_and_its_triage_are_one_frame_after_commit(seeded, frames, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            message = inbound(seeded.bob.organization, inbox=seeded.first, from_address="erin@new.example",
                              subject="Interested!", text="Tell me more.")
            assert frames == []  # nothing before the commit
            message.category, message.layer, message.confidence = "interested", "rules", 0.9
            message.save(update_fields=["category", "layer", "confidence"])

    [(group, frame)] = frames
    assert group == broadcast.organization_group(seeded.bob.organization_id)
    assert frame["type"] == "reply.event" and frame["stream"] == "replies"
    [row] = frame["replies"]
    assert (row["id"], row["from_address"], row["category"], row["snippet"]) == (
        message.pk, "erin@new.example", "interested", "Tell me more.")
    assert frame["counts"]["total"] == 5 and frame["counts"]["categories"]["interested"] == 2


def test_a_rolled_back_message_is_never_published(seeded, frames, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            inbound(seeded.bob.organization, inbox=seeded.first, from_address="ghost@new.example", subject="x",
                    text="x")
            raise RuntimeError("rolled back")
    assert frames == []
    assert not InboundMessage.objects.filter(from_address="ghost@new.example").exists()


def test_a_relabel_publishes_the_corrected_row(seeded, frames, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        relabel(seeded.lost, "question", user)
    [(_, frame)] = frames
    [row] = frame["replies"]
    assert (row["id"], row["category"], row["corrected_by"]) == (seeded.lost.pk, "question", "alice")
    assert frame["counts"]["categories"]["needs_review"] == 0


def test_publish_inbound_sends_rows_written_in_bulk(seeded, frames, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        InboundMessage.objects.filter(pk__in=[seeded.bob.pk, seeded.carol.pk]).update(category="other")
        publish_inbound([seeded.bob.pk, seeded.carol.pk])
    [(_, frame)] = frames
    assert [r["id"] for r in frame["replies"]] == [seeded.carol.pk, seeded.bob.pk]
    assert frame["counts"]["categories"]["other"] == 2
