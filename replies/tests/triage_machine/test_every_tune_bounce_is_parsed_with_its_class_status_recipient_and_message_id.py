import pytest

from replies.tests.triage_machine.helpers import machine_samples, parse
from replies.triage.bounces import parse_bounce

SAMPLES = machine_samples("tune", "bounce")


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.label["file"] for s in SAMPLES])
def test_every_tune_bounce_is_parsed_with_its_class_status_recipient_and_message_id(sample):
    label = sample.label
    bounce = parse_bounce(parse(sample.raw))
    assert bounce is not None
    assert bounce.klass == label["bounce_class"], bounce.reason
    if label["status"]:
        assert bounce.status == label["status"]
    assert bounce.recipient.lower() == label["recipient"].lower()
    assert bounce.original_message_id == label["original_message_id"]
    assert bounce.reason
    if label["delayed"]:
        assert "delay" in bounce.reason
        assert bounce.klass != "hard"
