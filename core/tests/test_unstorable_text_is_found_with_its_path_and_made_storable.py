"""``core.text`` finds what PostgreSQL cannot store (NUL, lone surrogates) anywhere in a JSON value, naming the
path, and spells it as storable text for the audit record."""

from core.text import errors_by_field, find_unstorable, storable


def test_nul_and_lone_surrogates_are_found_with_their_paths():
    value = {"type": "canary", "params": {"tag": "a\x00b", "list": ["ok", "\ud800"]}, "ok": "café 🚀"}

    assert find_unstorable(value) == [("params.tag", "contains a NUL character"),
                                      ("params.list.1", "contains an unpaired surrogate")]


def test_keys_are_checked_too():
    assert find_unstorable({"a\x00": 1}) == [("a\\u0000", "the key contains a NUL character")]


def test_clean_values_have_nothing_to_report():
    assert find_unstorable({"a": [1, 2.5, None, True, "text", {"b": "ünïcode 🚀"}]}) == []


def test_findings_become_nested_field_errors():
    findings = [("params.tag", "contains a NUL character"), ("command", "contains a NUL character"),
                ("", "contains a NUL character")]

    assert errors_by_field(findings) == {"params": {"tag": ["contains a NUL character"]},
                                         "command": ["contains a NUL character"],
                                         "non_field_errors": ["contains a NUL character"]}


def test_storable_spells_the_bad_characters_out_as_text():
    assert storable({"a\x00": ["x\x00y", "\ud800", 3]}) == {"a\\u0000": ["x\\u0000y", "\\ud800", 3]}
