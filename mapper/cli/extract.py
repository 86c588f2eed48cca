"""``mapper extract ARTICLE...``: draft incidents (and place mentions) from article text."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from mapper.errors import UsageError

FORMATS = ("yaml", "geojson", "jsonl")

_WORKER: dict[str, Any] = {}


def expand_articles(items: tuple[str, ...]) -> list[str]:
    """Files as given; a folder stands for the articles in it (sorted)."""
    from mapper.extract.text import ARTICLE_SUFFIXES

    out: list[str] = []
    for item in items:
        p = Path(item)
        if item != "-" and p.is_dir():
            found = sorted(str(f) for f in p.iterdir()
                           if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES)
            if not found:
                raise UsageError(f"{p}: no .txt, .md or .html articles in this folder")
            out.extend(found)
        else:
            out.append(item)
    if out.count("-") > 1:
        raise UsageError("'-' (stdin) can be given only once")
    return out


def _open_gazetteer(path: str | None):
    from mapper.gazetteer.store import Gazetteer

    return Gazetteer.open(path) if path else Gazetteer.open()


def _init_worker(gazetteer_path: str | None, options: dict[str, Any]) -> None:
    from mapper.extract.toponyms import NameIndex

    gazetteer = _open_gazetteer(gazetteer_path)
    NameIndex.for_gazetteer(gazetteer)
    _WORKER.update(gazetteer=gazetteer, **options)


def _work(path: str):
    from mapper.extract.pipeline import extract_path

    return extract_path(path, gazetteer=_WORKER["gazetteer"], explicit=_WORKER["explicit"],
                        sidecars=_WORKER.setdefault("sidecars", {}),
                        published=_WORKER["published"], overrides=_WORKER["overrides"])


def _geojson(incidents: list) -> str:
    features = []
    for inc in incidents:
        record = inc.to_dict()
        geometry = None
        if inc.place.resolved:
            geometry = {"type": "Point", "coordinates": [inc.place.lon, inc.place.lat]}
        props = {"id": inc.id, "date": record.get("date"), "date_end": record.get("date_end"),
                 "category": inc.category, "place": inc.place.name,
                 "claimed_by": inc.claimed_by, "confidence": inc.confidence,
                 "summary": inc.summary, "record": record}
        features.append({"type": "Feature", "id": inc.id, "geometry": geometry,
                         "properties": props})
    return json.dumps({"type": "FeatureCollection", "features": features}, sort_keys=True,
                      ensure_ascii=False, indent=1) + "\n"


def render_incidents(incidents: list, fmt: str) -> str:
    """YAML (a top-level ``incidents:`` list) or GeoJSON text of draft incidents, through the
    writers of ``mapper.incidents.io`` / ``mapper.incidents.export`` when they are there.
    """
    if fmt == "geojson":
        try:
            from mapper.incidents.export import iter_features, write_geojson
        except ImportError:
            return _geojson(incidents)
        import io

        buf = io.StringIO()
        write_geojson(iter_features(incidents, None), buf)
        return buf.getvalue()
    try:
        from mapper.incidents.io import incidents_to_yaml
    except ImportError:
        incidents_to_yaml = None
    if incidents_to_yaml is not None:
        return incidents_to_yaml(incidents)
    import yaml

    data = {"incidents": [i.to_dict() for i in incidents]}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def write_output(text: str, output: str | None) -> None:
    if output and output != "-":
        from mapper.atomic import write_text

        write_text(output, text)
    else:
        sys.stdout.write(text)


def _write_incidents(incidents: list, fmt: str, output: str | None) -> None:
    """Through ``mapper.incidents.io`` when it offers ``write_incidents``; else our own."""
    if output and output != "-":
        try:
            from mapper.incidents.io import write_incidents  # type: ignore[attr-defined]
        except ImportError:
            write_incidents = None
        if write_incidents is not None:
            write_incidents(incidents, output, format=fmt)
            return
    write_output(render_incidents(incidents, fmt), output)


@click.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--published", metavar="DATE",
              help="Publication date (YYYY-MM-DD) for every article; relative dates such as "
                   "'on Tuesday' are resolved against it.")
@click.option("--meta", "meta_file", metavar="FILE", type=click.Path(dir_okay=False),
              help="Metadata sidecar (YAML: file name -> outlet, title, url, published, "
                   "author). Default: a sources.yaml beside each article.")
@click.option("--outlet", help="Outlet name for every article.")
@click.option("--title", help="Title (for a single article).")
@click.option("--url", help="URL (for a single article).")
@click.option("--author", help="Author (for a single article).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="yaml", show_default=True,
              help="yaml/geojson: draft incidents; jsonl: one line per article with its "
                   "mentions (character offsets) and incidents.")
@click.option("-o", "--output", metavar="FILE", help="Write here instead of stdout.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Worker processes.")
@click.option("--gazetteer", "gazetteer_path", metavar="PATH", envvar="MAPPER_GAZETTEER",
              help="Gazetteer database (default: $MAPPER_GAZETTEER or the user cache).")
def cli(articles, published, meta_file, outlet, title, url, author, fmt, output, jobs,
        gazetteer_path):
    """Draft incidents from ARTICLE files (.txt, .md, .html; '-' reads stdin; a folder means
    the articles in it).

    Places are found with the offline gazetteer and kept with their character offsets and a
    role (incident, context, not-a-place); dates are resolved against the publication date;
    claims keep who makes them and their figures. Drafts carry a confidence and the evidence
    sentence, and `mapper validate`, `export` and `map` read them.
    """
    from mapper.extract.pipeline import extract_path
    from mapper.extract.text import load_sidecar, parse_date

    paths = expand_articles(articles)
    pub = parse_date(published, fieldname="--published") if published else None
    single = {"title": title, "url": url, "author": author}
    if len(paths) > 1 and any(single.values()):
        raise UsageError("--title, --url and --author describe one article; give one ARTICLE "
                         "or put them in a --meta sidecar")
    overrides = {"outlet": outlet, **single}
    explicit = load_sidecar(meta_file) if meta_file else None
    stdin_text = sys.stdin.read() if "-" in paths else None
    if jobs > 1 and "-" in paths:
        raise UsageError("'-' (stdin) cannot be combined with --jobs; use --jobs 1")

    results = []
    show = len(paths) > 1
    bar_cm = click.progressbar(length=len(paths), label="extracting", file=sys.stderr) \
        if show else _NoBar()
    with bar_cm as bar:
        if jobs > 1 and len(paths) > 1:
            import multiprocessing as mp

            options = {"explicit": explicit, "published": pub, "overrides": overrides}
            if sys.platform != "win32":
                # load once here: forked workers share the automaton's memory pages
                _init_worker(gazetteer_path, options)
                pool_cm = mp.get_context("fork").Pool(jobs)
            else:
                pool_cm = mp.get_context("spawn").Pool(
                    jobs, initializer=_init_worker, initargs=(gazetteer_path, options))
            with pool_cm as pool:
                for result in pool.imap(_work, paths, chunksize=4):
                    results.append(result)
                    bar.update(1)
        else:
            gazetteer = _open_gazetteer(gazetteer_path)
            sidecars: dict = {}
            for path in paths:
                results.append(extract_path(path, gazetteer=gazetteer, explicit=explicit,
                                            sidecars=sidecars, published=pub,
                                            overrides=overrides, stdin_text=stdin_text))
                bar.update(1)

    for result in results:
        if result.document.published is None:
            click.echo(f"warning: {result.document.name}: no publication date; relative dates "
                       "('on Tuesday', 'March 14') stay unresolved; give --published or a "
                       "sources.yaml", err=True)
    if fmt == "jsonl":
        lines = [json.dumps(r.to_record(), sort_keys=True, ensure_ascii=False) for r in results]
        write_output("".join(line + "\n" for line in lines), output)
    else:
        incidents = [i for r in results for i in r.incidents]
        _write_incidents(incidents, fmt, output)
    n = sum(len(r.incidents) for r in results)
    click.echo(f"{len(results)} article(s), {n} draft incident(s)", err=True)


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n: int) -> None:
        pass
