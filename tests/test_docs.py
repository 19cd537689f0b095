"""The README and the CLI stay in step: every command is documented in both."""

from __future__ import annotations

import re
from pathlib import Path

from khazna.cli import build_parser, main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, str]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    return {name: p.description or "" for name, p in sub.choices.items()}


def test_every_command_is_in_the_readme():
    missing = [c for c in _commands() if not re.search(rf"khazna {re.escape(c)}\b", README)]
    assert not missing, f"commands not shown in README.md: {missing}"


def test_every_command_has_help(capsys):
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    for action in sub._choices_actions:
        assert action.help, f"`khazna {action.dest}` has no help line"
    assert main([]) == 0
    assert "import" in capsys.readouterr().out


def test_readme_install_and_test_commands_are_the_ci_ones():
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]'" in README
    assert ".venv/bin/python -m pytest" in README
    assert (
        "python3 -m venv .venv && .venv/bin/pip install" in ci
        and ".venv/bin/python -m pytest" in ci
    )
