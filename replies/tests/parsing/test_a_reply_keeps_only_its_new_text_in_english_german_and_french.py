"""The reply's own words are kept and the quoted thread cut off, whatever language the client wrote its quote
header in (Gmail's "On … wrote:", "Am … schrieb …:", "Le … a écrit :", Outlook's "Von:/De :" blocks)."""

from __future__ import annotations

import pytest

from replies.parsing import reply_text

REPLIES = {
    "english": ("Sounds good, Tuesday works.\n\nOn Mon, 3 Mar 2025 at 10:00, Jane Doe <jane@send.example> wrote:\n"
                "> Hi Bob,\n> Worth a chat?\n", "Sounds good, Tuesday works."),
    "german": ("Klingt gut, Dienstag passt.\n\nAm Mo., 3. März 2025 um 10:00 Uhr schrieb Jane Doe "
               "<jane@send.example>:\n> Hallo Bob,\n> Zeit für ein Gespräch?\n", "Klingt gut, Dienstag passt."),
    "french": ("Ça me va, mardi.\n\nLe lun. 3 mars 2025 à 10:00, Jane Doe <jane@send.example> a écrit :\n"
               "> Bonjour Bob,\n> Un appel ?\n", "Ça me va, mardi."),
    "german outlook": ("Danke, kein Interesse.\n\nVon: Jane Doe <jane@send.example>\nGesendet: Montag, 3. März 2025 "
                       "10:00\nAn: Bob <bob@client.example>\nBetreff: Kurze Frage\n\nHallo Bob,\n",
                       "Danke, kein Interesse."),
    "french outlook": ("Merci, pas intéressé.\n\nDe : Jane Doe <jane@send.example>\nEnvoyé : lundi 3 mars 2025 10:00\n"
                       "À : Bob <bob@client.example>\nObjet : Question\n\nBonjour Bob,\n", "Merci, pas intéressé."),
}


@pytest.mark.parametrize("language", list(REPLIES))
def test_a_reply_keeps_only_its_new_text(language):
    body, expected = REPLIES[language]
    assert reply_text(body) == expected
