"""What ``mapper extract`` reads: article files, folders, globs, path lists and JSONL dumps.

Every input is expanded up front into a list of :class:`ArticleRef` (cheap, picklable
references, so a Dask worker reads the article itself); :func:`extract_ref` runs the pipeline on
one of them and turns a bad article into an :class:`ArticleError` instead of stopping the run.
"""
from __future__ import annotations

import glob
import json
import logging
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapper.errors import DataError, MapperError, UsageError
from mapper.extract.fetch import fetch_document, is_url
from mapper.extract.text import ARTICLE_SUFFIXES

log = logging.getLogger("mapper")

#: suffixes of JSONL dumps: one ``{"id", "text", "published", ...}`` record a line
JSONL_SUFFIXES = (".jsonl", ".ndjson")
#: suffixes of path lists: one article path a line (``@FILE`` works for any name)
LIST_SUFFIXES = (".list", ".lst")
#: JSONL record fields copied into the article's metadata
_JSONL_META = ("published", "date", "outlet", "title", "url", "author", "source", "language")


@dataclass(frozen=True)
class ArticleRef:
    """One article: a file path, or one line of a JSONL dump (``offset`` >= 0 bytes into it)."""

    path: str
    line: int = 0
    offset: int = -1

    @property
    def in_jsonl(self) -> bool:
        """Whether this is a record of a JSONL dump rather than a file of its own."""
        return self.offset >= 0

    @property
    def where(self) -> str:
        """``file`` or ``file:line``, for messages."""
        return f"{self.path}:{self.line}" if self.in_jsonl else self.path


@dataclass(frozen=True)
class ArticleError:
    """An article that could not be read or extracted: the run goes on without it."""

    name: str
    message: str

    def to_record(self) -> dict[str, Any]:
        """The ``--format jsonl`` line standing in for the article."""
        return {"document": self.name, "error": self.message}


@dataclass(frozen=True)
class ArticleLine:
    """An extracted article as its finished ``--format jsonl`` line: what a cluster worker
    sends back instead of the whole document when only the lines are wanted.
    """

    name: str
    line: str
    incidents: int
    undated: bool


def jsonl_line(result: Any) -> str:
    """The ``--format jsonl`` line of an extraction result or an :class:`ArticleError`."""
    return json.dumps(result.to_record(), sort_keys=True, ensure_ascii=False)


def jsonl_chunks(result: Any, mentions: Iterable[str] | None = None) -> Iterator[str]:
    """The ``--format jsonl`` line of ``result`` (without its newline) in pieces, the same text
    as :func:`jsonl_line`: a long document's mentions are encoded one at a time, so its line is
    never held whole in memory. ``mentions``: the mention records already encoded (a result
    whose mentions went elsewhere, see :class:`MentionSpill`).
    """
    if isinstance(result, (ArticleError, ArticleLine)):
        yield result.line if isinstance(result, ArticleLine) else jsonl_line(result)
        return
    mark = f"mentions go here {uuid.uuid4().hex}"
    record = result.to_record(mentions=False)
    record["mentions"] = mark
    head, tail = json.dumps(record, sort_keys=True, ensure_ascii=False).split(
        json.dumps(mark), 1)
    yield head + "["
    if mentions is None:
        mentions = (json.dumps(m, sort_keys=True, ensure_ascii=False)
                    for m in result.iter_mention_records())
    sep = ""
    for mention in mentions:
        yield sep + mention
        sep = ", "
    yield "]" + tail


class MentionSpill:
    """A long document's mention records, encoded as its sections give them and kept in a
    temporary file until its jsonl line is written (they come after its incidents in the line,
    and the incidents are known only at the end).
    """

    def __init__(self) -> None:
        self.file: Any = None
        self.count = 0

    def __call__(self, mentions: list[Any]) -> None:
        """Add one section's mentions (``extract_document``'s ``on_mentions``)."""
        from mapper.extract.pipeline import mention_record

        if self.file is None:
            self.file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")
        for m in mentions:
            self.file.write(json.dumps(mention_record(m), sort_keys=True,
                                       ensure_ascii=False) + "\n")
        self.count += len(mentions)

    def records(self) -> Iterator[str]:
        """The encoded records, in order, once; then the spill is empty again."""
        if self.file is None:
            return
        self.file.seek(0)
        for line in self.file:
            yield line[:-1]
        self.close()

    def close(self) -> None:
        """Drop what is held."""
        if self.file is not None:
            self.file.close()
        self.file = None
        self.count = 0


