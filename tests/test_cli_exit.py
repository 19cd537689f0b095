"""The ``khazna`` program leaves without tearing the model path's modules down (1.3-2 s of
interpreter teardown after the answer was printed), its output flushed and its atexit
handlers run; ``main([...])`` called with arguments (tests, scripts) returns as before."""

from __future__ import annotations

import atexit
import os
import sys

import pytest

from khazna import cli


class Left(Exception):
    pass


def test_the_program_flushes_runs_atexit_then_leaves(monkeypatch, capsys):
    ran: list[str] = []
    left: list[int] = []

    def fake_exit(code: int) -> None:
        left.append(code)
        raise Left

    def command(argv: list[str]) -> int:
        print("la réponse")
        return 3

    monkeypatch.setattr(os, "_exit", fake_exit)
    monkeypatch.setattr(atexit, "_run_exitfuncs", lambda: ran.append("atexit"))
    monkeypatch.setattr(sys, "argv", ["khazna", "ask", "?"])
    monkeypatch.setattr(cli, "_run", command)
    # without the model path's libraries loaded, the program returns as usual
    monkeypatch.delitem(sys.modules, "langchain_core", raising=False)
    assert cli.main() == 3 and left == []
    monkeypatch.setitem(sys.modules, "langchain_core", object())
    with pytest.raises(Left):
        cli.main()
    assert left == [3] and ran == ["atexit"]
    assert capsys.readouterr().out == "la réponse\nla réponse\n"
    # called with its arguments (tests, scripts), main returns: nothing leaves the process
    assert cli.main(["ask", "?"]) == 3 and left == [3]
