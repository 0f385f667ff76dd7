"""Names found in free text are pseudonymised like every other type (<PERSON_n>) and restored in the LLM's
answer by the same Pseudonyms mapping, also after a round trip through storage."""

from agents.pii import Pseudonyms, pseudonymise


def test_names_become_person_placeholders_and_come_back_in_the_answer() -> None:
    prompt = "Dear Mr Okafor, Sarah Lindgren asked me to forward this. Sarah Lindgren is on leave."
    masked, pseudonyms = pseudonymise(prompt)
    assert masked == "Dear Mr <PERSON_1>, <PERSON_2> asked me to forward this. <PERSON_2> is on leave."
    assert "Okafor" not in masked and "Lindgren" not in masked

    answer = "Hello Mr <PERSON_1>, thank you; <PERSON_2> will be back soon. <PERSON_9> is unknown."
    stored = Pseudonyms.from_dict(pseudonyms.to_dict())
    assert stored.restore(answer) == (
        "Hello Mr Okafor, thank you; Sarah Lindgren will be back soon. <PERSON_9> is unknown.")