def as_line(result: Any) -> ArticleLine | ArticleError:
    """``result`` (an extraction result) reduced to its jsonl line; errors and lines stay as
    they are.
    """
    if isinstance(result, (ArticleError, ArticleLine)):
        return result
    return ArticleLine(result.document.name, jsonl_line(result), len(result.incidents),
                       result.document.published is None)


def as_summary(result: Any) -> ArticleLine:
    """An extracted article reduced to what a run reports once its line is written: its name,
    incidents and whether it had a publication date (``line`` left empty).
    """
    if isinstance(result, ArticleLine):
        return ArticleLine(result.name, "", result.incidents, result.undated)
    return ArticleLine(result.document.name, "", len(result.incidents),
                       result.document.published is None)


def _has_glob(text: str) -> bool:
    return any(c in text for c in "*?[")


def _folder_articles(folder: Path) -> list[str]:
    found = sorted(str(f) for f in folder.iterdir()
                   if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES)
    if not found:
        raise UsageError(f"{folder}: no .txt, .md or .html articles in this folder")
    return found


def _jsonl_refs(path: Path) -> list[ArticleRef]:
    refs = []
    offset = 0
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                refs.append(ArticleRef(str(path), number, offset))
            offset += len(raw)
    return refs


def _list_entries(path: Path) -> list[tuple[int, str]]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise UsageError(f"{path}: list file not found; check the path") from None
    return [(n, s.strip()) for n, s in enumerate(lines, 1)
            if s.strip() and not s.lstrip().startswith("#")]


def expand_inputs(items: tuple[str, ...] | list[str], *, fetch: bool = False
                  ) -> list[ArticleRef]:
    """Every article the inputs stand for, in order.

    A folder stands for its articles (sorted); a pattern with ``*``, ``?`` or ``[`` for the
    article files it matches (sorted, ``**`` recurses); ``@FILE`` or a ``.list``/``.lst`` file
    for the paths it lists, one a line (``#`` starts a comment); a ``.jsonl``/``.ndjson`` dump
    for its records; ``-`` for stdin. A file that does not exist or is no article is a
    :class:`~mapper.errors.UsageError` before any work starts. A list may name http(s) URLs:
    fetched by the workers with ``fetch`` (:mod:`mapper.extract.fetch`), else a UsageError
    naming the line (no network by default).
    """
    out: list[ArticleRef] = []
    for item in items:
        out.extend(_expand_one(item, depth=0, fetch=fetch))
    if sum(1 for r in out if r.path == "-") > 1:
        raise UsageError("'-' (stdin) can be given only once")
    return out


def _expand_one(item: str, depth: int, fetch: bool = False) -> list[ArticleRef]:
    if item == "-":
        return [ArticleRef("-")]
    path = Path(item[1:] if item.startswith("@") else item)
    if item.startswith("@") or (path.suffix.lower() in LIST_SUFFIXES and path.is_file()):
        if depth > 0:
            raise UsageError(f"{path}: a path list cannot list another path list")
        refs = []
        for number, entry in _list_entries(path):
            if is_url(entry):
                if not fetch:
                    raise UsageError(f"{path}:{number}: {entry} is a URL; mapper reads no "
                                     "network unless asked: add --fetch to fetch the listed "
                                     "URLs, or download them and list the files")
                refs.append(ArticleRef(entry))
            else:
                refs.extend(_expand_one(entry, depth + 1))
        return refs
    if path.is_dir():
        return [ArticleRef(p) for p in _folder_articles(path)]
    if not path.exists() and _has_glob(item):
        matches = sorted(p for p in glob.glob(item, recursive=True)
                         if Path(p).is_file() and Path(p).suffix.lower() in ARTICLE_SUFFIXES
                         + JSONL_SUFFIXES)
        if not matches:
            raise UsageError(f"{item}: the pattern matches no .txt, .md, .html or .jsonl file")
        return [ref for m in matches for ref in _expand_one(m, depth)]
    if path.suffix.lower() in JSONL_SUFFIXES:
        if not path.is_file():
            raise UsageError(f"{path}: file not found; check the path")
        return _jsonl_refs(path)
    if not path.exists():
        raise UsageError(f"{path}: file not found; check the path")
    if path.suffix.lower() not in ARTICLE_SUFFIXES:
        raise UsageError(f"{path}: unknown article type {path.suffix or '(no suffix)'!r}; "
                         "give a .txt, .md or .html file, a .jsonl dump or a .list of paths")
    return [ArticleRef(item)]


