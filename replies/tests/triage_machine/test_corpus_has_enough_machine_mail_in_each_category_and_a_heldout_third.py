from collections import Counter

from replies.tests.corpus import load


def test_corpus_has_enough_machine_mail_in_each_category_and_a_heldout_third():
    machine = [s for s in load() if s.label["file"].startswith("machine/")]
    categories = Counter(s.label["category"] for s in machine)
    assert len(machine) >= 120
    assert categories["bounce"] >= 50 and categories["complaint"] >= 15
    assert categories["out_of_office"] >= 35 and categories["auto_reply"] >= 20
    bounces = [s.label for s in machine if s.label["category"] == "bounce"]
    assert len({b["format"] for b in bounces}) >= 8
    assert {b["bounce_class"] for b in bounces} == {"hard", "soft", "infrastructure"}
    languages = {s.label["language"] for s in machine if s.label["category"] == "out_of_office"}
    assert languages == {"en", "de", "fr", "es", "nl"}
    heldout = sum(s.label["split"] == "heldout" for s in machine) / len(machine)
    assert 0.25 <= heldout <= 0.35
    assert all(s.raw for s in machine)
