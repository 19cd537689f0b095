"""``khazna``: the command line, a thin layer over the library.

Each command lives in a module of :mod:`khazna.commands` with a ``register`` function that
adds its parser and sets ``func``. Heavy libraries are imported inside the commands, so
``khazna --help`` stays fast.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from khazna import __version__
from khazna.commands import command_modules
from khazna.commands.common import CommandError, emit_error


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="khazna",
        description="Khazna (خزنة): the cash agents of an Algerian PME.",
    )
    parser.add_argument("--version", action="version", version=f"khazna {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in command_modules():
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
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
        emit_error("interrupted")
        return 130
    except BrokenPipeError:
        # the reader went away (`khazna ... | head`): stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
