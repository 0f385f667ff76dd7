"""The choice comes from hashlib, not from hash() (salted per process): an email re-rendered by another worker, or
after a deploy, reads the same. If this test fails, the choice algorithm changed: every contact's wording would too."""

import os
import subprocess
import sys

from campaigns.templating import render

TEMPLATE = "{a|b|c|d|e|f|g|h} {1|2|3|4|5|6|7|8}"


def test_spintax_choice_is_pinned():
    assert [render(TEMPLATE, {}, seed=f"{contact_id}:3:b") for contact_id in range(5)] == PINNED


def test_spintax_choice_is_the_same_in_another_process():
    code = ("from campaigns.templating import render; "
            f"print('/'.join(render({TEMPLATE!r}, {{}}, seed=f'{{c}}:3:b') for c in range(5)))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))).stdout
    assert out.strip().split("/") == PINNED


PINNED = ['f 8', 'e 1', 'h 3', 'c 1', 'e 3']
