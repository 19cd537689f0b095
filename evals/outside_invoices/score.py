"""Score `khazna check-invoice` on the outside invoice set, per split (dev / heldout).

    python -m khazna.evals.outside_invoices.score [--seed 2026] [--keep DIR] [--json]
        [--split dev|heldout|heldout2|heldout3|heldout4|heldout5|heldout6 ...]

Generates the set in a temporary folder, runs the CLI (`check-invoice FILE --as-of D --json`,
one process per file, as a user would) on every PDF and, for the ceiling, on the same
invoice as a structured JSON document (what the checker finds when the reading is perfect).
Prints per split: findings precision / recall / F1 (micro over codes; a tolerated knock-on
code is neither required nor false), invoices whose codes are exactly right, clean invoices
accused of something, number / date / total exactness, and per field read / unread / absent
against what the page really holds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from khazna.evals.outside_invoices.generator import SPLITS, write_set

AS_OF = "2026-12-01"  # after every issue date of the set: no DATE_IN_FUTURE by construction
FIELDS = [
    "number", "issue_date", "due_date", "payment_terms", "payment_method",
    "total_ht", "total_tva", "timbre", "total_ttc", "amount_in_words",
    "seller.name", "seller.address", "seller.capital", "seller.rc", "seller.nif",
    "seller.nis", "seller.ai", "seller.rib",
    "buyer.name", "buyer.address", "buyer.rc", "buyer.nif", "buyer.nis", "buyer.ai",
]  # fmt: skip
Runner = Callable[[Path], dict[str, Any]]


def cli_runner(home: Path) -> Runner:
    """Run `khazna check-invoice FILE --json` in a fresh process, with its own KHAZNA_HOME."""
    command = [sys.executable, "-c", "import sys; from khazna.cli import main; sys.exit(main())"]
    env = {**os.environ, "KHAZNA_HOME": str(home)}
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "KHAZNA_MODEL", "KHAZNA_DB_URL"):
        env.pop(var, None)

    def run(path: Path) -> dict[str, Any]:
        proc = subprocess.run(
            [*command, "check-invoice", str(path), "--as-of", AS_OF, "--json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        try:
            out: dict[str, Any] = json.loads(proc.stdout)
        except json.JSONDecodeError:
            out = {
                "error": (proc.stderr or proc.stdout).strip()[-300:] or f"exit {proc.returncode}"
            }
        return out

    return run


# --- comparing what was read with what is printed -----------------------------------------
def _get(doc: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        doc = doc.get(part) if isinstance(doc, dict) else None
    return doc


def _dec(value: Any) -> Decimal | None:
    try:
        return None if value is None or value == "" else Decimal(str(value))
    except InvalidOperation:
        return None


def _fold(value: Any) -> str:
    """Spaces, case and accents folded: a page printed in capitals without accents (an old
    billing program's `CITE EL KHAFDJI`) holds the same words as `Cité El Khafdji`."""
    bare = "".join(
        c for c in unicodedata.normalize("NFKD", str(value)) if not unicodedata.combining(c)
    )
    return re.sub(r"\s+", " ", bare).strip().casefold()


def same_value(field: str, read: Any, truth: Any) -> bool:
    """Whether a read value is the printed one (identifiers compared on their digits)."""
    leaf = field.rsplit(".", 1)[-1]
    if leaf in ("nif", "nis", "ai", "rib"):
        return re.sub(r"\D", "", str(read)) == re.sub(r"\D", "", str(truth))
    if leaf == "rc":
        return re.sub(r"\s", "", str(read)).upper() == re.sub(r"\s", "", str(truth)).upper()
    if leaf in ("total_ht", "total_tva", "timbre", "total_ttc", "capital"):
        return _dec(read) == _dec(truth)
    if leaf == "number":
        return re.sub(r"\s", "", str(read)).upper() == re.sub(r"\s", "", str(truth)).upper()
    if leaf == "name":  # the legal form may be printed before or after the name, or not read
        forms = r"\b(sarl|eurl|spa|snc|ei)\b"
        return _fold(re.sub(forms, " ", _fold(read))) == _fold(re.sub(forms, " ", _fold(truth)))
    if leaf in ("payment_terms", "amount_in_words", "address"):
        a, b = _fold(read), _fold(truth)
        return a == b or (leaf == "payment_terms" and bool(a) and (a in b or b in a))
    return str(read) == str(truth)


def field_status(result: dict[str, Any], field: str) -> str:
    """read | unread | absent, from the result's own per-field report when it gives one."""
    reported = result.get("fields")
    if isinstance(reported, dict) and field in reported:
        return str(reported[field])
    # A *_MISSING finding on the field is the reader declaring it absent, whatever else it says.
    for finding in result.get("findings") or []:
        if finding.get("field") == field and str(finding.get("code", "")).endswith("_MISSING"):
            return "absent"
    if field in (result.get("unread") or []):
        return "unread"
    value = _get(result.get("document") or {}, field)
    return "absent" if value is None or value == "" else "read"


# --- the scores -----------------------------------------------------------------------------
def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision (1.0 when nothing was found), recall (1.0 when nothing was expected), F1."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
    }


