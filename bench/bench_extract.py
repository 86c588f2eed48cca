"""Benchmark `mapper extract`: articles per second on ~5 KB news articles, one core.

    python bench/bench_extract.py [--articles 400] [--gazetteer PATH] [--dir DIR] [--lang ru|uk]

Articles are generated from templates (our own wording) with real gazetteer names: towns of
several countries, their regions, dates, claims and figures, plus site furniture, so the work is
what a real news page asks for. ``--dir`` measures a folder of .txt articles instead. ``--lang
ru`` or ``uk`` makes ~5 KB Russian or Ukrainian articles, half from the paragraphs of the
project's own ru/uk test articles (tests/corpus/ruuk-*), half background paragraphs without
places (as in English), shuffled differently for each article.
Prints: name index load time (cold from disk, separately, wall and CPU), throughput in CPU
time (user + system, from getrusage: what one core spends, however busy the machine) and in wall
clock time, peak memory.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import time
from pathlib import Path

PARAGRAPHS = [
    "{actor} said on {weekday} that its forces had struck a depot near {town}, in {region}, "
    "destroying {n} vehicles. The claim could not be independently verified.",
    "Officials in {town2} reported shelling overnight that killed {n} people and wounded {m}, "
    "according to the regional governor. Residents of nearby {town} were evacuated.",
    "Fighting was reported over the past few days in several villages of {region}, where "
    "{actor} claimed to have captured {n} soldiers on {month} {day}.",
    "The {outlet} spoke to residents who said drones had hit an apartment block in {town} "
    "early on {month} {day}. {person} told reporters the strike was a warning.",
    "{person}, a spokesperson for {actor}, denied that any civilians had been hurt in the "
    "attack on {town2}, which lies about 40 kilometres from {town}.",
    "Police in {town} said a car bomb exploded outside a government building on {weekday}, "
    "injuring {m} passers-by. No group has claimed responsibility.",
    "Analysts in {capital} said the escalation in {region} followed weeks of talks that "
    "collapsed last month. {person} has urged both sides to return to the table.",
    "Aid agencies said more than {big} people had fled {town2} since {month} {day}, many of "
    "them towards {town} and the border with {country}.",
    "Satellite images reviewed by the {outlet} showed that the bridge linking {town} and "
    "{town2} had been destroyed, cutting the main supply route into {region}.",
    "\"We heard two explosions and then the lights went out,\" said {person}, who lives in "
    "{town}. \"Nobody came for hours.\"",
]
# Background paragraphs: real news is half context, quotes and history.
BACKGROUND = [
    "The conflict has displaced millions of people and left large parts of the region without "
    "reliable power or water. Aid groups say funding has fallen far short of what is needed.",
    "\"People are exhausted,\" {person} said. \"Every family here has lost someone or knows "
    "someone who has. We just want to be able to sleep through the night.\"",
    "Diplomats have tried for months to broker a ceasefire, but talks have repeatedly stalled "
    "over the sequencing of prisoner exchanges and the withdrawal of heavy weapons.",
    "The {outlet} has reported on the region since the start of the war, relying on local "
    "reporters, official statements and interviews with residents.",
    "Analysts say the latest fighting reflects a broader shift in strategy, with both sides "
    "relying more heavily on long-range weapons and less on costly ground assaults.",
    "{person} is a correspondent for the {outlet}. Based in {capital}, she covers security and "
    "humanitarian affairs and previously worked as a freelance reporter.",
    "Prices of bread and fuel have risen sharply this year, and many shops in the city centre "
    "now open for only a few hours a day, residents said.",
    "Officials did not respond to requests for comment. A statement posted online late in the "
    "evening repeated earlier accusations but offered no new details.",
]
FURNITURE = ["Read more", "Support independent journalism. Join us today.",
             "Sign up for our free weekly newsletter", "Share this article", "2 min read"]
ACTORS = ["the Defense Ministry", "the regional militia", "the army", "rebel forces",
          "the National Guard", "the interior ministry"]
PERSONS = ["Maria Ortega", "Daniel Okafor", "Ivan Petrenko", "Amira Haddad", "Chen Wei",
           "Sarah Lindqvist", "Tomas Novak", "Priya Raman"]
OUTLETS = ["Daily Courier", "Evening Herald", "Northern Post", "Coastal Times"]


def _places(gazetteer, rng: random.Random):
    """Real towns with their country, from the gazetteer's names."""
    towns = []
    for key, pid in gazetteer.iter_names():
        if pid.startswith("gn:") and rng.random() < 0.02:
            place = gazetteer.get(pid)
            if place and (place.population or 0) >= 20_000 and place.name.isascii():
                towns.append(place)
        if len(towns) >= 400:
            break
    countries = [p for p in (gazetteer.get(f"adm0:{c}") for c in
                             ("UA", "RU", "SY", "SD", "IN", "PK", "US", "NG", "ML", "CO"))
                 if p is not None]
    return towns, countries


