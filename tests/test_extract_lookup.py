"""Name look-ups for extraction are memoised per gazetteer object, never by ``id()``; the
nearness of one sense per name is the same measured within a band of latitudes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from mapper.extract.lookup import candidates_for


@dataclass
class _Answers:
    """A gazetteer that answers every name with the same candidate list, counting searches."""

    found: list[Any]
    searches: list[str] = field(default_factory=list)

    def search(self, key: str, **_options: Any) -> list[Any]:
        self.searches.append(key)
        return list(self.found)

    __hash__ = object.__hash__  # weakly referenced by identity, as a real store is


def test_memo_is_per_gazetteer_object_even_when_an_id_is_reused() -> None:
    reused = 0
    for n in range(20):
        first = _Answers([f"first {n}"])
        assert candidates_for(first, "kursk") == [f"first {n}"]
        assert candidates_for(first, "kursk") == [f"first {n}"]
        assert first.searches == ["kursk"]  # the second answer came from the memo
        old_id = id(first)
        del first
        second = _Answers([f"second {n}"])  # CPython mostly hands out the freed address again
        reused += id(second) == old_id
        assert candidates_for(second, "kursk") == [f"second {n}"]  # not the first's memo
        assert second.searches == ["kursk"]
    if not reused:
        pytest.skip("no address was reused: the case this test is about did not arise")


def test_unhashable_gazetteer_is_searched_without_a_memo() -> None:
    @dataclass
    class Unhashable:  # eq=True without a hash: cannot be a weak key
        searches: list[str] = field(default_factory=list)

        def search(self, key: str, **_options: Any) -> list[Any]:
            self.searches.append(key)
            return ["found"]

    g = Unhashable()
    assert candidates_for(g, "sumy") == ["found"]
    assert candidates_for(g, "sumy") == ["found"]
    assert g.searches == ["sumy", "sumy"]


def test_nearness_within_the_band_of_latitudes_is_nearness_to_every_place() -> None:
    import random
    from types import SimpleNamespace

    from mapper.extract.lang import pack_for
    from mapper.extract.nearness import Others, nearness

    w = pack_for("en").weights.resolve
    rng = random.Random(11)

    def place(kind: str = "settlement") -> SimpleNamespace:
        # clustered and scattered points, some right at the band's edges (300 and 2,000 km)
        lat = rng.choice([rng.uniform(-89, 89), 50 + rng.choice([-1, 1]) * rng.choice(
            [2.698, 2.6981, 2.7, 17.99, 18.0, 18.01]), rng.uniform(49, 51)])
        return SimpleNamespace(lat=lat, lon=rng.uniform(-180, 180), kind=kind)

    for _ in range(200):
        chosen = {f"k{i}": place(rng.choice(["settlement", "admin1", "country"]))
                  for i in range(rng.randrange(1, 12))}
        others = Others(chosen)
        for key in list(chosen):
            for _ in range(3):
                p = place()
                everyone = tuple((q.lat, q.lon) for k, q in chosen.items()
                                 if k != key and q.kind != "country")
                if everyone:
                    assert others.nearness(p, key, w) == nearness(p, everyone, w)
            chosen[key] = place()
            others.put(key, chosen[key])
