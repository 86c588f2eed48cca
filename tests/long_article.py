"""Long article text for the section tests and ``bench/bench_long_article.py`` (our own words).

Each story is one paragraph about one town, dated and attributed, so a text made of them reads
the same whole or cut between paragraphs.
"""
from __future__ import annotations

import random

# big, unambiguous towns of the cross-border war, each with its region
TOWNS = [("Kharkiv", "Kharkiv Oblast"), ("Sumy", "Sumy Oblast"), ("Belgorod", "Belgorod Oblast"),
         ("Kursk", "Kursk Oblast"), ("Odesa", "Odesa Oblast"), ("Dnipro", "Dnipropetrovsk Oblast"),
         ("Zaporizhzhia", "Zaporizhzhia Oblast"), ("Mykolaiv", "Mykolaiv Oblast"),
         ("Kherson", "Kherson Oblast"), ("Poltava", "Poltava Oblast"),
         ("Chernihiv", "Chernihiv Oblast"), ("Bryansk", "Bryansk Oblast"),
         ("Voronezh", "Voronezh Oblast"), ("Lviv", "Lviv Oblast")]

STORIES = [
    "Drones struck {town} early on March {day}, the regional governor said. Two residents "
    "were wounded and a school was damaged, local officials said.",
    "Artillery shelled the outskirts of {town} on March {day}, killing one man, the mayor "
    "said. Emergency crews put out fires in several houses.",
    "A missile hit an industrial site in {town} on March {day}, the regional administration "
    "said. Nobody was hurt, but windows were broken in nearby streets.",
    "Officials in {town} reported an explosion at a rail depot on March {day}. The cause was "
    "not yet known, and police sealed off the area.",
]
QUIET = [
    "Residents said the market reopened after a week of closures, and buses ran again on the "
    "main routes. Teachers hoped to bring pupils back to classrooms soon.",
    "Volunteers handed out blankets and water at the railway station. Many families said they "
    "planned to stay with relatives until the heating was repaired.",
]


def story(town: str, day: int, kind: int = 0) -> str:
    """One dated paragraph about ``town`` (``kind`` picks the wording)."""
    return STORIES[kind % len(STORIES)].format(town=town, day=day)


def long_article(chars: int, seed: int = 5) -> str:
    """About ``chars`` characters of paragraphs: stories about the towns, quiet paragraphs."""
    rng = random.Random(seed)
    parts = ["Strikes and shelling across the border regions", ""]
    size = 0
    while size < chars:
        if rng.random() < 0.7:
            town, _region = rng.choice(TOWNS)
            para = story(town, rng.randrange(1, 28), rng.randrange(len(STORIES)))
        else:
            para = rng.choice(QUIET)
        parts.extend([para, ""])
        size += len(para) + 2
    return "\n".join(parts)
