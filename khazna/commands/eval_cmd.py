"""``khazna eval [--json] [--only NAME] [--compare A B] [--results DIR]``: the project's own
evals (evals/)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khazna.agents.configuration import Configuration, ConfigurationError
from khazna.agents.llm import build_chat_model
from khazna.commands import summary
from khazna.commands.common import CommandError, add_json, print_json
from khazna.evals.runner import (
    EvalError,
    above_ceilings,
    below_thresholds,
    compare,
    load,
    load_ceilings,
    load_thresholds,
    run_evals,
    save,
)

EPILOG = """\
Lance les évaluations de evals/ (jeux de données + notations) et imprime un tableau : par
agent, des scores nommés dans [0, 1], avec le plancher de la CI ("min") et le plafond ("max",
sur les taux de réponses fausses) de evals/thresholds.json ("!" = hors limites). L'assistant
est noté sur sa partie de développement et sur une partie réservée que personne n'a réglée :
justes / sans réponse (null honnête) / fausses par langue. Chaque passage est enregistré dans
$KHAZNA_HOME/evals/<horodatage>-<rédacteur>.json, ou dans --results DIR (date, commit git,
rédacteur, nom et URL du modèle, jamais la clé ; scores ; durées).

Sans OPENAI_API_KEY, ce sont les rédacteurs hors ligne qui sont mesurés. Avec un modèle
configuré (OPENAI_API_KEY, OPENAI_BASE_URL, KHAZNA_MODEL), les cas de relance passent aussi
par le rédacteur du modèle et les demandes de routage par le modèle :
  OPENAI_API_KEY=... OPENAI_BASE_URL=http://127.0.0.1:11434/v1 KHAZNA_MODEL=qwen2.5:7b khazna eval

--compare A B compare deux fichiers de résultats (chemins, noms dans le dossier des
résultats, ou `last` / `prev` : les deux plus récents) sans rien lancer.
--json imprime l'enregistrement du passage : {"date", "commit", "writer", "model", "base_url", "timings",
"scores": {agent: {name: score}}, "details", "result_file", "below_threshold",
"above_ceiling"}.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "eval",
        help=summary("eval"),
        description="Mesure chaque agent sur les jeux de données du projet, hors ligne ou avec le modèle configuré.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--only", action="append", metavar="NAME",
                   help="seulement cette évaluation (répétable) : invoice_checker, anomaly_analyst, "
                   "categorization, forecast, dunning_writer, supervisor_routing, assistant")  # fmt: skip
    p.add_argument(
        "--compare",
        nargs=2,
        metavar=("A", "B"),
        help="compare deux fichiers de résultats (ou last / prev)",
    )
    p.add_argument("--no-record", action="store_true", help="n'écrit pas de fichier de résultats")
    p.add_argument(
        "--results",
        type=Path,
        metavar="DIR",
        help="où les passages sont enregistrés et où --compare cherche (défaut : $KHAZNA_HOME/evals)",
    )
    add_json(p)
    p.set_defaults(func=cmd_eval)


def _fmt(v) -> str:
    return "-" if v is None else f"{v:.4f}"


def _print_table(record: dict, thresholds: dict, ceilings: dict) -> None:
    rows = [("agent", "score", "value", "min", "max")]
    for agent, scores in record["scores"].items():
        for name, value in scores.items():
            low = thresholds.get(agent, {}).get(name)
            high = ceilings.get(agent, {}).get(name)
            bad = (low is not None and value < low) or (high is not None and value > high)
            rows.append(
                (
                    agent,
                    name,
                    f"{value:.4f}{' !' if bad else ''}",
                    _fmt(low) if low is not None else "",
                    _fmt(high) if high is not None else "",
                )
            )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for k, r in enumerate(rows):
        print(
            f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  "
            f"{r[3]:>{widths[3]}}  {r[4]:>{widths[4]}}"
        )
        if k == 0:
            print("  ".join("-" * w for w in widths))


def _compare(args: argparse.Namespace) -> int:

    pa, a = load(args.compare[0], args.results)
    pb, b = load(args.compare[1], args.results)
    rows = compare(a, b)
    if args.json:
        print_json({"a": {"file": str(pa), "date": a.get("date"), "commit": a.get("commit"), "model": a.get("model")},
                    "b": {"file": str(pb), "date": b.get("date"), "commit": b.get("commit"), "model": b.get("model")},
                    "rows": rows})  # fmt: skip
        return 0
    print(
        f"A: {pa.name}  ({a.get('commit', '?')[:10]}, {a.get('writer')}{' ' + a['model'] if a.get('model') else ''})"
    )
    print(
        f"B: {pb.name}  ({b.get('commit', '?')[:10]}, {b.get('writer')}{' ' + b['model'] if b.get('model') else ''})"
    )
    changed = [r for r in rows if r["delta"] is None or abs(r["delta"]) >= 0.00005]
    if not changed:
        print("no score changed")
        return 0
    table = [("agent", "score", "A", "B", "change")]
    for r in changed:
        d = "" if r["delta"] is None else f"{r['delta']:+.4f}"
        table.append((r["agent"], r["score"], _fmt(r["a"]), _fmt(r["b"]), d))
    widths = [max(len(t[i]) for t in table) for i in range(5)]
    for k, t in enumerate(table):
        print(
            "  ".join(
                f"{c:<{w}}" if i < 2 else f"{c:>{w}}"
                for i, (c, w) in enumerate(zip(t, widths, strict=True))
            )
        )
        if k == 0:
            print("  ".join("-" * w for w in widths))
    print(f"{len(changed)} of {len(rows)} scores changed")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:

    try:
        if args.compare:
            return _compare(args)
        try:
            cfg = Configuration.from_env()
        except ConfigurationError as err:
            raise CommandError(str(err)) from None

        model = build_chat_model(cfg)

        def progress(agent: str, seconds: float) -> None:
            if not args.json:
                print(f"  {agent}: {seconds:.1f} s", file=sys.stderr)

        if not args.json:
            who = (
                "offline writers"
                if cfg.offline
                else f"model {cfg.model} at {cfg.describe()['base_url']}"
            )
            print(f"khazna eval: {who}", file=sys.stderr)
        record = run_evals(args.only, config=cfg, model=model, progress=progress)
    except EvalError as err:
        raise CommandError(str(err)) from None
    thresholds = load_thresholds()
    ceilings = load_ceilings()
    record["below_threshold"] = below_thresholds(record, thresholds)
    record["above_ceiling"] = above_ceilings(record, ceilings)
    path = None if args.no_record else save(record, args.results)
    if args.json:
        print_json({**record, "result_file": str(path) if path else None})
        return 0
    _print_table(record, thresholds, ceilings)
    timings = ", ".join(f"{k} {v:.1f} s" for k, v in record["timings"].items())
    print(f"\ntimings: {timings}")
    print(
        f"writer: {record['writer']}"
        + (f" ({record['model']} at {record['base_url']})" if record["model"] else "")
    )
    if record["below_threshold"]:
        print(f"below threshold: {len(record['below_threshold'])} score(s) (marked !)")
    if record["above_ceiling"]:
        print(f"above ceiling: {len(record['above_ceiling'])} score(s) (marked !)")
    if path:
        print(f"recorded: {path}")
    return 0
