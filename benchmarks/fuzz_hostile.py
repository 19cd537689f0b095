"""Run the issue 15 fuzz targets for a few minutes: the reply parser and the PDF reader
(hypothesis, ``tests/hostile/test_fuzz_replies.py`` and ``test_fuzz_pdf.py``), with fresh
random examples (not the fixed ones CI runs), and print what hypothesis saw.

    .venv/bin/python benchmarks/fuzz_hostile.py [EXAMPLES] [SEED]   # default 2000, random

A failing example is printed by hypothesis with its seed: keep it as an ``@example`` in the
target once fixed."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    examples = argv[0] if argv else "2000"
    seed = argv[1] if len(argv) > 1 else str(random.randrange(10**6))
    env = {**os.environ, "KHAZNA_FUZZ_EXAMPLES": examples, "KHAZNA_FUZZ_RANDOM": "1"}
    targets = ["tests/hostile/test_fuzz_replies.py", "tests/hostile/test_fuzz_pdf.py"]
    start = time.monotonic()
    code = subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            *targets, f"--hypothesis-seed={seed}",
                            "--hypothesis-show-statistics"], cwd=ROOT, env=env)  # fmt: skip
    print(
        f"{examples} examples a target, seed {seed}: {time.monotonic() - start:.0f} s, "
        f"{'0 failing' if code == 0 else 'FAILURES above'}"
    )
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
