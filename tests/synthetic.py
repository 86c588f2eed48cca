"""Synthetic incidents for tests that need thousands: villages in a box near the border, a
tenth of them known only by their oblast, date ranges and months, claims and sources."""
from __future__ import annotations

import datetime as dt
import random

from mapper.incidents.model import Claim, Incident, Location, Source

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
