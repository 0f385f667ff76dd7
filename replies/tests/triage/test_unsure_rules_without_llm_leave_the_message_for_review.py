"""When no rule is sure and the LLM may not be asked, the message is left for a person: needs_review, layer
"review" — never a guess."""

from datetime import date

from replies.tests.triage.messages import reply
from replies.triage import triage_raw


def test_an_unclear_reply_needs_review():
    result = triage_raw(reply("Hmm. Maybe after the summer."), today=date(2026, 3, 4))

    assert (result.category, result.layer, result.referral) == ("needs_review", "review", None)
    assert result.as_dict() == {"category": "needs_review", "layer": "review", "bounce": None, "return_date": None,
                                "referral": None}
