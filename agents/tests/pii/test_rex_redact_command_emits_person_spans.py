"""``manage.py rex_redact`` keeps its contract (JSON lines in, JSON lines out with spans and the redacted text)
and reports other people's names as PERSON spans."""

import json
from io import StringIO

from django.core.management import call_command


def test_person_spans_come_out_with_offsets_into_the_input() -> None:
    line = {"text": "Hallo Lena, Jonas Vogel erreichen Sie unter 0171 2345678."}
    out = StringIO()
    call_command("rex_redact", stdin=StringIO(json.dumps(line) + "\n"), stdout=out, stderr=StringIO())
    result = json.loads(out.getvalue())
    assert result["text"] == "Hallo <PERSON_1>, <PERSON_2> erreichen Sie unter <PHONE_1>."
    assert [(s["type"], line["text"][s["start"]:s["end"]]) for s in result["spans"]] == [
        ("PERSON", "Lena"), ("PERSON", "Jonas Vogel"), ("PHONE", "0171 2345678")]
