"""The README's tour, run as written (every command of its block, in order, in a fresh
KHAZNA_HOME, on whatever day the test runs): each exits 0 and prints what the README says
it does. Only `khazna serve` is left out (it does not return)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
KHAZNA = Path(sys.executable).with_name("khazna")

# what each command's output says, as the README's comment promises
EXPECT = {
    "demo": ["Société de démonstration Atlas Services"],
    "status": ["DA"],
    "aging": ["DSO"],
    "run": ["relances préparées", "-C04-L3"],
    "inbox list": ["-C04-L3", "en attente d'approbation"],
    "inbox show": ["-C04-L3", "niveau 3", "C04"],
    "inbox approve": ["boîte d'envoi locale"],
    "report": ["rapport.pdf"],
    "ask": ["Compris :"],
}

# what the owner types when a command asks (the README says so in its comment)
ANSWERS = {"inbox approve": "o\n"}
ASKED = {"inbox approve": ["Envoyer la mise en demeure à", "Confirmer l'envoi ? [o/N]"]}


def tour_commands() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"## A tour on the demo company\s+```sh\n(.*?)```", text, re.S)
    assert block, "the README has its tour"
    return [shlex.split(line, comments=True) for line in block.group(1).splitlines() if line]


def test_the_tour_block_names_no_draft_of_a_given_day():
    """A dated id (D20261126-…) exists only when the demo is built that day."""
    for argv in tour_commands():
        assert not any(re.fullmatch(r"D\d{8}-.+", a) for a in argv), argv


@pytest.mark.skipif(not KHAZNA.exists(), reason="the khazna script is not installed beside python")
def test_every_command_of_the_tour_runs_and_says_what_the_readme_says(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KHAZNA_", "OPENAI_"))}
    env["KHAZNA_HOME"] = str(tmp_path / "home")
    ran = []
    for argv in tour_commands():
        assert argv[0] == "khazna", argv
        if argv[1] == "serve":
            continue
        key = " ".join(argv[1:3]) if argv[1] == "inbox" else argv[1]
        done = subprocess.run(
            [str(KHAZNA), *argv[1:]], cwd=tmp_path, env=env, capture_output=True, text=True,
            timeout=300, input=ANSWERS.get(key, ""),
        )  # fmt: skip
        assert done.returncode == 0, (argv, done.stdout[-2000:], done.stderr[-2000:])
        assert "Traceback" not in done.stderr, argv
        for words in ASKED.get(key, []):
            assert words in done.stderr, (argv, words, done.stderr[-2000:])
        for words in EXPECT.get(key, []):
            assert words in done.stdout, (argv, words, done.stdout[-2000:])
        ran.append(key)
    assert {"demo", "run", "inbox show", "inbox approve", "report", "ask"} <= set(ran)
    assert (tmp_path / "rapport.pdf").read_bytes().startswith(b"%PDF")