def score_split(truths: list[dict[str, Any]], results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Findings, exactness and field reading of one split; `results` by invoice key."""
    tp = fp = fn = exact = clean = clean_accused = errors = 0
    false_codes: Counter[str] = Counter()
    missed_codes: Counter[str] = Counter()
    hits = Counter[str]()
    fields: dict[str, Counter[str]] = defaultdict(Counter)
    for t in truths:
        res = results[t["key"]]
        if res.get("error") or "findings" not in res:
            errors += 1
        found = {f["code"] for f in res.get("findings") or []}
        expected, tolerated = set(t["expected_codes"]), set(t["tolerated_codes"])
        tp += len(found & expected)
        fn += len(expected - found)
        fp += len(found - expected - tolerated)
        false_codes.update(found - expected - tolerated)
        missed_codes.update(expected - found)
        exact += expected <= found <= expected | tolerated
        if not expected:
            clean += 1
            clean_accused += bool(found)
        doc = res.get("document") or {}
        for key in ("number", "issue_date", "total_ttc"):  # a mention not printed: right if null
            read, printed = doc.get(key), t[key]
            if printed is None:
                hits[key] += read is None
            else:
                hits[key] += read is not None and same_value(key, read, printed)
        for name in FIELDS:
            printed = _get(t, name)
            status = field_status(res, name)
            if printed is None:
                fields[name][f"not_printed.{status}"] += 1
            elif status == "read":
                ok = same_value(name, _get(doc, name), printed)
                fields[name]["printed.read_ok" if ok else "printed.read_wrong"] += 1
            else:
                fields[name][f"printed.{status}"] += 1
    n = len(truths)
    return {
        "invoices": n,
        "errors": errors,
        "findings": {**prf(tp, fp, fn), "tp": tp, "fp": fp, "fn": fn},
        "exact_codes": round(exact / n, 3) if n else 0.0,
        "clean": clean,
        "clean_accused": clean_accused,
        "number_exact": round(hits["number"] / n, 3) if n else 0.0,
        "date_exact": round(hits["issue_date"] / n, 3) if n else 0.0,
        "total_exact": round(hits["total_ttc"] / n, 3) if n else 0.0,
        "false_codes": dict(false_codes.most_common()),
        "missed_codes": dict(missed_codes.most_common()),
        "fields": {k: dict(sorted(v.items())) for k, v in fields.items()},
    }


def run_all(runner: Runner, paths: Iterable[Path], jobs: int = 2) -> list[dict[str, Any]]:
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(runner, paths))


def evaluate(
    folder: Path,
    truths: list[dict[str, Any]],
    runner: Runner,
    jobs: int = 2,
    ceiling: bool = True,
) -> dict[str, Any]:
    """Scores per split for the PDFs and (ceiling) for the structured documents."""
    keys = [t["key"] for t in truths]
    pdf = dict(zip(keys, run_all(runner, (folder / f"{k}.pdf" for k in keys), jobs), strict=True))
    structured = {}
    if ceiling:
        paths = (folder / f"{k}.invoice.json" for k in keys)
        structured = dict(zip(keys, run_all(runner, paths, jobs), strict=True))
    report: dict[str, Any] = {"as_of": AS_OF, "splits": {}}
    for split in SPLITS:
        part = [t for t in truths if t["split"] == split]
        if not part:
            continue
        layouts = sorted({t["layout"] for t in part})
        entry: dict[str, Any] = {"layouts": layouts, "pdf": score_split(part, pdf)}
        entry["per_layout"] = {}
        for layout in layouts:
            one = score_split([t for t in part if t["layout"] == layout], pdf)
            entry["per_layout"][layout] = {
                k: one[k]
                for k in (
                    "findings",
                    "exact_codes",
                    "clean_accused",
                    "number_exact",
                    "date_exact",
                    "total_exact",
                )
            }
        if ceiling:
            ceil = score_split(part, structured)
            entry["ceiling_structured"] = {
                k: ceil[k]
                for k in ("findings", "exact_codes", "clean_accused", "false_codes", "missed_codes")
            }
        report["splits"][split] = entry
    report["per_invoice"] = {
        k: {
            "found": sorted({f["code"] for f in pdf[k].get("findings") or []}),
            "unread": pdf[k].get("unread"),
            "error": pdf[k].get("error"),
        }
        for k in keys
    }
    return report


def render(report: dict[str, Any]) -> str:
    out = [f"outside invoices: khazna check-invoice FILE --as-of {report['as_of']} --json"]
    for split, entry in report["splits"].items():
        s, f = entry["pdf"], entry["pdf"]["findings"]
        out.append(
            f"\n== {split} ({', '.join(entry['layouts'])}): {s['invoices']} invoices, {s['clean']} clean, {s['errors']} unreadable"
        )
        out.append(
            f"  findings   P {f['precision']:.3f}  R {f['recall']:.3f}  F1 {f['f1']:.3f}   (tp {f['tp']}, fp {f['fp']}, fn {f['fn']})"
        )
        if "ceiling_structured" in entry:
            c = entry["ceiling_structured"]["findings"]
            out.append(
                f"  ceiling    P {c['precision']:.3f}  R {c['recall']:.3f}  F1 {c['f1']:.3f}   (same invoices as structured JSON: reading perfect)"
            )
        out.append(
            f"  exact code sets {s['exact_codes']:.3f}   clean invoices accused {s['clean_accused']}/{s['clean']}"
        )
        out.append(
            f"  number {s['number_exact']:.3f}   date {s['date_exact']:.3f}   total TTC {s['total_exact']:.3f}"
        )
        for layout, one in entry["per_layout"].items():
            lf = one["findings"]
            out.append(
                f"    {layout}: P {lf['precision']:.3f} R {lf['recall']:.3f} F1 {lf['f1']:.3f}"
                f"  exact {one['exact_codes']:.2f}  number/date/total {one['number_exact']:.2f}/{one['date_exact']:.2f}/{one['total_exact']:.2f}"
            )
        if s["false_codes"]:
            out.append("  false: " + ", ".join(f"{k} ×{v}" for k, v in s["false_codes"].items()))
        if s["missed_codes"]:
            out.append("  missed: " + ", ".join(f"{k} ×{v}" for k, v in s["missed_codes"].items()))
        out.append(
            f"  {'field':<16} printed: read ok / wrong / unread / absent   not printed: absent / unread / read"
        )
        for name in FIELDS:
            c = Counter(s["fields"].get(name, {}))
            out.append(
                f"  {name:<16} {c['printed.read_ok']:>5} / {c['printed.read_wrong']:>3} / {c['printed.unread']:>3} / {c['printed.absent']:>3}"
                f"            {c['not_printed.absent']:>3} / {c['not_printed.unread']:>3} / {c['not_printed.read']:>3}"
            )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--per-layout", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write the set here and keep it")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-ceiling", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--split",
        action="append",
        choices=list(SPLITS),
        help="score only this split (repeatable; default: every split)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="khazna-outside-") as tmp:
        folder = args.keep or Path(tmp) / "set"
        truths = write_set(folder, args.seed, args.per_layout, args.split)
        report = evaluate(
            folder, truths, cli_runner(Path(tmp) / "home"), args.jobs, not args.no_ceiling
        )
    report["seed"] = args.seed
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
