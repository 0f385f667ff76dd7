import pytest

from inboxes.suppression import sms_stop_keyword


@pytest.mark.parametrize("text", ["STOP", "stop", " Stop. ", "UNSUBSCRIBE", "end", "Quit!", "STOPALL", "revoke",
                                  "OptOut", "cancel", "\n\tSTOP\n", "*STOP*", "stop!!!"])
def test_opt_out_keywords_are_recognised(text):
    assert sms_stop_keyword(text)


@pytest.mark.parametrize("text", ["", "   ", "please stop", "STOP IT", "stopping", "don't stop", "start", "STOP ALL",
                                  "unsubscribe me", "cancel my meeting", "S T O P", "OPT OUT"])
def test_other_messages_are_not_opt_outs(text):
    assert not sms_stop_keyword(text)
