"""``mapper review DRAFTS --into CURATED``: accept, edit or reject machine drafts."""
from __future__ import annotations

import datetime as dt
import logging
import sys
from typing import Any

import click

from mapper.cli.options import gazetteer_option
from mapper.dates import parse_day
from mapper.errors import MapperError, UsageError

log = logging.getLogger("mapper")

MENU = "[a]ccept  [e]dit  [r]eject  [s]kip  [q]uit"


@click.command("review")
@click.argument("drafts", type=click.Path(exists=True, dir_okay=False))
@click.option("--into", "curated", required=True, type=click.Path(dir_okay=False),
              help="Curated YAML incident file accepted drafts are appended to (created if "
                   "missing). Rejections are remembered beside it in NAME.rejected.yaml.")
@click.option("--accept", "accept_ids", multiple=True, metavar="ID",
              help="Accept this draft without asking (repeatable).")
@click.option("--reject", "reject_ids", multiple=True, metavar="ID",
              help="Reject this draft without asking (repeatable).")
@click.option("--reason", default=None, help="Why the --reject drafts were rejected (kept).")
@click.option("--reviewer", default=None,
              help="Name recorded as reviewed_by (default: your login name).")
@gazetteer_option
def cli(drafts: str, curated: str, accept_ids: tuple[str, ...], reject_ids: tuple[str, ...],
        reason: str | None, reviewer: str | None, gazetteer_path: str | None) -> None:
    """Review DRAFTS (from `mapper extract`) into the curated file CURATED.

    On a terminal, shows one draft at a time with its evidence sentence, date and place
    candidates: accept it, edit its place, date, category or summary first, reject it, or skip
    it for later. --accept/--reject ID do the same in a script. Accepted drafts get
    `status: reviewed`, `reviewed_by` and `reviewed_at`, lose their `confidence`, and are
    appended atomically to CURATED, which must validate (else nothing is written). Drafts
    accepted or rejected before are not asked about again.
    """
    from mapper.gazetteer.access import open_gazetteer
    from mapper.incidents.review import Review

    review = Review(drafts, curated, gazetteer=open_gazetteer(gazetteer_path or None),
                    reviewer=reviewer)
    if accept_ids or reject_ids:
        _scripted(review, accept_ids, reject_ids, reason)
    elif not sys.stdin.isatty():
        raise UsageError("standard input is not a terminal: review interactively in one, or "
                         "give --accept ID / --reject ID (repeatable)")
    else:
        _interactive(review)


def _scripted(review: Any, accept_ids: tuple[str, ...], reject_ids: tuple[str, ...],
              reason: str | None) -> None:
    from mapper.incidents.review import rejections_path

    out = review.run(accept_ids, reject_ids, reason)
    for rid in out.already:
        log.info(f"{rid}: already in {review.curated_path}; left as it is")
    for problem in out.warnings:
        log.warning(str(problem))
    for inc in out.accepted:
        click.echo(f"accepted {inc.id} into {review.curated_path}")
    for rid in out.rejected:
        click.echo(f"rejected {rid} (remembered in {rejections_path(review.curated_path)})")
    log.info(f"{len(review.pending())} draft(s) left to review in {review.drafts_path}")


def _interactive(review: Any) -> None:
    from mapper.incidents.review import describe

    pending = review.pending()
    if not pending:
        click.echo(f"No drafts left to review in {review.drafts_path}.")
        return
    counts = {"accepted": 0, "rejected": 0, "skipped": 0}
    for n, draft in enumerate(pending, 1):
        current = draft
        while True:
            candidates = review.candidates(current)
            click.echo(f"\n[{n}/{len(pending)}] " + "\n".join(describe(current, candidates)))
            choice = click.prompt(MENU, type=click.Choice(list("aersq")), show_choices=False)
            if choice == "a":
                try:
                    done = review.accept([current])
                except MapperError as exc:  # refused: nothing written; the reviewer may edit
                    click.echo(f"Refused: {exc}")
                    continue
                for problem in done.warnings:
                    click.echo(str(problem))
                click.echo(f"accepted {current.id} into {review.curated_path}")
                counts["accepted"] += 1
            elif choice == "e":
                current = _edit(review, current, candidates)
                continue
            elif choice == "r":
                why = click.prompt("reason (optional)", default="", show_default=False)
                review.reject([current], why.strip() or None)
                click.echo(f"rejected {current.id}")
                counts["rejected"] += 1
            elif choice == "s":
                counts["skipped"] += 1
            else:
                _summary(counts, len(pending) - n + 1)
                return
            break
    _summary(counts, 0)


def _summary(counts: dict[str, int], unseen: int) -> None:
    left = counts["skipped"] + unseen
    click.echo(f"{counts['accepted']} accepted, {counts['rejected']} rejected, {left} left "
               "for a later review.")


def _edit(review: Any, draft: Any, candidates: list) -> Any:
    """Ask for each editable field (Enter keeps it); a bad place is reported and kept as is."""
    from mapper.incidents.review import Edits

    numbers = ("1" if len(candidates) == 1 else f"1-{len(candidates)}") if candidates else ""
    hint = f" (a name, or {numbers} for a candidate above)" if numbers else " (a name)"
    place_in = click.prompt(f"place [{draft.place.name}]{hint}", default="",
                            show_default=False).strip()
    place, place_id = None, None
    if place_in.isdigit():  # a candidate's number, never a place name
        if not 1 <= int(place_in) <= len(candidates):
            click.echo(f"No candidate {place_in}; the place is kept.")
        else:  # the candidate's own name: the draft's wording may name another place
            place, place_id = (candidates[int(place_in) - 1].place.name,
                               candidates[int(place_in) - 1].place.id)
    elif place_in:
        place = place_in
    date_default = draft.date.isoformat() if draft.date else ""
    date = click.prompt(f"date [{date_default or 'none'}] (YYYY-MM-DD)", default="",
                        show_default=False, value_proc=_date_or_keep)
    category = click.prompt(f"category [{draft.category}]", default="", show_default=False)
    summary = click.prompt("summary [Enter keeps it]", default="", show_default=False)
    edits = Edits(place=place, place_id=place_id, date=date,
                  category=category or None, summary=summary or None)
    try:
        return review.edit(draft, edits)
    except MapperError as exc:
        click.echo(f"Not changed: {exc}")
        return draft


def _date_or_keep(text: str) -> dt.date | None:
    """A typed YYYY-MM-DD date, or None for Enter (keep the draft's); click asks again on error."""
    if not text.strip():
        return None
    try:
        return parse_day(text)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
