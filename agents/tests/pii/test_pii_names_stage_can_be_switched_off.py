"""REX_PII_NAMES switches the names stage (on by default); detect(names=...) overrides it per call. The record's
own known values are found either way."""

from pytest_django.fixtures import Settings

from agents.pii import detect

TEXT = "Jonas Vogel and Jane Doe will call."


def people(**kwargs: object) -> list[str]:
    return [TEXT[s.start:s.end] for s in detect(TEXT, known_values={"PERSON": ["Jane Doe"]}, **kwargs)]  # type: ignore[arg-type]


def test_names_are_on_by_default(settings: Settings) -> None:
    assert settings.REX_PII_NAMES is True
    assert people() == ["Jonas Vogel", "Jane Doe"]


def test_the_setting_turns_the_stage_off_and_the_keyword_overrides_it(settings: Settings) -> None:
    settings.REX_PII_NAMES = False
    assert people() == ["Jane Doe"]
    assert people(names=True) == ["Jonas Vogel", "Jane Doe"]
