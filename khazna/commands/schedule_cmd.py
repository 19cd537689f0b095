"""``khazna schedule``: run the daily work on each Algerian working day."""

from __future__ import annotations

import argparse
import logging
from datetime import date, time

from khazna.agents.schedule import Scheduler, install_signal_handlers, last_day_run, run_day
from khazna.calendar_dz import WorkingCalendar
from khazna.commands import summary
from khazna.commands.common import CommandError, add_db, add_json, iso_date, open_ledger, print_json
from khazna.text import count

HELP = summary("schedule")
CRON = "0 8 * * 0-4 cd /srv/khazna && .venv/bin/khazna schedule --once"


def hh_mm(text: str) -> time:
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise argparse.ArgumentTypeError(f"pas une heure HH:MM : {text!r}") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "schedule",
        help=HELP,
        description=HELP + f". Avec cron, lancez-le plutôt une fois par jour : `{CRON}`",
    )
    add_db(p)
    p.add_argument("--at", type=hh_mm, default=time(8, 0), metavar="HH:MM",
                   help="heure locale du passage quotidien (défaut 08:00)")  # fmt: skip
    p.add_argument(
        "--once", action="store_true", help="fait le travail dû aujourd'hui et s'arrête (pour cron)"
    )
    p.add_argument("--as-of", type=iso_date, default=None, metavar="YYYY-MM-DD",
                   help="avec --once : le jour à traiter, AAAA-MM-JJ (défaut : aujourd'hui)")  # fmt: skip
    p.add_argument(
        "--no-send", action="store_true", help="n'envoie pas le rapport de la semaine par courriel"
    )
    add_json(p)
    p.set_defaults(func=cmd_schedule)


def cmd_schedule(args: argparse.Namespace) -> int:

    logging.getLogger("khazna.agents.schedule").setLevel(logging.INFO)
    if args.as_of and not args.once:
        raise CommandError("--as-of va avec --once (la boucle suit l'horloge)")
    ledger = open_ledger(args)
    cal = WorkingCalendar.load()
    if args.once:
        day = args.as_of or date.today()
        result = run_day(ledger, day, cal=cal, send_report=not args.no_send)
        if args.json:
            print_json(result.as_dict())
        else:
            _print_day(result)
        return 1 if result.errors else 0

    scheduler = Scheduler(
        lambda d: _print_day(run_day(ledger, d, cal=cal, send_report=not args.no_send)),
        args.at,
        cal,
        last_done=last_day_run(ledger),
    )
    install_signal_handlers(scheduler)
    logging.getLogger("khazna.agents.schedule").info(
        "schedule started: every working day at %s (stop with Ctrl-C or SIGTERM)",
        args.at.strftime("%H:%M"),
    )
    scheduler.run()
    print("schedule stopped")
    return 0


def _print_day(result) -> None:
    if not result.ran:
        print(f"{result.day} : rien à faire ({result.skipped})")
        return
    cycle = result.cycle or {}
    line = f"{result.day} : cycle {cycle.get('run_id', 'en échec')}"
    if cycle:
        line += f", {count(len(cycle.get('drafts', [])), 'relance préparée', 'relances préparées')}"
        if cycle.get("report"):
            r = cycle["report"]
            line += f", rapport {r['id']} ({r['forecast_status']})"
    line += f", {count(len(result.alerts), 'alerte', 'alertes')}, {count(len(result.receipt_reminders), 'rappel', 'rappels')} de justificatifs"
    print(line, flush=True)
    for a in result.alerts:
        fate = a.get("delivery_note") or "non envoyée : KHAZNA_OWNER_EMAIL non défini"
        print(f"  ALERTE {a['subject']} — {fate}", flush=True)
    for e in result.errors:
        print(f"  ERREUR {e}", flush=True)
