"""``mapper add --into FILE ...``: add one incident by hand, geocoded and validated."""
from __future__ import annotations

import logging

import click

from mapper.cli.options import gazetteer_option, option_date

log = logging.getLogger("mapper")


@click.command("add")
@click.option("--into", "into", required=True, type=click.Path(dir_okay=False),
              help="YAML incident file to append to (created if missing).")
@click.option("--date", "date_text", required=True, metavar="YYYY-MM-DD",
              help="When it happened.")
@click.option("--date-end", "date_end_text", metavar="YYYY-MM-DD",
              help="Last day, for an incident over several days.")
@click.option("--place", required=True,
              help="The place as the source writes it ('Tyotkino', 'Springfield, Illinois').")
@click.option("--place-id", default=None, metavar="ID",
              help="Gazetteer id that settles an ambiguous place (from `mapper geocode NAME`).")
@click.option("--category", required=True, help="raid, shelling, drone-strike, ... (see README).")
@click.option("--summary", required=True, help="What happened, in a sentence or two.")
@click.option("--source", required=True, metavar="URL", help="The report it rests on (http/https).")
@click.option("--quote", default=None, help="The sentence of the source it rests on.")
@click.option("--claimed-by", "claimed_by", multiple=True, metavar="PARTY",
              help="A party that claims it (repeatable).")
@click.option("--outlet", default=None, help="Name of the outlet that published the source.")
@click.option("--published", "published_text", metavar="YYYY-MM-DD",
              help="When the source was published.")
@click.option("--id", "incident_id", default=None,
              help="Incident id (default: place and date, e.g. tyotkino-2024-03-14).")
@gazetteer_option
def cli(into: str, date_text: str, date_end_text: str | None, place: str,
        place_id: str | None, category: str, summary: str, source: str, quote: str | None,
        claimed_by: tuple[str, ...], outlet: str | None, published_text: str | None,
        incident_id: str | None, gazetteer_path: str | None) -> None:
    """Add one incident to a curated YAML file without writing YAML.

    The place is geocoded offline; a name the gazetteer cannot tell apart is refused with its
    top candidates, to choose with --place-id. The record is validated with the whole file and
    appended atomically (nothing is written when it does not validate). Prints the new id.
    """
    from mapper.gazetteer.access import open_gazetteer
    from mapper.incidents.curate import append_incidents, curated_ids, locate_place, new_incident

    date = option_date("--date", date_text)
    date_end = option_date("--date-end", date_end_text) if date_end_text else None
    published = option_date("--published", published_text) if published_text else None
    gazetteer = open_gazetteer(gazetteer_path or None)
    location = locate_place(place, gazetteer, place_id=place_id)
    incident = new_incident(date=date, date_end=date_end,
                            place=location, category=category, summary=summary, source=source,
                            quote=quote, claimed_by=claimed_by, outlet=outlet,
                            published=published,
                            incident_id=incident_id, taken=curated_ids(into))
    done = append_incidents(into, [incident], gazetteer=gazetteer)
    for problem in done.warnings:
        log.warning(str(problem))
    click.echo(f"added {incident.id} to {into}")
