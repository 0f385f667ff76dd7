from datetime import date

import pytest

from replies.triage.return_dates import find_return_date

TUESDAY = date(2026, 12, 8)

CASES = [
    # "back on X" is X; "until X" is the day after X (the last day away); a date without a year is the next one.
    ("en", "I'm on vacation and will be back on Monday 14 December.", "2026-12-14"),
    ("en", "I am out of the office until 12/14/2026.", "2026-12-15"),                  # US month/day
    ("en", "Out until 25/12/2026.", "2026-12-26"),                                      # 25 cannot be a month
    ("en", "I'm on leave, returning January 5th.", "2027-01-05"),                       # next January
    ("en", "Away until 2026-12-20.", "2026-12-21"),                                     # ISO
    ("en", "I'm out of the office and will be back on Monday.", "2026-12-14"),          # weekday from today
    ("en", "Travelling through December 18 with limited access to email.", "2026-12-19"),
    ("en", "Out from Dec 21 to Jan 4 and back on January 5, 2027.", "2027-01-05"),      # "back on" wins
    ("de", "Ich bin bis 14.12.2026 nicht im Büro.", "2026-12-15"),                      # day-first
    ("de", "Ich bin ab 14.12. wieder erreichbar.", "2026-12-14"),
    ("de", "Ich befinde mich bis einschließlich 18. Dezember im Urlaub.", "2026-12-19"),
    ("de", "Vom 21.12.2026 bis 04.01.2027 bin ich im Urlaub.", "2027-01-05"),
    ("de", "Ich bin am Montag wieder da.", "2026-12-14"),
    ("fr", "Je suis absente du bureau jusqu'au 14 décembre inclus.", "2026-12-15"),
    ("fr", "Je suis en congé et serai de retour le 5 janvier.", "2027-01-05"),
    ("fr", "Absent du 21 au 31 décembre.", "2027-01-01"),
    ("fr", "De retour le 15/12/2026.", "2026-12-15"),                                   # day-first outside English
    ("es", "Estoy fuera de la oficina hasta el 5 de enero.", "2027-01-06"),
    ("es", "Estaré de vuelta el 14 de diciembre.", "2026-12-14"),
    ("es", "Regreso el lunes 11 de enero de 2027.", "2027-01-11"),
    ("nl", "Ik ben afwezig tot 5 januari.", "2027-01-06"),
    ("nl", "Ik ben met vakantie en weer terug op maandag 4 januari.", "2027-01-04"),
    ("nl", "Ik ben buiten kantoor tot en met 18-12-2026.", "2026-12-19"),
    ("nl", "Ik ben vanaf 11 januari weer aanwezig.", "2027-01-11"),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES, ids=[c[1][:40] for c in CASES])
def test_return_dates_are_read_in_each_language_as_the_first_day_back(language, text, expected):
    assert find_return_date(text, today=TUESDAY, english=language == "en") == date.fromisoformat(expected)


@pytest.mark.parametrize("text", [
    "Ich bin ab Montag im Urlaub.",                     # "ab" without "wieder" is when the absence starts
    "I'm on parental leave and will return in the spring.",
    "Call me at 10.30 on the 14th.",
    "Signed on 14 December 2026.",                      # a date with no "until" / "back" before it
])
def test_text_without_a_stated_return_gives_no_date(text):
    assert find_return_date(text, today=TUESDAY, english=True) is None
