"""Profile one ``khazna`` command in this process, by CPU time (issue 16).

    .venv/bin/python benchmarks/profile_cli.py OUT.prof categorize --json --to 2026-10-29

Wall-clock profiles on a shared, loaded machine mostly measure the other processes; this one
uses ``time.process_time`` as cProfile's timer. The command's output goes to
``OUT.prof.stdout``; the 25 functions with the most own time are printed.
"""

from __future__ import annotations

import contextlib
import cProfile
import pstats
import sys
import time


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, argv = sys.argv[1], sys.argv[2:]
    from khazna import cli  # the command's own imports are profiled with it

    prof = cProfile.Profile(time.process_time)
    with open(out + ".stdout", "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        prof.enable()
        try:
            cli.main(argv)
        except SystemExit:
            pass
        prof.disable()
    prof.dump_stats(out)
    pstats.Stats(out).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
