import pytest

from replies.tests.triage_machine.helpers import machine_samples, parse, today_of
from replies.triage.auto_replies import detect_auto_reply
from replies.triage.bounces import parse_bounce
from replies.triage.complaints import parse_complaint

SAMPLES = machine_samples("tune", "out_of_office", "auto_reply")


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.label["file"] for s in SAMPLES])
def test_every_tune_auto_reply_is_detected_with_its_kind_and_return_date(sample):
    msg = parse(sample.raw)
    found = detect_auto_reply(msg, "", today=today_of(sample.label))
    assert found is not None
    assert found.kind == sample.label["category"], found.reason
    assert (found.return_date and found.return_date.isoformat()) == sample.label["return_date"]
    assert parse_bounce(msg) is None and parse_complaint(msg) is None