def read_jsonl_record(ref: ArticleRef) -> tuple[str, str, dict[str, Any], str]:
    """Name, text, metadata and format (txt or html) of one JSONL record."""
    with open(ref.path, "rb") as handle:
        handle.seek(ref.offset)
        raw = handle.readline()
    try:
        record = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"not a JSON record ({exc}); write one JSON object a line",
                        path=ref.path, line=ref.line) from None
    if not isinstance(record, dict):
        raise DataError("not a JSON object; write one {\"id\", \"text\", ...} object a line",
                        path=ref.path, line=ref.line)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise DataError("no article text; give the text as a string", path=ref.path,
                        line=ref.line, field="text")
    ident = record.get("id")
    name = str(ident) if ident not in (None, "") else ref.where
    meta = {k: record[k] for k in _JSONL_META if record.get(k) not in (None, "")}
    fmt = "html" if str(record.get("format", "")).lower() == "html" else "txt"
    return name, text, meta, fmt


def extract_ref(ref: ArticleRef, *, gazetteer: Any, explicit: dict[str, dict[str, Any]] | None,
                sidecars: dict[Path, dict[str, dict[str, Any]]], published: Any = None,
                overrides: dict[str, Any] | None = None, stdin_text: str | None = None,
                on_mentions: Any = None, ner: Any = None) -> Any:
    """The :class:`~mapper.extract.pipeline.ExtractionResult` of one article, or an
    :class:`ArticleError` naming it when its data is bad (so one article never stops a run).
    ``on_mentions`` and ``ner`` (a :class:`~mapper.extract.ner.NerConfig`): see
    :func:`~mapper.extract.pipeline.extract_document`.
    """
    from mapper.extract.pipeline import extract_document, extract_path
    from mapper.extract.text import document_from_text, html_main_text

    try:
        if is_url(ref.path):  # listed, and fetching was asked for (expand_inputs)
            doc = fetch_document(ref.path)
            doc.meta.update({k: v for k, v in (overrides or {}).items() if v not in (None, "")})
            if published is not None:
                doc.meta["published"] = published
            return extract_document(doc, gazetteer=gazetteer, ner=ner)
        if not ref.in_jsonl:
            return extract_path(ref.path, gazetteer=gazetteer, explicit=explicit,
                                sidecars=sidecars, published=published, overrides=overrides,
                                stdin_text=stdin_text, on_mentions=on_mentions, ner=ner)
        name, text, meta, fmt = read_jsonl_record(ref)
        meta.update({k: v for k, v in (overrides or {}).items() if v not in (None, "")})
        if published is not None:
            meta["published"] = published
        if fmt == "html":
            text, found = html_main_text(text)
            doc = document_from_text(text, name=name, fmt="txt", meta={**found, **meta})
            doc.fmt = "html"
        else:
            doc = document_from_text(text, name=name, fmt=fmt, meta=meta)
        return extract_document(doc, gazetteer=gazetteer, on_mentions=on_mentions, ner=ner)
    except UsageError:
        raise  # a wrong command line stops the run: nothing is worth writing
    except MapperError as exc:
        return ArticleError(ref.where, str(exc))
    except Exception as exc:  # noqa: BLE001
        # reason: a worker boundary. A bug hit by one article must not lose the others (on a
        # cluster: its whole batch); the error line names the article to report
        log.debug("extraction failed on %s", ref.where, exc_info=True)
        return ArticleError(ref.where, f"extraction failed ({type(exc).__name__}: {exc}); "
                                       "please report this article")
