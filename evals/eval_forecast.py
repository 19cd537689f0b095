"""Forecast eval: backtests on the demo ledgers (tools/backtest.py) and the status calls.

At each cut-off the forecast is made from what was known then and compared with what the
bank statement then showed. Scores:
- ``skill_vs_flat`` / ``skill_vs_repeat`` = 1 − MAE(forecast) / MAE(baseline), clipped to
  [0, 1]: 0 = no better than holding the balance flat (or repeating the last 30 days).
- ``status_day_accuracy``: days whose forecast status (ok / a_surveiller / tension) is the
  status the actual balance had against the policy threshold.
- ``alert_recall`` / ``alert_precision``: horizons whose actual worst status was not ``ok``
  and the forecast said so (and the converse).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from khazna.calendar_dz import WorkingCalendar
from khazna.evals.scoring import clip01, prf, ratio
from khazna.tools.backtest import backtest, daily_balances, pick_cutoffs
from khazna.tools.forecast import forecast, status_of

CUTOFFS = 6
DAYS = 30


def run(ctx) -> tuple[dict[str, float], dict]:

    cal = WorkingCalendar.load()
    maes = {"forecast": Decimal(0), "flat": Decimal(0), "repeat": Decimal(0)}
    days_ok = days_n = 0
    tp = fp = fn = 0
    detail = {}
    demos = ctx.demos()
    for demo in demos:
        threshold = Decimal(str(demo.truth["treasury"]["safety_threshold"]))
        with demo.ledger.read() as s:
            rep = backtest(s, cutoffs=CUTOFFS, days=DAYS, cal=cal)
            start, bal, _last = daily_balances(s)
            for c in pick_cutoffs(start, _last, CUTOFFS, DAYS):
                fc = forecast(s, c, DAYS, cal=cal, scheduled_expenses=False)
                actual = []
                for k in range(1, DAYS + 1):
                    i = min((c + timedelta(days=k) - start).days, len(bal) - 1)
                    actual.append(status_of(Decimal(int(bal[i])) / 100, threshold))
                pred = [d.status for d in fc.days]
                days_ok += sum(a == p for a, p in zip(actual, pred, strict=True))
                days_n += DAYS
                a_alert, p_alert = any(a != "ok" for a in actual), fc.status != "ok"
                tp += a_alert and p_alert
                fp += p_alert and not a_alert
                fn += a_alert and not p_alert
        maes["forecast"] += rep.mae_forecast
        maes["flat"] += rep.mae_flat
        maes["repeat"] += rep.mae_repeat
        detail[demo.name] = {"mae_forecast": float(rep.mae_forecast), "mae_flat": float(rep.mae_flat),
                             "mae_repeat": float(rep.mae_repeat)}  # fmt: skip
    f = maes["forecast"]
    alerts = prf(tp, fp, fn)
    scores = {
        "skill_vs_flat": clip01(float(1 - f / maes["flat"])) if maes["flat"] else 0.0,
        "skill_vs_repeat": clip01(float(1 - f / maes["repeat"])) if maes["repeat"] else 0.0,
        "status_day_accuracy": ratio(days_ok, days_n),
        "alert_recall": alerts["recall"],
        "alert_precision": alerts["precision"],
    }
    n = len(demos)
    detail["mean_mae_dzd"] = {k: round(float(v) / n, 2) for k, v in maes.items()}
    detail["alerts"] = {"tp": tp, "fp": fp, "fn": fn}
    return scores, detail