def make_articles(gazetteer, count: int, size: int = 5000, seed: int = 7,
                  dense: bool = False) -> list[tuple[str, dt.date]]:
    rng = random.Random(seed)
    towns, countries = _places(gazetteer, rng)
    out = []
    for _ in range(count):
        t1, t2 = rng.sample(towns, 2)
        country = rng.choice(countries) if countries else t1
        published = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(365))
        parts = [f"{t1.name}: {rng.choice(ACTORS).capitalize()} reports new attacks", ""]
        while sum(len(p) for p in parts) < size:
            tpl = rng.choice(PARAGRAPHS if dense or rng.random() < 0.5 else BACKGROUND)
            month = (published - dt.timedelta(days=rng.randrange(1, 20)))
            parts.append(tpl.format(
                actor=rng.choice(ACTORS), town=t1.name, town2=t2.name,
                region=t1.admin1 or country.name, capital=country.name, country=country.name,
                weekday=rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
                month=month.strftime("%B"), day=month.day, n=rng.choice(["two", "12", "a dozen",
                                                                         "more than 30"]),
                m=rng.randrange(2, 40), big=rng.randrange(1000, 20000), person=rng.choice(PERSONS),
                outlet=rng.choice(OUTLETS)))
            parts.append("")
            if rng.random() < 0.15:
                parts.extend([rng.choice(FURNITURE), ""])
        out.append(("\n".join(parts)[: size + 400], published))
    return out


# Background paragraphs without places, as in the English articles (our own wording).
CYRILLIC_BACKGROUND = {
    "ru": [
        "Конфликт продолжается уже несколько лет, и жители приграничных сёл привыкли к сиренам. "
        "Многие семьи уехали к родственникам, но пожилые люди часто отказываются покидать дома.",
        "«Мы уже не считаем взрывы, — говорит местная учительница. — Дети знают, куда бежать, "
        "когда объявляют тревогу, и это страшнее всего».",
        "Эксперты отмечают, что обе стороны всё чаще используют дальнобойное оружие и дроны, а "
        "не наземные атаки. По их оценке, такая тактика сохранится в ближайшие месяцы.",
        "Власти обещают восстановить повреждённые дома до зимы, однако подрядчиков не хватает, "
        "а цены на стройматериалы за год выросли почти вдвое.",
        "Редакция не смогла связаться с представителями военных для комментария. Ранее они "
        "заявляли, что не наносят ударов по гражданским объектам.",
    ],
    "uk": [
        "Конфлікт триває вже кілька років, і мешканці прикордонних сіл звикли до сирен. Багато "
        "родин виїхали до родичів, але літні люди часто відмовляються залишати домівки.",
        "«Ми вже не рахуємо вибухів, — каже місцева вчителька. — Діти знають, куди бігти, коли "
        "оголошують тривогу, і це найстрашніше».",
        "Експерти зазначають, що обидві сторони дедалі частіше застосовують далекобійну зброю та "
        "дрони, а не наземні атаки. На їхню думку, така тактика збережеться найближчими місяцями.",
        "Влада обіцяє відновити пошкоджені будинки до зими, проте підрядників бракує, а ціни на "
        "будматеріали за рік зросли майже вдвічі.",
        "Редакції не вдалося зв'язатися з представниками військових для коментаря. Раніше вони "
        "заявляли, що не завдають ударів по цивільних об'єктах.",
    ],
}


