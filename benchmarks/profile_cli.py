"""Profile one ``khazna`` command in this process, by CPU time (issue 16).

    .venv/bin/python benchmarks/profile_cli.py [--threads] OUT.prof categorize --json --to 2026-10-29

Wall-clock profiles on a shared, loaded machine mostly measure the other processes; this one
uses ``time.process_time`` as cProfile's timer. With ``--threads`` every thread the command
starts is profiled too (``khazna run``'s specialists run in langgraph's worker threads, which
a main-thread profile sees as one ``lock.acquire``), each by its own CPU time
(``time.thread_time``), and the threads' profiles are added together. The command's output
goes to ``OUT.prof.stdout``; the 25 functions with the most own time are printed, then the
25 with the most cumulative time.
"""

from __future__ import annotations

import contextlib
import cProfile
import pstats
import sys
import threading
import time


def main() -> None:
    args = sys.argv[1:]
    threads = bool(args) and args[0] == "--threads"
    if threads:
        args = args[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    out, argv = args[0], args[1:]
    from khazna import cli  # the command's own imports are profiled with it

    timer = time.thread_time if threads else time.process_time
    prof = cProfile.Profile(timer)
    others: list[cProfile.Profile] = []

    def start_in_thread(frame, event, arg):  # noqa: ANN001, ANN202 - sys.setprofile's hook
        sys.setprofile(None)
        p = cProfile.Profile(time.thread_time)
        others.append(p)
        p.enable()

    if threads:
        threading.setprofile(start_in_thread)
    with open(out + ".stdout", "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        prof.enable()
        try:
            cli.main(argv)
        except SystemExit:
            pass
        prof.disable()
    threading.setprofile(None)  # type: ignore[arg-type]
    stats = pstats.Stats(prof)
    for p in others:
        p.disable()
        stats.add(p)
    stats.dump_stats(out)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
