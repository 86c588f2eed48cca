"""From inputs to incidents: the steps ``mapper map`` and the Python API share.

1. :func:`collect_inputs` sorts the paths given into incident files (or folders of them) and
   article texts.
2. The curated incidents are read from the incident files (``mapper.incidents.io``).
3. :func:`draft_uncited` drafts incidents from the articles no curated incident cites
   (``mapper.extract``), so a curated story is never drawn twice.

>>> from mapper.pipeline import ARTICLE_SUFFIXES
>>> ".markdown" in ARTICLE_SUFFIXES and ".html" in ARTICLE_SUFFIXES
True
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapper.errors import UsageError
from mapper.extract.text import ARTICLE_SUFFIXES
from mapper.outputset import own_files

if TYPE_CHECKING:
    from mapper.incidents.model import Incident

__all__ = ["ARTICLE_SUFFIXES", "Inputs", "Loaded", "collect_inputs", "draft_uncited",
           "load_inputs", "load_incidents"]

Problem = Callable[[str], Any]


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
    """What the inputs hold: curated incidents, and drafts from articles no curated one cites."""

    curated: list[Incident] = field(default_factory=list)
    drafts: list[Incident] = field(default_factory=list)

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
                  cited_urls: Iterable[str] = ()) -> list[Incident]:
    """Draft incidents from article files whose URL no curated incident cites.

    Parameters
    ----------
    articles
        Article files (.txt, .md, .html ...); publication metadata comes from a
        ``sources.yaml`` beside each.
    gazetteer
        The open gazetteer places are resolved with.
    cited_urls
        URLs the curated incidents cite; an article with one of them is skipped
        (a trailing ``/`` does not count).

    Returns
    -------
    list of Incident
        The drafts whose place resolved, in article-path order.
    """
    from mapper.extract.pipeline import extract_path

    skip = {u.rstrip("/") for u in cited_urls if u}
    out: list[Incident] = []
    sidecars: dict[Path, dict[str, dict[str, Any]]] = {}
    for path in sorted(Path(p) for p in articles):
        result = extract_path(path, gazetteer=gazetteer, sidecars=sidecars)
        url = (result.document.meta.get("url") or "").rstrip("/")
        if url and url in skip:
            continue
        out.extend(i for i in result.incidents if i.place.resolved)
    return out


def load_inputs(inputs: Iterable[str | os.PathLike[str]], gazetteer: Any,
                on_problem: Problem | None = None) -> Loaded:
    """Read the curated incidents among ``inputs`` and draft the articles none of them cites.

    Parameters
    ----------
    inputs
        Incident files, article texts, or folders holding them.
    gazetteer
        The open gazetteer used to resolve places.
    on_problem
        Receives the reader's warnings (unresolved places, unknown categories).

    Raises
    ------
    UsageError
        When the inputs hold neither incident files nor articles.
    """
    from mapper.incidents.io import incident_files, read_incidents

    inputs = list(inputs)
    found = collect_inputs(inputs)
    if not incident_files(found.incidents) and not found.articles:
        raise UsageError("no incident files or articles among the inputs "
                         f"({', '.join(str(p) for p in inputs)}); give .yaml, .json, .geojson "
                         "or .csv incident files, .txt/.md/.html articles, or a folder "
                         "holding them")
    loaded = Loaded(curated=list(read_incidents(found.incidents, gazetteer=gazetteer,
                                                on_problem=on_problem)))
    if found.articles:
        cited = {s.url for inc in loaded.curated for s in inc.sources if s.url}
        loaded.drafts = draft_uncited(found.articles, gazetteer, cited)
    return loaded


def load_incidents(inputs: Iterable[str | os.PathLike[str]], gazetteer: Any,
                   on_problem: Problem | None = None) -> list[Incident]:
    """Every incident the map should show: the curated files, then drafts from articles.

    ``on_problem`` receives the reader's warnings and one line when articles were drafted.
    See :func:`load_inputs` for the parts separately.
    """
    loaded = load_inputs(inputs, gazetteer, on_problem)
    if loaded.drafts and on_problem is not None:
        on_problem(f"drafted {len(loaded.drafts)} incident(s) from articles no curated file "
                   "cites; review them with `mapper extract` before publishing")
    return loaded.incidents
