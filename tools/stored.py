"""The engines' results that several processes ask for on the same books, kept in the ledger
per ledger state (:func:`khazna.ledger.state.stored`): the forecast ``khazna forecast``
computed is the one the dashboard and the weekly report show, the open anomalies of
``khazna run`` the dashboard's. A new import, row or setting changes the state: they are
computed again. Each returns what its engine returns, equal field for field."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from khazna.ledger.state import stored
from khazna.tools.anomalies import (
    AnomaliesInput,
    AnomaliesOutput,
    detect_anomalies,
    open_anomalies,
)
from khazna.tools.forecast import Forecast, forecast
from khazna.tools.payment_profiles import InvoiceRisk, riskiest


def forecast_of(
    session: Session, as_of: date, days: int = 30, *, explain: bool = False
) -> Forecast:
    """:func:`khazna.tools.forecast.forecast` (the working calendar of the package)."""
    return stored(
        session,
        "forecast",
        [as_of, days, explain],
        lambda: forecast(session, as_of, days, explain=explain),
        Forecast,
    )


def riskiest_of(session: Session, as_of: date, n: int = 10) -> list[InvoiceRisk]:
    return stored(
        session, "riskiest", [as_of, n], lambda: riskiest(session, as_of, n=n), list[InvoiceRisk]
    )


def open_anomalies_of(session: Session, as_of: date) -> AnomaliesOutput:
    return stored(
        session, "open_anomalies", [as_of], lambda: open_anomalies(session, as_of), AnomaliesOutput
    )


def anomalies_of(session: Session, inp: AnomaliesInput) -> AnomaliesOutput:
    return stored(
        session,
        "anomalies",
        inp.model_dump(mode="json"),
        lambda: detect_anomalies(session, inp),
        AnomaliesOutput,
    )
