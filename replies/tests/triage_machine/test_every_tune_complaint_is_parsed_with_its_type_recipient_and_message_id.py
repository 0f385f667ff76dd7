import pytest

from replies.tests.triage_machine.helpers import machine_samples, parse
from replies.triage.bounces import parse_bounce
from replies.triage.complaints import parse_complaint

SAMPLES = machine_samples("tune", "complaint")


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.label["file"] for s in SAMPLES])
def test_every_tune_complaint_is_parsed_with_its_type_recipient_and_message_id(sample):
    msg = parse(sample.raw)
    complaint = parse_complaint(msg)
    assert complaint is not None
    assert complaint.feedback_type == sample.label["feedback_type"]
    assert complaint.original_recipient == sample.label["original_recipient"]
    assert complaint.original_message_id == sample.label["original_message_id"]
    assert parse_bounce(msg) is None
