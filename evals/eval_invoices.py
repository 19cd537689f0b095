"""Invoice checker eval: expected finding codes vs found, per code family and per layout.

Documents: every document of the demo (seed 7; truth.json lists the seeded defect of each,
and buyers of kind administration carry BUYER_RC_MISSING, a warning the truth documents),
plus the generated cases of ``datasets/invoices.yaml`` in three layouts.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections import Counter
from pathlib import Path

import yaml

from khazna.demo.invoice_docs import document_json
from khazna.evals.invoice_cases import AS_OF, FAMILIES, case_document, family_of
from khazna.evals.invoice_layout2 import render_layout2
from khazna.evals.scoring import prf, ratio
from khazna.filenames import safe_path
from khazna.ledger.invoice_pdf import render_invoice_pdf
from khazna.tools.invoice_check import InvoiceReadError
from khazna.tools.invoice_check.files import check_file

DATASET = Path(__file__).with_name("datasets") / "invoices.yaml"


def demo_cases(demo) -> list[dict]:
    """(file, expected codes, person buyer) for every document of a demo bundle."""
    kinds = {
        r["client_id"]: r["kind"]
        for r in csv.DictReader((demo.path / "clients.csv").open(encoding="utf-8"))
    }
    client = {
        r["number"]: r["client_id"]
        for r in csv.DictReader((demo.path / "invoices.csv").open(encoding="utf-8"))
    }
    defects = demo.truth["invoice_documents"]["defects"]
    out = []
    for f in sorted((demo.path / "documents").iterdir()):
        if f.stem not in client:  # a piece beside an invoice (-BL delivery note, -ASF): not one
            continue
        kind = kinds[client[f.stem]]
        expect = set(defects.get(f.stem, []))
        if kind == "administration":
            expect.add(
                "BUYER_RC_MISSING"
            )  # no RC for a public body: a warning, by the truth's note
        out.append({"id": f.stem, "file": f, "expect": expect, "person": kind == "particulier",
                    "layout": "demo_" + f.suffix.lstrip(".")})  # fmt: skip
    return out


def generated_cases(folder: Path) -> list[dict]:

    cases = yaml.safe_load(DATASET.read_text(encoding="utf-8"))["cases"]
    out = []
    for c in cases:
        doc = case_document(c)
        f = safe_path(folder, c["id"], ".json" if c["layout"] == "json" else ".pdf")
        if c["layout"] == "json":
            f.write_text(json.dumps(document_json(doc), ensure_ascii=False), encoding="utf-8")
        elif c["layout"] == "pdf":
            render_invoice_pdf(doc, f)
        else:
            render_layout2(doc, f)
        out.append({"id": c["id"], "file": f, "expect": set(c["expect"]), "person": c["buyer"] == "person",
                    "layout": c["layout"]})  # fmt: skip
    return out


def score(results: list[tuple[dict, set[str]]]) -> tuple[dict[str, float], dict]:
    """Precision/recall/F1 per family over all documents (codes counted per document), the
    micro totals, and the share of documents whose found set is exactly the expected one,
    per layout. Codes outside the spec's families count as false positives of ``other``."""
    counts: dict[str, Counter] = {f: Counter() for f in [*FAMILIES, "other"]}
    exact: dict[str, list[bool]] = {}
    misses: Counter = Counter()
    for case, found in results:
        exp = case["expect"]
        for code in exp | found:
            key = "tp" if code in exp and code in found else ("fn" if code in exp else "fp")
            counts[family_of(code)][key] += 1
            if key != "tp":
                misses[f"{key}:{code}:{case['layout']}"] += 1
        exact.setdefault(case["layout"], []).append(found == exp)
    scores: dict[str, float] = {}
    total: Counter[str] = Counter()
    for fam, c in counts.items():
        total.update(c)
        if fam == "other":
            continue
        for name, v in prf(c["tp"], c["fp"], c["fn"]).items():
            scores[f"{fam}.{name}"] = v
    for name, v in prf(total["tp"], total["fp"], total["fn"]).items():
        scores[f"all.{name}"] = v
    for layout, oks in sorted(exact.items()):
        scores[f"exact.{layout}"] = ratio(sum(oks), len(oks))
    detail = {
        "documents": {k: len(v) for k, v in exact.items()},
        "errors": dict(misses.most_common(15)),
    }
    return scores, detail


def run(ctx) -> tuple[dict[str, float], dict]:

    demo = ctx.demo(0)
    with tempfile.TemporaryDirectory(prefix="khazna-eval-inv-") as tmp:
        cases = demo_cases(demo) + generated_cases(Path(tmp))
        results = []
        for case in cases:
            as_of = demo.as_of if case["layout"].startswith("demo") else AS_OF
            try:
                r = check_file(case["file"], as_of, buyer_is_person=case["person"])
                found = {f.code for f in r.findings}
            except InvoiceReadError:
                found = {"UNREADABLE"}
            results.append((case, found))
    return score(results)
