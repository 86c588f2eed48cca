"""From inputs to incidents: the steps ``mapper map`` and the Python API share.

1. :func:`collect_inputs` sorts the paths given into incident files (or folders of them) and
   article texts.
2. The incident files are read (``mapper.incidents.io``): reviewed incidents and drafts
   (``status: draft``) apart.
3. :func:`draft_uncited` drafts incidents from the articles no incident file cites
   (``mapper.extract``), so a story is never drawn twice, and validates them.
4. :func:`load_incidents` keeps the drafts only when asked (``mapper map --drafts``): drafts
   are not facts.

>>> from mapper.pipeline import ARTICLE_SUFFIXES
>>> ".markdown" in ARTICLE_SUFFIXES and ".html" in ARTICLE_SUFFIXES
True
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sized
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapper.errors import UsageError
from mapper.extract.text import ARTICLE_SUFFIXES
from mapper.outputset import own_files

if TYPE_CHECKING:
    from mapper.incidents.model import Incident
    from mapper.incidents.validate import Problem as ValidationProblem

__all__ = ["ARTICLE_SUFFIXES", "Inputs", "Loaded", "collect_inputs", "draft_uncited",
           "load_inputs", "load_incidents", "stream_incidents"]

Problem = Callable[[str], Any]
_NOTHING = ("no incident files or articles among the inputs ({}); give .yaml, .json, .geojson "
            "or .csv incident files, .txt/.md/.html articles, or a folder holding them")

log = logging.getLogger("mapper")


@dataclass
class Inputs:
    """The paths given, sorted by what reads them.

    Attributes
    ----------
    incidents
        Files and folders for ``read_incidents`` (it expands folders and skips what is not an
        incident file, such as publication metadata).
    articles
        Article texts given, or found in those folders (sorted), to draft from.
    """

    incidents: list[Path] = field(default_factory=list)
    articles: list[Path] = field(default_factory=list)


@dataclass
class Loaded:
    """What the inputs hold: reviewed incidents, drafts, and the article files among them."""

    curated: list[Incident] = field(default_factory=list)
    drafts: list[Incident] = field(default_factory=list)
    """``status: draft``: those in incident files, then those extracted from articles."""
    articles: list[Path] = field(default_factory=list)
    drafted: int = 0
    """How many of ``drafts`` were extracted from articles."""
    invalid: list[ValidationProblem] = field(default_factory=list)
    """Errors of the drafts from articles that were left out for not validating."""

    @property
    def incidents(self) -> list[Incident]:
        """Curated incidents first, then the drafts."""
        return self.curated + self.drafts


def _is_article(path: Path) -> bool:
    return path.suffix.lower() in ARTICLE_SUFFIXES


def collect_inputs(inputs: Iterable[str | os.PathLike[str]]) -> Inputs:
    """Sort INPUT paths into incident files/folders and the article texts among and in them.

    Parameters
    ----------
    inputs
        Files and folders as the user gave them.

    Returns
    -------
    Inputs
        Folders go to ``incidents`` as they are, and their visible article files (any suffix
        of :data:`ARTICLE_SUFFIXES`) to ``articles``; a file goes to one list by its suffix.
    """
    found = Inputs()
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            found.incidents.append(path)
            own = own_files(path)  # map.html of an earlier `map d -o d` is no article
            found.articles += sorted(p for p in path.iterdir() if p.is_file() and p.name not in own
                                     and not p.name.startswith(".") and _is_article(p))
        elif _is_article(path):
            found.articles.append(path)
        else:
            found.incidents.append(path)
    return found


def draft_uncited(articles: Iterable[str | os.PathLike[str]], gazetteer: Any,
                  cited_urls: Iterable[str] = ()) -> tuple[list[Incident], list[ValidationProblem]]:
    """Draft incidents from article files whose URL no incident file cites, and validate them.

    Parameters
    ----------
    articles
        Article files (.txt, .md, .html ...); publication metadata comes from a
        ``sources.yaml`` beside each.
    gazetteer
        The open gazetteer places are resolved with.
    cited_urls
        URLs the incident files cite; an article with one of them is skipped
        (a trailing ``/`` does not count).

    Returns
    -------
    drafts : list of Incident
        The drafts whose place resolved and that validate, in article-path order.
    errors : list of Problem
        Why the others were left out (``article:incident ID: field: message``).
    """
    from mapper.extract.pipeline import extract_path
    from mapper.incidents.validate import check_incidents

    skip = {u.rstrip("/") for u in cited_urls if u}
    out: list[Incident] = []
    errors: list[ValidationProblem] = []
    sidecars: dict[Path, dict[str, dict[str, Any]]] = {}
    for path in sorted(Path(p) for p in articles):
        result = extract_path(path, gazetteer=gazetteer, sidecars=sidecars)
        url = (result.document.meta.get("url") or "").rstrip("/")
        if url and url in skip:
            continue
        placed = [i for i in result.incidents if i.place.resolved]
        # drafts are checked as a file's records are: one that fails is never drawn
        valid, problems = check_incidents(placed, str(path), gazetteer=gazetteer)
        out += valid
        errors += [p for p in problems if p.severity == "error"]
    return out, errors


def load_inputs(inputs: Iterable[str | os.PathLike[str]], gazetteer: Any,
                on_problem: Problem | None = None, *, draft_articles: bool = True) -> Loaded:
    """Read the incident files among ``inputs`` and draft the articles none of them cites.

    Parameters
    ----------
    inputs
        Incident files, article texts, or folders holding them.
    gazetteer
        The open gazetteer used to resolve places.
    on_problem
        Receives the reader's warnings (unresolved places, unknown categories).
    draft_articles
        False leaves the articles undrafted (``Loaded.articles`` still lists them).

    Raises
    ------
    UsageError
        When the inputs hold neither incident files nor articles.
    DataError
        When an incident file does not validate (drafts in files included).
    """
    from mapper.incidents.io import incident_files, read_incidents

    inputs = list(inputs)
    found = collect_inputs(inputs)
    if not incident_files(found.incidents) and not found.articles:
        raise UsageError(_NOTHING.format(", ".join(str(p) for p in inputs)))
    read = read_incidents(found.incidents, gazetteer=gazetteer, on_problem=on_problem,
                          allow_empty=True)
    loaded = Loaded(curated=[i for i in read if not i.is_draft],
                    drafts=[i for i in read if i.is_draft], articles=found.articles)
    if draft_articles:
        _draft_articles(loaded, gazetteer)
    return loaded


def _draft_articles(loaded: Loaded, gazetteer: Any) -> None:
    if not loaded.articles:
        return
    # a story a file already holds (curated, or drafted before) is not drafted again
    cited = {s.url for inc in loaded.incidents for s in inc.sources if s.url}
    drafted, loaded.invalid = draft_uncited(loaded.articles, gazetteer, cited)
    loaded.drafts += drafted
    loaded.drafted = len(drafted)


def load_incidents(inputs: Iterable[str | os.PathLike[str]], gazetteer: Any, *,
                   drafts: bool = False, on_problem: Problem | None = None) -> list[Incident]:
    """The incidents a map of ``inputs`` shows: the reviewed ones, and drafts only if asked.

    Parameters
    ----------
    inputs
        Incident files, article texts, or folders holding them.
    gazetteer
        The open gazetteer used to resolve places.
    drafts
        Also return the drafts (``status: draft``: from incident files, and extracted from
        articles no file cites), after the reviewed incidents; drafts that do not validate
        are left out all the same.
    on_problem
        Receives the reader's warnings. One line on the drafts drawn or left off goes to the
        ``mapper`` logger (INFO).

    Raises
    ------
    UsageError
        When the inputs hold only drafts or articles and ``drafts`` is false: nothing
        reviewed to show (the message names ``--drafts`` and ``mapper review``).
    """
    say = log.info
    loaded = load_inputs(inputs, gazetteer, on_problem, draft_articles=False)
    if not drafts and not loaded.curated and (loaded.drafts or loaded.articles):
        raise UsageError(_only_drafts(loaded))  # before the slow part: extraction
    _draft_articles(loaded, gazetteer)
    if loaded.invalid:
        bad = {(p.path, p.where) for p in loaded.invalid}
        say(f"left off {_count(bad, 'draft')} from articles that "
            f"{'does' if len(bad) == 1 else 'do'} not validate ({loaded.invalid[0]})")
    if not loaded.drafts:
        return loaded.curated
    if drafts:
        say(f"drawing {_count(loaded.drafts, 'draft')}, marked \"Draft — not reviewed\"; "
            "review them with `mapper review` before publishing")
        return loaded.incidents
    say(f"left off {_count(loaded.drafts, 'draft')} not reviewed ({_origin(loaded)}); add "
        "--drafts to draw them marked as drafts, or review them with `mapper review`")
    return loaded.curated


def stream_incidents(inputs: Iterable[str | os.PathLike[str]], gazetteer: Any, *,
                     drafts: bool = False, on_problem: Problem | None = None
                     ) -> Iterator[Incident]:
    """What :func:`load_incidents` returns, one incident at a time, for inputs that hold no
    articles: reviewed incidents as they are read, then (``drafts``) the drafts, set aside on
    disk meanwhile (:class:`mapper.incidents.spool.Spool`). Memory does not grow with the rows.

    Raises
    ------
    UsageError
        When the inputs hold articles (draft them with :func:`load_incidents`), or, at the
        end, only drafts and ``drafts`` is false.
    """
    from mapper.incidents.inputs import expand_paths
    from mapper.incidents.spool import Spool
    from mapper.incidents.validate import iter_checked

    found = collect_inputs(inputs)
    if found.articles:
        raise UsageError("stream_incidents reads incident files only; use load_incidents "
                         "to draft articles")
    files = expand_paths(found.incidents)
    if not files:
        raise UsageError(_NOTHING.format(", ".join(str(p) for p in found.incidents)))
    curated = 0
    with Spool() as held:
        for inc in iter_checked(files, gazetteer=gazetteer, on_problem=on_problem):
            if not inc.is_draft:
                curated += 1
                yield inc
            else:
                held.append(inc)
        n = len(held)
        what = f"{n} draft{'s' if n != 1 else ''}"
        if not drafts and not curated and n:
            raise UsageError(_only_drafts(Loaded(), what=f"{what} in incident files"))
        if not n:
            return
        if drafts:
            if on_problem is not None:
                on_problem(f"drawing {what}, marked \"Draft — not reviewed\"; review them with "
                           "`mapper review` before publishing")
            yield from held
        elif on_problem is not None:
            on_problem(f"left off {what} not reviewed ({n} in incident files); add --drafts to "
                       "draw them marked as drafts, or review them with `mapper review`")


def _count(items: Sized, noun: str) -> str:
    return f"{len(items)} {noun}{'s' if len(items) != 1 else ''}"


def _origin(loaded: Loaded) -> str:
    from_articles = loaded.drafted
    parts = []
    if from_articles:
        parts.append(f"{from_articles} from articles no incident file cites")
    if from_articles < len(loaded.drafts):
        parts.append(f"{len(loaded.drafts) - from_articles} in incident files")
    return ", ".join(parts)


def _only_drafts(loaded: Loaded, what: str = "") -> str:
    what = what or (f"{_count(loaded.drafts, 'draft')} in incident files" if loaded.drafts
                    else "")
    if loaded.articles:
        what += (" and " if what else "") + _count(loaded.articles, "article")
    how = ("mapper extract ARTICLES -o drafts.yaml, then mapper review drafts.yaml --into "
           "incidents.yaml" if loaded.articles else "mapper review DRAFTS --into incidents.yaml")
    return (f"nothing reviewed among the inputs, only {what}: machine drafts are not drawn "
            "unless asked; add --drafts to draw them marked \"Draft — not reviewed\", or "
            f"review them first ({how})")
