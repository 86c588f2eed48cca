"""``mapper extract ARTICLE...``: draft incidents (and place mentions) from article text."""
from __future__ import annotations

import contextlib
import json
import logging
import sys
from typing import Any

import click

from mapper.cli.options import gazetteer_option, option_date, output_option, overwrite_option
from mapper.errors import UsageError

log = logging.getLogger("mapper")

FORMATS = ("yaml", "geojson", "jsonl")
# mapper.extract.ner's USES and DEFAULT_USE (not imported: the CLI's cold start stays light)
NER_USES = ("add", "veto", "both")
NER_DEFAULT = "add"

_WORKER: dict[str, Any] = {}


def _init_worker(gazetteer_path: str | None, options: dict[str, Any]) -> None:
    from mapper.extract.nameindex import NameIndex
    from mapper.gazetteer.access import open_gazetteer


    gazetteer = open_gazetteer(gazetteer_path or None)
    NameIndex.for_gazetteer(gazetteer)
    _WORKER.update(gazetteer=gazetteer, options=options)


def _work(ref):
    from mapper.extract.articles import extract_ref

    return extract_ref(ref, gazetteer=_WORKER["gazetteer"],
                       sidecars=_WORKER.setdefault("sidecars", {}), **_WORKER["options"])


def _on_cluster(refs, scheduler: str, jobs: int, gazetteer_path: str | None,
                options: dict[str, Any], bar, lines: bool) -> list:
    try:
        from mapper.extract import distributed
    except ModuleNotFoundError as exc:
        if exc.name not in ("dask", "distributed"):
            raise  # a broken install of something else is not the missing extra
        raise UsageError("--scheduler needs Dask: pip install 'mapper[dask]' (on the workers "
                         "too)") from None
    with distributed.connect(scheduler, workers=jobs if jobs > 1 else None) as client:
        return list(distributed.extract_on_cluster(refs, client, gazetteer_path=gazetteer_path,
                                                   options=options, on_progress=bar.update,
                                                   lines=lines))


def render_incidents(incidents: list, fmt: str) -> str:
    """YAML (a top-level ``incidents:`` list) or GeoJSON text of draft incidents."""
    if fmt == "geojson":
        import io

        from mapper.incidents.export import iter_features, write_geojson

        buf = io.StringIO()
        write_geojson(iter_features(incidents, None), buf)
        return buf.getvalue()
    from mapper.incidents.io import incidents_to_yaml

    return incidents_to_yaml(incidents)


def write_output(text: str, output: str | None) -> None:
    """``text`` to ``output`` (atomically) or to stdout."""
    if output and output != "-":
        from mapper.atomic import write_text

        write_text(output, text)
    else:
        sys.stdout.write(text)


def _write_incidents(incidents: list, fmt: str, output: str | None) -> None:
    if output and output != "-":
        from mapper.incidents.io import write_incidents

        write_incidents(incidents, output, format=fmt)
        return
    write_output(render_incidents(incidents, fmt), output)


@click.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--scheduler", envvar="MAPPER_SCHEDULER", metavar="ADDRESS",
              help="Run on a Dask cluster: its scheduler address (tcp://HOST:8786), or 'local' "
                   "for one worker process per core (or --jobs) here. Default: "
                   "$MAPPER_SCHEDULER, else no Dask. Needs mapper[dask].")
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
@output_option("output", metavar="FILE", help="Write here instead of stdout.")
@overwrite_option
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Worker processes.")
@click.option("--fetch", is_flag=True,
              help="Fetch the http(s) URLs a path list names (off by default: mapper reads no "
                   "network unless asked, and a listed URL is then an error).")
@click.option("--ner", "ner_models", multiple=True, metavar="MODEL",
              help="Also read the articles with a statistical recogniser you have installed: "
                   "'natasha' (Russian) or a spaCy pipeline's name or path (en_core_web_sm); "
                   "repeat for more languages. Off by default. Needs mapper[ner].")
@click.option("--ner-use", type=click.Choice(NER_USES), default=NER_DEFAULT, show_default=True,
              help="What the --ner model may do: add place names the rules missed, veto "
                   "names it reads as a person or organisation (measured to cost recall with "
                   "en_core_web_sm and natasha), or both.")
