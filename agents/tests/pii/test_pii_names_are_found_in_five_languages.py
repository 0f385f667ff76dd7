"""People's names that the record does not give are found in English, German, French, Spanish and Dutch: first
name and surname together, after titles and greetings, in self-introductions and in signatures."""

import pytest

from agents.pii import detect


def people(text: str) -> list[str]:
    return [text[s.start:s.end] for s in detect(text) if s.type == "PERSON"]


@pytest.mark.parametrize(("text", "expected"), [
    # English
    ("Dear Mr Okafor, I spoke with Sarah Lindgren this morning.", ["Okafor", "Sarah Lindgren"]),
    ("Hi Tom,\nmy name is Priya Ramsay and I look after Benelux.", ["Tom", "Priya Ramsay"]),
    ("Thanks again.\n\nBest regards,\nPaul Okafor\nAccount Executive", ["Paul Okafor"]),
    # German
    ("Sehr geehrte Frau Müller, wie besprochen ruft Sie Jürgen Weißmann an.", ["Müller", "Jürgen Weißmann"]),
    ("Hallo Lena, ich heiße Katharina Lindemann.", ["Lena", "Katharina Lindemann"]),
    ("Mit freundlichen Grüßen\nTobias Hasenkamp", ["Tobias Hasenkamp"]),
    # French
    ("Bonjour Mme Lefèvre, Jean-Pierre de la Croix vous rappellera.", ["Lefèvre", "Jean-Pierre de la Croix"]),
    ("Je m'appelle Margaux Garnier, merci M. Perrin.", ["Margaux Garnier", "Perrin"]),
    # Spanish
    ("Hola, me llamo María José García López y trabajo en Madrid.", ["María José García López"]),
    ("Estimado Sr. Herrera:\nle escribe Diego Castro.", ["Herrera", "Diego Castro"]),
    # Dutch
    ("Beste Daan, mijn naam is Sanne de Vries.", ["Daan", "Sanne de Vries"]),
    ("Geachte mevrouw van der Meer, Ruben Hendriks belt u morgen.", ["van der Meer", "Ruben Hendriks"]),
])
def test_names_are_found(text: str, expected: list[str]) -> None:
    assert people(text) == expected


def test_a_sentence_end_between_two_names_keeps_them_apart() -> None:
    assert people("Am Montag hat Anna Urlaub. Daan van den Berg belt.") == ["Anna", "Daan van den Berg"]
