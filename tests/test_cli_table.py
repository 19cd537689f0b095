"""The command table and the family modules stay in step, and `--help` loads no family."""

from __future__ import annotations

import argparse
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
