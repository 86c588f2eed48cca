"""Synthetic incidents for tests and benchmarks that need thousands (bench/ imports them from here).

:func:`synthetic_incidents`: villages in a box near the border, a tenth of them known only by
their oblast, date ranges and months, claims and sources. :func:`varied_incidents`: every field
filled, with unicode, quotes and newlines, at real places.
"""
from __future__ import annotations

import datetime as dt
import random

from mapper.incidents.model import Claim, Incident, Location, Source, Verification

CATS = ("raid", "shelling", "drone-strike", "capture")
CLAIMANTS = ("Volunteer corps", "Defence ministry", "Regional governor", "Border guard")
OUTLETS = (("Border Courier", "https://courier.example.org/"),
           ("Evening Ledger", "https://ledger.example.net/"),
           ("Valley Post", "https://valley.example.com/"))


def synthetic_incidents(n: int, seed: int = 3) -> list[Incident]:
    """``n`` incidents over 2024, deterministic for a seed."""
    rnd = random.Random(seed)
    base = dt.date(2024, 1, 1)
    out = []
    for i in range(n):
        d = base + dt.timedelta(days=rnd.randrange(0, 366))
        end, prec = None, "day"
        roll = rnd.random()
        if roll < 0.15:
            end = d + dt.timedelta(days=rnd.randrange(1, 6))
        elif roll < 0.2:
            prec = "month"
        if rnd.random() < 0.1:
            loc = Location(name="Belgorod Oblast", place_id="adm1:RU-BEL", geo_precision="admin1",
                           )
        else:
            loc = Location(name=f"Village {i % 500}", lat=round(50.0 + rnd.random() * 2.5, 5),
                           lon=round(34.5 + rnd.random() * 4.0, 5), geo_precision="settlement")
        cat = CATS[i % len(CATS)]
        summary = f"Synthetic incident {i}: a {cat} reported near {loc.name}."
        claims = [Claim(by=c, statement=f"{c} says the {cat} took place.", stance="asserts",
                        quote=f"The {cat} took place near {loc.name}, {c} said.")
                  for c in rnd.sample(CLAIMANTS, 1 + i % 2)]
        sources = [Source(outlet=o, url=f"{u}news/{i}", title=f"Report {i}",
                          published=d + dt.timedelta(days=1)) for o, u in rnd.sample(OUTLETS, 1)]
        out.append(Incident(id=f"syn-{i:06d}", date=d, date_end=end, date_precision=prec,
                            place=loc, category=cat, summary=summary, claims=claims,
                            sources=sources))
    return out


# real places near the Russia-Ukraine border (name, lat, lon), jittered a little per incident
VARIED_PLACES = [
    ("Tyotkino", 51.2731, 34.2970), ("Sudzha", 51.1918, 35.2713),
    ("Belgorod", 50.6107, 36.5802), ("Shebekino", 50.4078, 36.8897),
    ("Grayvoron", 50.4794, 35.6717), ("Glushkovo", 51.3369, 34.6469),
    ("Kozinka", 50.4475, 35.8156), ("Kharkiv", 49.9935, 36.2304), ("Sumy", 50.9077, 34.7981),
    ("Vovchansk", 50.2906, 36.9411), ("Тёткино", 51.2731, 34.2970),
    ("Krasnaya Yaruga", 50.7, 35.7),
]
VARIED_CATEGORIES = ["raid", "shelling", "air-strike", "drone-strike", "capture", "clash",
                     "explosion", "destruction", "other"]
ACTORS = ["Russian Volunteer Corps", "Freedom of Russia Legion", "Russian armed forces",
          "Ukrainian armed forces", "Border guards | FSB", "Local authorities"]
NEWS_OUTLETS = ["Example Daily", "Sample Wire", "Test Gazette"]


def varied_incidents(n: int, seed: int = 7) -> list[Incident]:
    """``n`` deterministic, varied, valid incidents (unicode, quotes, newlines, ranges, claims)
    at real places near the border (bench/bench_incidents.py measures reading them).
    """
    rng = random.Random(seed)
    start = dt.date(2022, 2, 24)
    out = []
    for i in range(n):
        name, lat, lon = VARIED_PLACES[i % len(VARIED_PLACES)]
        day = start + dt.timedelta(days=rng.randrange(900))
        span = rng.choice([0, 0, 0, 1, 3])
        url = f"https://example.org/{i // 3}/report-{i}"
        figures = {"killed": rng.randrange(5)} if rng.random() < 0.4 else {}
        claims = [Claim(by=rng.choice(ACTORS), statement=f"Statement {i} with \"quotes\"",
                        stance=rng.choice(["asserts", "asserts", "denies"]), figures=figures,
                        quote=f"Quote {i}: it said so.", source_url=url)]
        src = Source(outlet=rng.choice(NEWS_OUTLETS), title=f"Report {i} — обстрел", url=url,
                     author=None if i % 4 else "A. Writer",
                     published=day + dt.timedelta(days=span + 1), quote=f"Quote {i}: it said so.")
        out.append(Incident(
            id=f"syn-{i:06d}", date=day, date_end=day + dt.timedelta(days=span) if span else None,
            date_precision=rng.choice(["day", "day", "day", "approximate"]),
            place=Location(name=name, lat=round(lat + rng.uniform(-0.05, 0.05), 6),
                           lon=round(lon + rng.uniform(-0.05, 0.05), 6), geo_precision="exact"),
            category=rng.choice(VARIED_CATEGORIES),
            summary=f"Synthetic incident {i} near {name};\nsecond line, 'single' quotes, a: colon.",
            actors=rng.sample(ACTORS, 2), claims=claims,
            verification=Verification(status=rng.choice(["unverified", "disputed", "confirmed"]),
                                      by=[rng.choice(NEWS_OUTLETS)]),
            sources=[src], tags=[f"t{i % 17}", "synthetic"]))
    return out
