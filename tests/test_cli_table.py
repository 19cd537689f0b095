"""The command table and the family modules stay in step, and `--help` loads no family."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

from khazna.cli import build_parser
from khazna.commands import COMMANDS, family


def test_each_family_registers_exactly_its_rows_with_their_help_line() -> None:
    for name in sorted({c.family for c in COMMANDS}):
        sub = argparse.ArgumentParser().add_subparsers()
        family(name).register(sub)
        registered = {a.dest: a.help for a in sub._choices_actions}
        rows = {c.name: c.summary for c in COMMANDS if c.family == name}
        assert registered == rows, name


def test_a_command_gets_its_own_options_and_function() -> None:
    args = build_parser("aging").parse_args(["aging", "--client", "C01"])
    assert args.client == "C01" and callable(args.func)


def test_help_imports_no_command_family() -> None:
    code = (
        "import sys; from khazna.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in sys.modules if m.startswith('khazna.commands.') and m != 'khazna.commands.common']\n"
        "heavy = [m for m in ('sqlalchemy', 'langgraph', 'chromadb', 'pydantic') if m in sys.modules]\n"
        "print(loaded, heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("[] []"), out.stdout


# words of English that French help never needs (issue 13.3: every --help text is French)
ENGLISH = set(
    "the of and with to is it for from each every this that which default only also print "
    "prints show shows write writes its their an be are not by when what where how one all "
    "any was were has have then than into use uses used as at else".split()
)
# what a help text may quote as it is: options, `commands`, "codes", {json keys}, action names
QUOTED = re.compile(r"--?[\w-]+|`[^`]*`|\"[^\"]*\"|'[^']*'|\{[^}]*\}|\b[A-Z][\w-]*-[\w-]+\b")


def _help_texts(parser: argparse.ArgumentParser, path: str, names: set[str]):
    """(where, text) of every help text under ``parser``; ``names`` gathers the action names."""
    yield path, parser.description or ""
    yield path, parser.epilog or ""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            names.update(action.choices)
            for choice in action._choices_actions:
                yield f"{path} {choice.dest}", choice.help or ""
            for name, sub in action.choices.items():
                yield from _help_texts(sub, f"{path} {name}", names)
        elif action.help and action.help != argparse.SUPPRESS:
            yield f"{path} {'/'.join(action.option_strings) or action.dest}", action.help


def test_every_help_text_of_every_command_is_french() -> None:
    names: set[str] = set()
    texts = [
        t
        for c in [None, *(c.name for c in COMMANDS)]
        for t in _help_texts(build_parser(c), "khazna", names)
    ]
    english = []
    for where, text in texts:
        words = set(re.findall(r"\w+", QUOTED.sub(" ", text).lower())) - names
        if found := sorted(words & ENGLISH):
            english.append(f"{where}: {found}: {text[:80]}")
    assert english == []
    assert "affiche la version" in build_parser().format_help()
