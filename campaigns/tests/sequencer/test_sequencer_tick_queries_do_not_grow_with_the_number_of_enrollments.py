"""A tick's queries depend on how many batches it takes, never on how many enrollments exist.

Not timed (``bench/sequencer.py`` measures the time): only statements are counted, with the broker replaced by a
recorder so the hand-over to the send tasks can be checked too.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Enrollment
from campaigns.sequencer import SEND_TASK, tick

from .conftest import NOW, OFFICE_HOURS

# Half the contacts are outside 09:00-17:00 at NOW (Tokyo 21:00, New York 07:00): deferred, not claimed.
ZONES = ("", "Asia/Tokyo", "Europe/London", "America/New_York")


def counted_tick(django_capture_on_commit_callbacks, **options):
    """The tick's statements and report; its after-commit sends run (the test's transaction never commits)."""
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as queries:
        report = tick(NOW, **options)
    return len(queries), report


def test_the_same_due_enrollments_take_the_same_queries_among_50_or_500(make_campaign, sends,
                                                                      django_capture_on_commit_callbacks):
    counts = []
    for running in (50, 500):
        campaign = make_campaign(running, 30, zones=ZONES, **OFFICE_HOURS)
        queries, report = counted_tick(django_capture_on_commit_callbacks)
        assert (report.examined, report.claimed, report.outside_window, report.batches) == (30, 15, 15, 1)
        assert report.waits_over == 15
        counts.append(queries)
        Enrollment.objects.filter(campaign=campaign).delete()  # the next campaign's tick sees only its own
    assert counts[0] == counts[1], f"queries grew with the number of enrollments: {counts}"


def test_each_batch_adds_the_same_statements_and_the_claimed_go_out_in_send_chunks(
        make_campaign, sends, settings, django_capture_on_commit_callbacks):
    settings.REX_SEQUENCER_SEND_CHUNK = 4
    campaign = make_campaign(200, 30)
    due = list(Enrollment.objects.filter(campaign=campaign, next_due_at__lte=NOW).order_by("next_due_at")
               .values_list("pk", flat=True))
    counts, chunk_sizes = {}, {}
    for batch_size in (30, 15, 10):  # 1, 2 and 3 batches of the same 30 due enrollments
        Enrollment.objects.filter(pk__in=due).update(claimed_until=None)
        Enrollment.objects.filter(pk__in=due, step_index=2).update(state="waiting")
        sends.calls.clear()
        counts[batch_size], report = counted_tick(django_capture_on_commit_callbacks, batch_size=batch_size)
        assert (report.batches, report.claimed, report.waits_over) == (30 // batch_size, 30, 15)
        assert {name for name, _, _ in sends.calls} == {SEND_TASK}
        assert {queue for _, _, queue in sends.calls} == {settings.REX_SEQUENCER_SEND_QUEUE}
        assert sends.ids() == due, "every claimed enrollment is handed out once, in the order they fell due"
        assert report.tasks == len(sends.calls)
        chunk_sizes[batch_size] = [len(ids) for _, ids, _ in sends.calls]
    per_batch = counts[15] - counts[30]
    assert per_batch > 0 and counts[10] - counts[15] == per_batch, f"statements per tick by batch size: {counts}"
    # Each batch's claimed enrollments go out in chunks of REX_SEQUENCER_SEND_CHUNK, its last chunk the rest.
    assert chunk_sizes == {30: [4] * 7 + [2], 15: ([4] * 3 + [3]) * 2, 10: ([4, 4, 2]) * 3}
