"""``rex up`` checks the workers' pool sizes before it starts anything: a bad one is one readable line."""

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("REX_CONTROL_CONCURRENCY", "two", "REX_CONTROL_CONCURRENCY must be a whole number of worker processes, not 'two'"),
    ("REX_WORKER_CONCURRENCY", "1.5", "REX_WORKER_CONCURRENCY must be a whole number of worker processes, not '1.5'"),
    ("REX_CONTROL_CONCURRENCY", "0", "a worker needs at least 1 process (REX_CONTROL_CONCURRENCY or its option is 0)"),
])
def test_a_bad_pool_size_stops_rex_up_before_anything_starts(monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    with pytest.raises(CommandError) as refused:
        call_command("rex", "up", "--no-seed")
    assert str(refused.value) == message


def test_a_zero_option_is_refused_too():
    with pytest.raises(CommandError, match=r"at least 1 process \(REX_WORKER_CONCURRENCY or its option is 0\)"):
        call_command("rex", "up", "--no-seed", "--concurrency", "0")
