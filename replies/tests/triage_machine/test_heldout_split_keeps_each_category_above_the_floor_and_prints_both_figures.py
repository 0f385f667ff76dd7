"""The held-out split was written before the rules were tuned: its figures are the honest ones. Not asserted to be
perfect; a floor so that a regression fails. Run with ``-s`` to see both splits' figures."""

from replies.tests.triage_machine.helpers import MACHINE_CATEGORIES, describe, score

RECALL_FLOOR = 0.8
DETAIL_FLOOR = 0.7      # bounce class right / return date right, over all labelled messages of the category


def test_heldout_split_keeps_each_category_above_the_floor_and_prints_both_figures():
    tune, heldout = score("tune"), score("heldout")
    print("\n" + describe("tune", tune) + "\n" + describe("heldout", heldout))
    for category in MACHINE_CATEGORIES:
        assert heldout[category]["n"] > 0
        assert heldout[category]["recall"] >= RECALL_FLOOR, (category, heldout[category])
        assert heldout[category]["precision"] >= RECALL_FLOOR, (category, heldout[category])
        assert heldout[category]["detail"] >= DETAIL_FLOOR, (category, heldout[category])
