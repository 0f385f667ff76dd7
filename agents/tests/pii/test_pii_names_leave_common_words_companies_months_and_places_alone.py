"""Capitalised words that are not people stay unflagged: common words at the start of a sentence, company names
(with a legal form or '&'), months and weekdays, place and street names, words next to numbers."""

import pytest

from agents.pii import detect


def people(text: str) -> list[str]:
    return [text[s.start:s.end] for s in detect(text) if s.type == "PERSON"]


@pytest.mark.parametrize("text", [
    "The Monday meeting is moved. Please confirm. We will send it.",
    "Die Kunden warten. Das Angebot kommt. Wir melden uns.",
    "Le devis arrive. Nous vous rappelons.",
    "El pedido sale hoy. Gracias por todo.",
    "Het contract is verlengd. Wij bellen u.",
])
def test_capitalised_common_words_are_not_names(text: str) -> None:
    assert people(text) == []


@pytest.mark.parametrize("text", [
    "Johnson & Johnson renewed.", "Tom Tailor GmbH signed.", "Hugo Boss AG pays late.", "Peter Kölln KGaA",
    "Albert Heijn B.V. heeft getekend.", "Acme Corp. and Ford Motor Company",
])
def test_company_names_are_not_people(text: str) -> None:
    assert people(text) == []


@pytest.mark.parametrize("text", [
    "May was slow, but June and July look better.", "Im Mai und Juni war wenig los.",
    "Meeting on 24 Mar 2025.", "Die Frist beträgt 30 Tage.", "Mayo fue flojo. Abril también.",
])
def test_months_weekdays_and_units_are_not_names(text: str) -> None:
    assert people(text) == []


@pytest.mark.parametrize("text", [
    "Paris is lovely in spring.", "Florence, Sydney and Victoria are next.", "Our office is on Washington Square.",
    "Charlotte Street is closed.", "San Francisco, CA 94105.", "30130-010 Belo Horizonte", "Place Victor Hugo à Lyon.",
    "Madison and Austin are our US offices.",
])
def test_places_and_streets_are_not_names(text: str) -> None:
    assert people(text) == []