@gazetteer_option
def cli(articles, scheduler, published, meta_file, outlet, title, url, author, fmt, output,
        overwrite, jobs, fetch, ner_models, ner_use, gazetteer_path):
    """Draft incidents from ARTICLE files (.txt, .md, .html; '-' reads stdin; a folder means
    the articles in it; a glob the files it matches; @FILE or a .list file the paths it lists,
    and with --fetch the http(s) URLs; a .jsonl dump its {"id", "text", "published", ...}
    records).

    Places are found with the offline gazetteer and kept with their character offsets and a
    role (incident, context, not-a-place); dates are resolved against the publication date;
    claims keep who makes them and their figures. Drafts (status: draft) carry a confidence
    and the evidence sentence; review them into a curated file with `mapper review DRAFTS
    --into CURATED` (`mapper map --drafts` draws them unreviewed, marked as drafts).
    """
    from mapper.extract.articles import (
        ArticleError,
        ArticleLine,
        as_line,
        expand_inputs,
        extract_ref,
    )
    from mapper.extract.text import load_sidecar

    refs = expand_inputs(articles, fetch=fetch)
    if output and output != "-":
        from mapper.atomic import check_output
        from mapper.extract.fetch import is_url

        sidecar = [meta_file] if meta_file else []
        check_output(output, inputs=[*(r.path for r in refs if not is_url(r.path)), *sidecar],
                     overwrite=overwrite)
    pub = option_date("--published", published, human=True) if published else None
    single = {"title": title, "url": url, "author": author}
    if len(refs) > 1 and any(single.values()):
        raise UsageError("--title, --url and --author describe one article; give one ARTICLE "
                         "or put them in a --meta sidecar")
    overrides = {"outlet": outlet, **single}
    explicit = load_sidecar(meta_file) if meta_file else None
    has_stdin = any(r.path == "-" for r in refs)
    stdin_text = sys.stdin.read() if has_stdin else None
    if (jobs > 1 or scheduler) and has_stdin:
        raise UsageError("'-' (stdin) cannot be combined with --jobs or --scheduler; save it "
                         "to a file")
    options: dict[str, Any] = {"explicit": explicit, "published": pub, "overrides": overrides}
    if ner_models:
        from mapper.extract.ner import NerConfig

        ner = NerConfig(tuple(ner_models), ner_use)
        ner.load_all()  # a missing model: one line now, not an error per article
        options["ner"] = ner

    results: list = []
    show = len(refs) > 1 and log.isEnabledFor(logging.INFO)  # progress: not with -q
    bar_cm = click.progressbar(length=len(refs), label="extracting", file=sys.stderr) \
        if show else _NoBar()
    with contextlib.ExitStack() as stack:
        # jsonl (not from a cluster, whose workers send finished lines): each article's line
        # is written as soon as it is extracted and only its summary kept, so memory holds
        # one article at a time (a long one's mentions are encoded one by one)
        stream = None
        if fmt == "jsonl" and not scheduler:
            if output and output != "-":
                from mapper.atomic import atomic_open

                stream = stack.enter_context(atomic_open(output))
            else:
                stream = sys.stdout
        keep = _Keep(stream)
        bar = stack.enter_context(bar_cm)
        if scheduler:
            # jsonl: the workers send finished lines, not documents (a client holding
            # millions of articles' texts and mentions would run out of memory)
            results = _on_cluster(refs, scheduler, jobs, gazetteer_path, options, bar,
                                  lines=fmt == "jsonl")
        elif jobs > 1 and len(refs) > 1:
            import multiprocessing as mp

            if sys.platform != "win32":
                # load once here: forked workers share the automaton's memory pages
                _init_worker(gazetteer_path, options)
                pool_cm = mp.get_context("fork").Pool(jobs)
            else:
                pool_cm = mp.get_context("spawn").Pool(
                    jobs, initializer=_init_worker, initargs=(gazetteer_path, options))
            with pool_cm as pool:
                for result in pool.imap(_work, refs, chunksize=4):
                    results.append(keep(result))
                    bar.update(1)
        else:
            from mapper.gazetteer.access import open_gazetteer

            gazetteer = open_gazetteer(gazetteer_path or None)
            sidecars: dict = {}
            for ref in refs:
                # a long article's mentions: spilled until its jsonl line is written, or not
                # kept at all when only its drafts are wanted
                results.append(keep(extract_ref(ref, gazetteer=gazetteer, sidecars=sidecars,
                                                stdin_text=stdin_text,
                                                on_mentions=keep.spill or _drop, **options)))
                bar.update(1)

    from mapper.guards import WarningFolder

    failed = [r for r in results if isinstance(r, ArticleError)]
    errors = WarningFolder(lambda line: log.error(f"Error: {line}"))
    for error in failed:
        errors(error.message)
    errors.finish()
    say = WarningFolder(log.warning)
    if fmt == "jsonl":
        results = [as_line(r) for r in results]
    done = [r for r in results if not isinstance(r, ArticleError)]
    for result in done:
        undated, name = ((result.undated, result.name) if isinstance(result, ArticleLine)
                         else (result.document.published is None, result.document.name))
        if undated:
            say(f"{name}: no publication date; relative dates "
                "('on Tuesday', 'March 14') stay unresolved; give --published or a sources.yaml")
    say.finish()
    if fmt == "jsonl":
        if not keep.streamed:
            lines = [r.line if isinstance(r, ArticleLine) else json.dumps(
                r.to_record(), sort_keys=True, ensure_ascii=False) for r in results]
            write_output("".join(line + "\n" for line in lines), output)
        n = sum(r.incidents for r in done)
    else:
        incidents = [i for r in done for i in r.incidents]
        _write_incidents(incidents, fmt, output)
        n = len(incidents)
    if done or len(failed) > 1:  # one article that failed: its Error line says it all
        log.info(f"{len(done)} article(s), {n} draft incident(s)"
                 + (f", {len(failed)} article(s) failed (see the Error lines)" if failed else ""))
    if failed:
        raise SystemExit(1)


def _drop(mentions: list) -> None:
    """``on_mentions`` for drafts only: a long article's mentions are not kept."""


class _Keep:
    """What the run keeps of each result: all of it, or, when ``stream`` is given, its jsonl
    line written there at once and a summary (name, incidents, undated) in its place.
    """

    def __init__(self, stream: Any) -> None:
        from mapper.extract.articles import MentionSpill

        self.stream = stream
        self.streamed = stream is not None
        # a long article's mentions wait here, encoded, until its line is written
        self.spill = MentionSpill() if stream is not None else None

    def __call__(self, result: Any) -> Any:
        if self.stream is None:
            return result
        from mapper.extract.articles import ArticleError, as_summary, jsonl_chunks

        spilled = self.spill.records() if self.spill is not None and getattr(
            result, "mentions_elsewhere", False) else None
        for chunk in jsonl_chunks(result, spilled):
            self.stream.write(chunk)
        self.stream.write("\n")
        if self.spill is not None:
            self.spill.close()  # also what a failed article left there
        return result if isinstance(result, ArticleError) else as_summary(result)


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n: int) -> None:
        pass
