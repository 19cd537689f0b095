"""``khazna``: the command line, a thin layer over the library.

Every command is a row of :data:`khazna.commands.COMMANDS`; its family module (a
``register`` function that adds its parser and sets ``func``) is imported only when one of
its commands runs, so ``khazna --help`` and each command load only what they use.
"""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import sys
from collections.abc import Sequence

from khazna import __version__
from khazna.commands import COMMANDS, family
from khazna.commands.common import CommandError, emit_error

# argparse's own words (usage, section titles, its errors) in French: argparse looks each up
# through its module-level gettext function ``_`` when it prints, so it is given this table
ARGPARSE_FR = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "affiche cette aide et quitte",
    "show program's version number and exit": "affiche la version et quitte",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "expected one argument": "une valeur attendue",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (au choix : %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s) : %(value)r",
}


def _french(text: str) -> str:
    return ARGPARSE_FR.get(text, text)


argparse._ = _french  # type: ignore[attr-defined]


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The CLI's parser, with the family of ``command`` loaded (its options, its ``func``).

    The other commands appear by name and help line only, which is all ``khazna --help``
    shows; ``command=None`` loads none.
    """
    parser = argparse.ArgumentParser(
        prog="khazna",
        description="Khazna (خزنة) : les agents de trésorerie d'une PME algérienne.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"khazna {__version__}",
        help=_french("show program's version number and exit"),  # argparse sets it untranslated
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="journalise ce qui se passe")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")
    wanted = {c.family for c in COMMANDS if c.name == command}
    for c in COMMANDS:
        if c.family not in wanted:
            sub.add_parser(c.name, help=c.summary, description=c.summary)
        elif c.name not in sub.choices:
            family(c.family).register(sub)
    return parser


def _command_name(argv: Sequence[str]) -> str | None:
    """The command word: the first argument that is not an option (global options take no value)."""
    return next((a for a in argv if not a.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line (``argv``; None: this process's own, as the ``khazna`` program)."""
    if argv is None:
        from khazna.config import mark_program_start

        mark_program_start()
    code = _run(sys.argv[1:] if argv is None else list(argv))
    if argv is None and ("langchain_core" in sys.modules or _left_behind()):
        quick_exit(code)
    return code


def _left_behind() -> bool:
    """Whether work was left running in a thread (``khazna ask``'s model path at the
    question's budget): the program must not wait for it, nor tear its modules down."""
    import threading

    return any(t.daemon and t.is_alive() for t in threading.enumerate())


def quick_exit(code: int) -> None:
    """Leave without tearing the modules down. The model path's libraries take 1.3-2 s to
    be torn down at interpreter exit (importing langchain_openai alone: 1.4 s on this
    machine), after the answer is printed: a silent model server's `khazna ask` printed its
    fallback at 18.4 s and returned the prompt at 20.3 s. The output is flushed and the
    atexit handlers (logging's among them) run first; files and transactions are closed by
    then (every command closes its own)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            pass
    atexit._run_exitfuncs()
    os._exit(code)


def _run(argv: list[str]) -> int:
    parser = build_parser(_command_name(argv))
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except CommandError as err:
        emit_error(str(err))
        return err.exit_code
    except KeyboardInterrupt:
        emit_error("interrompu")
        return 130
    except BrokenPipeError:
        # the reader went away (`khazna ... | head`): stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as err:
        from khazna.ledger.storage import storage_full

        if (message := storage_full(err)) is None:
            raise
        emit_error(message)  # a full disk is said, not a traceback
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
