"""Every tune-split human reply of the corpus, in English, German, French, Spanish and Dutch, gets its category from
the rules layer (the held-out split is measured, not asserted one by one: see the recall floor test)."""

from datetime import date

import pytest

from replies.tests.corpus import load
from replies.triage import triage_raw

TUNE = [s for s in load("tune") if s.label["file"].startswith("human/")]


def test_the_tune_split_covers_every_category_in_every_language():
    cells = {(s.label["lang"], s.label["category"]) for s in TUNE}
    assert cells == {(lang, category) for lang in ("en", "de", "fr", "es", "nl")
                     for category in ("unsubscribe", "not_interested", "interested", "referral", "question", "other")}


@pytest.mark.parametrize("sample", TUNE, ids=[s.label["file"] for s in TUNE])
def test_a_human_reply_is_placed_by_the_rules(sample):
    result = triage_raw(sample.raw, today=date(2026, 3, 4))

    assert (result.category, result.layer) == (sample.label["category"], "rules"), result.reason
    if sample.label["category"] == "referral":
        assert result.referral == sample.label["referral"]
