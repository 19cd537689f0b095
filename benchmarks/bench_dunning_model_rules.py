"""Does the model writer's check catch a defective letter? Catch rate per defect.

The 100 letters of ``evals/dunning_letters.py`` (5 client profiles incl. two public bodies,
French and Arabic, 10 histories) go through ``write_with_model`` with a ChatOpenAI pointed
at a fake OpenAI-protocol server on 127.0.0.1 (``tests/openai_stub.py``, real HTTP). For
each letter and each defect of ``evals/letter_defects.py`` that applies to it, the server
answers the defective letter to both attempts (first answer and retry): the defect is
*caught* when the draft falls back to the offline composer, *by its rule* when the last
check's problems name the letter rule it breaks. Defects marked ``~`` are worded otherwise
than the rules' examples (``letter_defects.REWORDED``). The server then answers the composer's own
letter unchanged: *accepted* is the share kept as the model's (a false alarm otherwise).

    .venv/bin/python benchmarks/bench_dunning_model_rules.py [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for tests/
from tests.openai_stub import OpenAIStub, Reply  # noqa: E402


class OneAnswer(OpenAIStub):
    """The stub answering the same text to every request until told another."""

    answer = ""

    def _next(self, body: dict[str, Any]) -> Reply:
        return Reply(content=self.answer)


def main() -> None:
    from langchain_openai import ChatOpenAI

    from khazna.agents.dunning.compose import compose
    from khazna.agents.dunning.model_writer import write_with_model
    from khazna.evals import dunning_letters, eval_dunning, letter_defects

    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="first N letters only")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="khazna-bench-rules-") as tmp:
        prepared = eval_dunning._prepare(Path(tmp), dunning_letters.AS_OF, dunning_letters.cases())
    if args.limit:
        prepared = prepared[: args.limit]
    stub = OneAnswer().start()
    model = ChatOpenAI(
        model="stub-model",
        base_url=stub.base_url,
        api_key="sk-test",  # type: ignore[arg-type]
        max_retries=0,
        use_responses_api=False,
    )
    applied: Counter[tuple[str, str]] = Counter()
    caught: Counter[tuple[str, str]] = Counter()
    by_rule: Counter[tuple[str, str]] = Counter()
    accepted: Counter[str] = Counter()
    letters: Counter[str] = Counter()
    missed: dict[str, list[str]] = {}
    start = time.perf_counter()
    try:
        for case, _plan, facts, context, _checked in prepared:
            if facts is None:
                continue
            lang = facts.language
            clean = compose(facts)
            stub.answer = letter_defects.as_answer(clean)
            letters[lang] += 1
            accepted[lang] += write_with_model(model, facts, context or []).writer == "model"
            makers = [(n, m) for n, m in letter_defects.DEFECTS.items()]
            makers += [(f"{n}~", m) for n, m in letter_defects.REWORDED.items()]
            for name, make in makers:
                bad = make(clean, facts)
                if bad is None:
                    continue
                stub.answer = letter_defects.as_answer(bad)
                out = write_with_model(model, facts, context or [])
                applied[name, lang] += 1
                if out.writer != "model":
                    caught[name, lang] += 1
                    rule = letter_defects.RULE_OF[name.rstrip("~")]
                    by_rule[name, lang] += any(f"règle « {rule} »" in str(p) for p in out.problems)
                else:
                    missed.setdefault(name, []).append(case["id"])
    finally:
        stub.close()
    seconds = time.perf_counter() - start
    print(f"{sum(letters.values())} letters ({letters['fr']} fr, {letters['ar']} ar), "
          f"{len(stub.requests)} HTTP requests in {seconds:.1f} s")  # fmt: skip
    print(f"{'defect':<16} {'caught':>9} {'rate':>6} {'fr':>7} {'ar':>7} {'by its rule':>12}")
    total_applied = total_caught = 0
    names = list(letter_defects.DEFECTS) + [f"{n}~" for n in letter_defects.REWORDED]
    for name in names:
        n = applied[name, "fr"] + applied[name, "ar"]
        c = caught[name, "fr"] + caught[name, "ar"]
        r = by_rule[name, "fr"] + by_rule[name, "ar"]
        total_applied, total_caught = total_applied + n, total_caught + c
        fr = f"{caught[name, 'fr']}/{applied[name, 'fr']}"
        ar = f"{caught[name, 'ar']}/{applied[name, 'ar']}"
        print(f"{name:<16} {c:>4}/{n:<4} {c / n if n else 0:>6.2f} {fr:>7} {ar:>7} {r:>7}/{n:<4}")
    print(f"{'all defects':<16} {total_caught:>4}/{total_applied:<4} "
          f"{total_caught / total_applied if total_applied else 0:>6.2f}")  # fmt: skip
    n = sum(letters.values())
    print(f"clean letters kept as the model's: {sum(accepted.values())}/{n} "
          f"(fr {accepted['fr']}/{letters['fr']}, ar {accepted['ar']}/{letters['ar']})")  # fmt: skip
    for name, ids in missed.items():
        print(f"missed {name}: {', '.join(ids)}")


if __name__ == "__main__":
    main()