def make_cyrillic_articles(lang: str, count: int, size: int = 5000, seed: int = 7
                           ) -> list[tuple[str, dt.date]]:
    """~``size``-character articles in ``lang`` ("ru" or "uk") from the corpus paragraphs."""
    corpus = Path(__file__).resolve().parent.parent / "tests" / "corpus"
    paragraphs: list[str] = []
    titles: list[str] = []
    for f in sorted(corpus.glob(f"ruuk-*/*_{lang}_*.txt")):
        lines = [x for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
        titles.append(lines[0])
        paragraphs.extend(lines[1:])
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts = [rng.choice(titles), ""]
        while sum(len(p) for p in parts) < size:
            # half event paragraphs from the corpus, half background, as in English
            pool = paragraphs if rng.random() < 0.5 else CYRILLIC_BACKGROUND[lang]
            parts.extend([rng.choice(pool), ""])
        published = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(365))
        out.append(("\n".join(parts)[: size + 400], published))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--gazetteer", default=None)
    ap.add_argument("--dir", default=None, help="a folder of .txt articles to use instead")
    ap.add_argument("--repeat", type=int, default=1,
                    help="passes over the same articles; the first runs with cold caches and is "
                         "the figure to compare, later ones show the warm speed")
    ap.add_argument("--lang", choices=("ru", "uk"), default=None,
                    help="Russian or Ukrainian articles (from the corpus paragraphs)")
    ap.add_argument("--dense", action="store_true",
                    help="event paragraphs only (every paragraph names places and events)")
    ap.add_argument("--ner", action="append", metavar="MODEL",
                    help="also run a statistical recogniser (mapper extract --ner MODEL); its "
                         "loading is reported apart, like the name index's")
    ap.add_argument("--ner-use", default=None, help="both, add or veto (mapper extract --ner-use)")
    args = ap.parse_args(argv)

    from mapper.extract.pipeline import extract_article
    from mapper.extract.nameindex import NameIndex
    from mapper.gazetteer.access import open_gazetteer

    t0 = time.perf_counter()
    gazetteer = open_gazetteer(args.gazetteer or None)
    t_open = time.perf_counter() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    c0 = _cpu()
    index = NameIndex.for_gazetteer(gazetteer)
    c_index = _cpu() - c0
    rss_index = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"gazetteer open: {t_open:.2f} s; name index: {len(index):,} names, "
          f"{'built and saved' if index.built else 'loaded from disk'} in "
          f"{index.load_seconds:.2f} s wall ({c_index:.2f} s CPU); "
          f"peak RSS {rss_before:.0f} MB -> {rss_index:.0f} MB")

    from mapper.extract.ner import NerConfig

    ner = NerConfig.of(args.ner, args.ner_use)
    if ner is not None:
        c0 = _cpu()
        ner.load_all()
        print(f"statistical recogniser {', '.join(ner.models)} (--ner-use {ner.use}): loaded "
              f"in {_cpu() - c0:.2f} s CPU")
    if args.dir:
        files = sorted(Path(args.dir).glob("*.txt"))
        articles = [(f.read_text(encoding="utf-8"), None) for f in files]
    elif args.lang:
        articles = make_cyrillic_articles(args.lang, args.articles)
    else:
        articles = make_articles(gazetteer, args.articles, dense=args.dense)
    total = sum(len(t) for t, _ in articles)
    # warm-up on a separate set of names would hide the candidate look-ups; run cold, once
    for n in range(args.repeat):
        t1 = time.perf_counter()
        u1, s1 = _cpu_split()  # CPU time: what one core spends, whatever else the machine runs
        n_inc = n_men = 0
        for text, published in articles:
            result = extract_article(text, gazetteer=gazetteer, published=published, ner=ner)
            n_inc += len(result.incidents)
            n_men += len(result.mentions)
        elapsed = time.perf_counter() - t1
        u2, s2 = _cpu_split()
        cpu = (u2 - u1) + (s2 - s1)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if n == 0:
            print(f"articles: {len(articles)} (mean {total / len(articles) / 1000:.1f} KB), "
                  f"{n_men} mentions, {n_inc} draft incidents")
        print(f"{'throughput' if n == 0 else f'pass {n + 1} (warm caches)'}: "
              f"{len(articles) / cpu:.0f} articles/s per core of CPU time "
              f"({total / cpu / 1e6:.2f} MB/s of text; {cpu * 1000 / len(articles):.2f} ms CPU per "
              f"article: user {(u2 - u1) * 1000 / len(articles):.2f}, sys "
              f"{(s2 - s1) * 1000 / len(articles):.2f}); wall clock "
              f"{len(articles) / elapsed:.0f} articles/s")
    print(f"peak memory (max RSS): {rss:.0f} MB")
    return 0


def _cpu_split() -> tuple[float, float]:
    """(user, system) CPU seconds of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def _cpu() -> float:
    return sum(_cpu_split())


if __name__ == "__main__":
    sys.exit(main())
