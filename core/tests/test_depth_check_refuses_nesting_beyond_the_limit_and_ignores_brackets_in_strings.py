"""``core.jsonlimits.check_depth`` refuses JSON nested deeper than the limit before anything parses it, and does
not count brackets inside strings (escaped quotes included)."""

import json

import pytest

from core.jsonlimits import check_depth


def test_nesting_at_the_limit_passes_and_one_deeper_is_refused():
    check_depth(b"[" * 32 + b"]" * 32, 32)
    check_depth(json.dumps({"a": {"a": {"a": 1}}}).encode(), 3)

    with pytest.raises(ValueError, match="deeper than 32"):
        check_depth(b"[" * 33 + b"]" * 33, 32)
    with pytest.raises(ValueError, match="deeper than 3"):
        check_depth(json.dumps({"a": {"a": {"a": [1]}}}).encode(), 3)


def test_a_body_far_deeper_than_the_recursion_limit_is_refused_not_a_recursion_error():
    with pytest.raises(ValueError, match="deeper than 32"):
        check_depth(b'{"a":' * 50_000 + b"1" + b"}" * 50_000, 32)


def test_brackets_inside_strings_do_not_count():
    check_depth(json.dumps({"text": "[[[[{{{{" * 100}).encode(), 2)
    # An escaped quote does not end the string, an escaped backslash before a quote does.
    check_depth(json.dumps({"text": '\\"[[[[[[' + "\\" * 3 + '"{{{{{{'}).encode(), 2)
    with pytest.raises(ValueError):
        check_depth(b'{"a": "x\\\\", "b": [[[]]]}', 2)


def test_many_shallow_siblings_pass():
    check_depth(json.dumps([[1]] * 10_000).encode(), 2)
