#!/usr/bin/env python3
"""Generate a synthetic, chronicle-shaped corpus for benchmarking.

Writes a chronicle site (``--out``) and, from the same data in the same run,
an equivalent Hugo site (``--hugo-out``). Everything is derived from
``--seed``: two runs with the same arguments write byte-identical files.

    bench/gen_corpus.py --articles 10000 --seed 1 --out /tmp/c --hugo-out /tmp/h

See docs/benchmarks.md for what the corpus looks like and how the two sites
correspond.
"""

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import shutil
import sys
from bisect import bisect_left
from itertools import accumulate

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

SITE_TZ = "Europe/Kyiv"
FIRST_DAY = dt.date(2021, 12, 1)
DAYS = 90  # 1 December 2021 to 28 February 2022
# No zone used here changes its clocks between December and February, so
# fixed offsets are exact over the corpus's range.
ZONES = {
    None: (2, "EET"),  # the site's zone
    "Europe/Kyiv": (2, "EET"),
    "UTC": (0, "UTC"),
    "America/New_York": (-5, "EST"),
    "Europe/Moscow": (3, "MSK"),
}
KYIV = dt.timezone(dt.timedelta(hours=2))

WORDS_PER_ARTICLE = 600


# --------------------------------------------------------------- helpers

def q(s):
    """A YAML (and JSON) double-quoted scalar."""
    if '"' in s or "\\" in s or not s.isprintable():
        return json.dumps(s, ensure_ascii=False)
    return '"' + s + '"'


def ylist(items):
    return "[" + ", ".join(q(x) for x in items) + "]"


def slug(s):
    out = []
    dash = False
    for c in s.lower():
        if c.isascii() and c.isalnum():
            out.append(c)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def sub_rng(seed, *parts):
    return random.Random(":".join(str(p) for p in (seed,) + parts))


# --------------------------------------------------------------- the world

CONS = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
        "br", "dr", "kr", "pr", "st", "tr", "sh", "ch", "zh", "kh", "sl", "gr"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ei", "ou", "ia", "y"]
CODAS = ["", "", "", "n", "r", "s", "l", "k", "m", "t", "sk", "nd"]


def make_word(rng, syllables):
    w = "".join(rng.choice(CONS) + rng.choice(VOWELS) for _ in range(syllables))
    return w + rng.choice(CODAS)


class World:
    """Vocabulary, registries and outlets: everything shared by all articles."""

    def __init__(self, seed, articles):
        rng = sub_rng(seed, "world")
        self.seed = seed
        self.articles = articles
        # Vocabulary: short frequent words, longer rare ones, Zipf weights.
        seen = set()
        vocab = []
        function_words = ["the", "a", "of", "to", "in", "and", "on", "for", "with", "by",
                          "at", "from", "as", "was", "is", "that", "it", "had", "after",
                          "over", "its", "their", "said", "would", "could", "not", "has"]
        for w in function_words:
            seen.add(w)
            vocab.append(w)
        while len(vocab) < 4000:
            w = make_word(rng, rng.choice([1, 2, 2, 2, 3, 3, 4]))
            if len(w) < 3 or w in seen:
                continue
            seen.add(w)
            vocab.append(w)
        self.vocab = vocab
        cum = list(accumulate(1.0 / (i + 2) ** 1.05 for i in range(len(vocab))))
        # Sampling table: each word as often as its Zipf weight says, so that
        # drawing a word is one uniform index (much faster than bisecting).
        size = 1 << 16
        self.table = [vocab[bisect_left(cum, (k + 0.5) / size * cum[-1])] for k in range(size)]

        # Outlets.
        self.outlets = []
        forms = ["{} Press", "{} News", "The {} Times", "{} Radio", "{} Agency",
                 "{} Telegraph", "{} Daily", "{} Live"]
        used = set()
        while len(self.outlets) < 32:
            name = rng.choice(forms).format(make_word(rng, 2).capitalize())
            if name not in used:
                used.add(name)
                self.outlets.append(name)

        self.outlet_cum = list(accumulate(1.0 / (i + 2) for i in range(len(self.outlets))))
        self._topics(rng)
        self._threads(rng)
        self._actors(rng)

    # Names must be unique in each registry (ignoring case), or the build
    # warns `ambiguous-name`.
    def _claim(self, taken, *names):
        keys = [n.lower() for n in names]
        if any(k in taken for k in keys) or len(set(keys)) < len(keys):
            return False
        taken.update(keys)
        return True

    def _topics(self, rng):
        taken = set()
        self.topics = []
        while len(self.topics) < 40:
            name = " ".join(make_word(rng, rng.choice([2, 3])) for _ in range(rng.choice([1, 2]))).capitalize()
            tid = slug(name)
            alias = name.split()[0].upper()[:4] + "-" + str(len(self.topics))
            if not self._claim(taken, tid, name, alias):
                continue
            self.topics.append({
                "id": tid, "name": name,
                "aliases": [alias] if rng.random() < 0.3 else [],
                "description": self.sentence(rng, 10, 20),
            })
        self.topic_cum = list(accumulate(1.0 / (i + 3) for i in range(len(self.topics))))

    def _threads(self, rng):
        taken = set()
        n = 200 + self.articles // 100
        self.threads = []
        while len(self.threads) < n:
            title = self.headline(rng, 3, 7)
            tid = "-".join(slug(title).split("-")[:4]) + "-" + str(len(self.threads))
            aliases = [title.split()[0].lower() + "-story-" + str(len(self.threads))] if rng.random() < 0.2 else []
            if not self._claim(taken, tid, title, *aliases):
                continue
            topics = rng.sample(range(len(self.topics)), rng.randint(1, 3))
            self.threads.append({
                "id": tid, "title": title, "aliases": aliases,
                "summary": " ".join(self.sentence(rng, 10, 20) for _ in range(rng.randint(1, 3))),
                "topics": [self.topics[t]["id"] if rng.random() < 0.7 else self.topics[t]["name"]
                           for t in topics],
                "topic_ids": [self.topics[t]["id"] for t in topics],
            })
        self.thread_cum = list(accumulate(1.0 / (i + 20) for i in range(n)))

    def _actors(self, rng):
        taken = set()
        n = 2000 + self.articles // 20
        n_states = 60
        n_orgs = n // 10
        n_groups = n // 10
        self.actors = []
        titles = ["Foreign Minister", "Defence Minister", "President", "Prime Minister",
                  "Ambassador", "spokesperson", "Chief of Staff", "envoy", "General",
                  "commander", "analyst", "Secretary-General", "governor", "mayor"]

        def add(actor):
            if not self._claim(taken, actor["id"], actor["name"], *actor["aliases"]):
                # Retry without the aliases that clash.
                if not self._claim(taken, actor["id"], actor["name"]):
                    return False
                ok = []
                for a in actor["aliases"]:
                    if self._claim(taken, a):
                        ok.append(a)
                actor["aliases"] = ok
            self.actors.append(actor)
            return True

        while len(self.actors) < n_states:
            root = make_word(rng, rng.choice([2, 3])).capitalize()
            name = rng.choice(["Republic of {}", "{}", "Kingdom of {}", "{} Federation"]).format(root)
            add({"id": slug(root), "name": name, "kind": "state",
                 # The root ("Zhuchyt") is the id, which resolves as well as an alias.
                 "aliases": [root + " government", "Government of " + root, root + "n authorities"][:rng.randint(1, 3)],
                 "role": "State " + self.phrase(rng, 3, 6),
                 "affiliation": None,
                 "description": self.sentence(rng, 12, 24) if rng.random() < 0.5 else None})
        states = list(range(len(self.actors)))
        while len(self.actors) < n_states + n_orgs:
            root = make_word(rng, rng.choice([2, 3])).capitalize()
            kind = rng.choice(["Council", "Alliance", "Ministry", "Agency", "Union", "Bank", "Office"])
            name = f"{root} {kind}"
            acronym = (root[:2] + kind[0]).upper()
            aff = rng.choice(states) if rng.random() < 0.5 else None
            add({"id": slug(name), "name": name, "kind": rng.choice(["organisation", "organisation", "organization"]),
                 "aliases": [acronym, root][:rng.randint(1, 2)],
                 "role": self.phrase(rng, 3, 7).capitalize(),
                 "affiliation": aff,
                 "description": self.sentence(rng, 12, 24) if rng.random() < 0.3 else None})
        orgs = list(range(n_states, len(self.actors)))
        while len(self.actors) < n_states + n_orgs + n_groups:
            root = make_word(rng, rng.choice([2, 3])).capitalize()
            name = rng.choice(["{} Movement", "{} Front", "{} Brigade", "{} Bloc"]).format(root)
            add({"id": slug(name), "name": name, "kind": "group",
                 "aliases": [root + "s", "the " + name][:rng.randint(1, 2)],
                 "role": self.phrase(rng, 3, 6).capitalize() if rng.random() < 0.6 else None,
                 "affiliation": rng.choice(states + orgs) if rng.random() < 0.3 else None,
                 "description": None})
        while len(self.actors) < n:
            first = make_word(rng, rng.choice([2, 2, 3])).capitalize()
            last = make_word(rng, rng.choice([2, 3, 3, 4])).capitalize()
            name = f"{first} {last}"
            aliases = [last, f"{first[0]}. {last}", f"{rng.choice(['Mr', 'Ms', 'Dr'])} {last}"]
            aff = rng.choice(states + orgs) if rng.random() < 0.8 else None
            role = rng.choice(titles)
            if aff is not None:
                role += " of " + self.actors[aff]["name"]
            add({"id": slug(name), "name": name, "kind": "person",
                 "aliases": aliases[:rng.randint(1, 3)],
                 "role": role, "affiliation": aff,
                 "description": self.sentence(rng, 12, 24) if rng.random() < 0.2 else None})
        self.persons = [i for i, a in enumerate(self.actors) if a["kind"] == "person"]
        # A mild popularity skew: a few actors appear often, most rarely.
        self.actor_cum = list(accumulate(1.0 / (i + 30) ** 0.9 for i in range(len(self.actors))))
        self.person_cum = list(accumulate(1.0 / (i + 30) ** 0.9 for i in range(len(self.persons))))

    # ----------------------------------------------------------- text

    def words(self, rng, n):
        return rng.choices(self.table, k=n)

    def phrase(self, rng, lo, hi):
        return " ".join(self.words(rng, rng.randint(lo, hi)))

    def sentence(self, rng, lo, hi):
        return self.phrase(rng, lo, hi).capitalize() + "."

    def headline(self, rng, lo, hi):
        return self.phrase(rng, lo, hi).capitalize()

    def pick(self, rng, cum, n):
        total = cum[-1]
        out = []
        for _ in range(n * 3):
            i = bisect_left(cum, rng.random() * total)
            if i not in out:
                out.append(i)
            if len(out) == n:
                break
        return out

    # ----------------------------------------------------------- references

    def actor_ref(self, rng, i):
        a = self.actors[i]
        r = rng.random()
        if r < 0.4:
            return a["id"]
        if r < 0.7 or not a["aliases"]:
            return a["name"]
        return rng.choice(a["aliases"])

    def topic_ref(self, rng, i):
        t = self.topics[i]
        r = rng.random()
        if r < 0.6:
            return t["id"]
        if r < 0.9 or not t["aliases"]:
            return t["name"]
        return t["aliases"][0]

    def thread_ref(self, rng, i):
        t = self.threads[i]
        r = rng.random()
        if r < 0.8:
            return t["id"]
        if r < 0.95 or not t["aliases"]:
            return t["title"]
        return t["aliases"][0]


# --------------------------------------------------------------- articles

def day_weights():
    # The crisis intensifies: late days carry about three times the early ones.
    return list(accumulate(1.0 + 2.0 * d / (DAYS - 1) for d in range(DAYS)))


DAY_CUM = day_weights()


def article_meta(world, i):
    """An article's metadata, derived from (seed, i) alone, so that another
    article can find out about it (for `same_as`) without generating it."""
    rng = sub_rng(world.seed, i, "meta")
    day = bisect_left(DAY_CUM, rng.random() * DAY_CUM[-1])
    r = rng.random()
    zone = None if r < 0.6 else "UTC" if r < 0.85 else "America/New_York" if r < 0.95 else "Europe/Moscow"
    offset, _ = ZONES[zone]
    local_date = FIRST_DAY + dt.timedelta(days=day)
    minute = rng.randint(6 * 60, 23 * 60 + 30)
    local = dt.datetime.combine(local_date, dt.time(minute // 60, minute % 60))
    tz = dt.timezone(dt.timedelta(hours=offset))
    instant = local.replace(tzinfo=tz)
    r = rng.random()
    if r < 0.5:
        published = instant.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    elif r < 0.8:
        published = local.strftime("%Y-%m-%d %H:%M")
    else:
        published = local_date.isoformat()
        instant = dt.datetime.combine(local_date, dt.time(0, 0)).replace(tzinfo=tz)
    outlet = world.outlets[bisect_left(world.outlet_cum, rng.random() * world.outlet_cum[-1])]
    stem = f"{slug(outlet)}-{local_date.strftime('%m%d')}-{i:06d}"
    # The published date in the article's zone, the date "HH:MM" entries are on.
    return {
        "i": i, "zone": zone, "published": published, "pub_date": local_date,
        "pub_instant": instant, "day": day, "outlet": outlet, "stem": stem,
        "dir": f"{local_date.year:04d}/{local_date.month:02d}",
        "title": world.headline(rng, 5, 11),
        "md": rng.random() < 0.5,
    }


def entry_time(world, rng, meta, first):
    """An entry's `at` as written, and its instant (None when all day) and day in the site's zone."""
    back = min(rng.choice([0, 0, 0, 0, 1, 1, 2]), meta["day"])
    zone = meta["zone"]
    offset, _ = ZONES[zone]
    tz = dt.timezone(dt.timedelta(hours=offset))
    r = rng.random()
    if r < 0.1 and not first:
        date = meta["pub_date"] - dt.timedelta(days=back)
        return date.isoformat(), None, date
    if r < 0.4 and not first:
        # "HH:MM": on the published date, in the article's zone.
        minute = rng.randint(0, 24 * 60 - 1)
        local = dt.datetime.combine(meta["pub_date"], dt.time(minute // 60, minute % 60))
        at = local.strftime("%H:%M")
    else:
        minute = rng.randint(0, 24 * 60 - 1)
        local = dt.datetime.combine(meta["pub_date"] - dt.timedelta(days=back),
                                    dt.time(minute // 60, minute % 60))
        if r < 0.7:
            at = local.strftime("%Y-%m-%d %H:%M")
        else:
            inst = local.replace(tzinfo=tz)
            if rng.random() < 0.5:
                at = inst.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            else:
                at = inst.isoformat()
    instant = local.replace(tzinfo=tz)
    kyiv = instant.astimezone(KYIV)
    if kyiv.date() < FIRST_DAY:
        # Keep every entry inside the corpus's range: move it into the first day.
        return entry_time_fix(meta, zone)
    return at, instant, kyiv.date()


def entry_time_fix(meta, zone):
    offset, _ = ZONES[zone]
    tz = dt.timezone(dt.timedelta(hours=offset))
    local = dt.datetime.combine(meta["pub_date"], dt.time(12, 0))
    return local.strftime("%Y-%m-%d %H:%M"), local.replace(tzinfo=tz), local.replace(tzinfo=tz).astimezone(KYIV).date()


def plan_entry(world, rng, meta, k):
    """An entry's declared data (everything but its passages)."""
    at, instant, day = entry_time(world, rng, meta, k == 0)
    headline = world.headline(rng, 6, 12)
    r = rng.random()
    threads = world.pick(rng, world.thread_cum, 1 if r < 0.6 else 2) if r < 0.9 else []
    actors = world.pick(rng, world.actor_cum, rng.randint(1, 4))
    topics = world.pick(rng, world.topic_cum, rng.choice([0, 1, 1, 1, 2]))
    e = {
        "k": k, "at": at, "instant": instant, "day": day, "headline": headline,
        "summary": " ".join(world.sentence(rng, 10, 22) for _ in range(rng.randint(1, 2))) if rng.random() < 0.6 else None,
        "threads": threads, "actors": actors, "topics": topics,
        "thread_form": "thread" if len(threads) == 1 and rng.random() < 0.5 else "threads",
        "thread_refs": [world.thread_ref(rng, t) for t in threads],
        "actor_refs": [world.actor_ref(rng, a) for a in actors],
        "topic_refs": [world.topic_ref(rng, t) for t in topics],
        "place": world.phrase(rng, 1, 2).title() if rng.random() < 0.5 else None,
    }
    # The first entry always has an explicit id (same_as targets it); others
    # mostly do, the rest have the id chronicle derives from day and headline.
    if k == 0 or rng.random() < 0.75:
        e["id"] = f"e{meta['i']:06d}-{k}"
        e["explicit_id"] = True
    else:
        e["id"] = f"{day.isoformat()}-" + "-".join(slug(headline).split("-")[:8])
        e["explicit_id"] = False
    return e


def first_entry(world, meta):
    return plan_entry(world, sub_rng(world.seed, meta["i"], "first"), meta, 0)


def build_text(world, rng, md, quote_speakers):
    """About WORDS_PER_ARTICLE words in sentences and paragraphs. Returns
    (sentences, each [words, "plain" or "quote", speaker]; the body as
    written, with the odd *emphasis* when `md`; the text a reader sees)."""
    sentences = []  # (words, kind, speaker_alias)
    total = 0
    qi = 0
    while total < WORDS_PER_ARTICLE:
        n = rng.randint(8, 22)
        words = world.words(rng, n)
        words[0] = words[0].capitalize()
        kind = "plain"
        speaker = None
        if qi < len(quote_speakers) and rng.random() < 0.25:
            kind = "quote"
            speaker = quote_speakers[qi]
            qi += 1
        sentences.append([words, kind, speaker])
        total += n
    # Any speakers left get sentences at the end.
    while qi < len(quote_speakers):
        words = world.words(rng, rng.randint(8, 16))
        words[0] = words[0].capitalize()
        sentences.append([words, "quote", quote_speakers[qi]])
        qi += 1
    paragraphs = []
    i = 0
    while i < len(sentences):
        n = rng.randint(2, 5)
        paragraphs.append(list(range(i, min(i + n, len(sentences)))))
        i += n

    def render(s, emphasis):
        words, kind, speaker = sentences[s]
        ws = list(words)
        if emphasis is not None:
            ws[emphasis] = "*" + ws[emphasis] + "*"
        body = " ".join(ws)
        if kind == "quote":
            return f"{speaker} said: \u201c{body}.\u201d"
        return body + "."

    md_paras = []
    plain_paras = []
    for p in paragraphs:
        mdp = []
        pp = []
        for s in p:
            words = sentences[s][0]
            emph = rng.randrange(len(words)) if md and rng.random() < 0.08 else None
            mdp.append(render(s, emph))
            pp.append(render(s, None))
        md_paras.append(" ".join(mdp))
        plain_paras.append(" ".join(pp))
    body = "\n\n".join(md_paras) + "\n"
    plain = "\n\n".join(plain_paras)
    return sentences, body, plain


def make_article(world, i):
    meta = article_meta(world, i)
    rng = sub_rng(world.seed, i, "body")
    n_entries = rng.choice([1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 7, 8])
    entries = [first_entry(world, meta)]
    same_as = set()
    for k in range(1, n_entries):
        if i > 0 and rng.random() < 0.04:
            j = rng.randrange(max(0, i - 2000), i)
            if j in same_as:
                continue
            same_as.add(j)
            target_meta = article_meta(world, j)
            target = first_entry(world, target_meta)
            target["same_as"] = True
            target["declared_in"] = target_meta["stem"]
            entries.append(target)
        else:
            entries.append(plan_entry(world, rng, meta, k))
    # Quotes: some declared entries get one, spoken by a person.
    quote_speakers = []
    for e in entries:
        e["quotes"] = []
        if not e.get("same_as") and rng.random() < 0.3:
            p = world.persons[world.pick(rng, world.person_cum, 1)[0]]
            actor = world.actors[p]
            said = rng.choice([actor["name"]] + actor["aliases"])
            e["quote_by"] = (p, world.actor_ref(rng, p), said)
            quote_speakers.append(said)
    sentences, body, plain = build_text(world, rng, meta["md"], quote_speakers)

    # Passages: each entry gets distinct sentences, a span of words in each.
    plain_sentences = [i for i, s in enumerate(sentences) if s[1] == "plain"]
    quote_sentences = [i for i, s in enumerate(sentences) if s[1] == "quote"]
    rng.shuffle(plain_sentences)
    qs = iter(quote_sentences)
    for e in entries:
        e["evidence"] = []
        n = rng.choice([1, 1, 2, 2, 3])
        for _ in range(n):
            if not plain_sentences:
                break
            words = sentences[plain_sentences.pop()][0]
            length = rng.randint(5, min(10, len(words)))
            start = rng.randint(0, len(words) - length)
            exact = " ".join(words[start:start + length])
            if plain.count(exact) != 1:
                continue
            if start > 0 and rng.random() < 0.15:
                e["evidence"].append({"exact": exact, "prefix": words[start - 1] + " "})
            else:
                e["evidence"].append(exact)
        if "quote_by" in e:
            s = next(qs)
            words = sentences[s][0]
            length = rng.randint(4, min(9, len(words)))
            start = rng.randint(0, len(words) - length)
            text = " ".join(words[start:start + length])
            if plain.count(text) == 1:
                p, ref, said = e["quote_by"]
                e["quotes"].append({"by": ref, "by_index": p, "text": text})
    return meta, entries, body


def entry_yaml(world, e, out):
    if e.get("same_as"):
        out.append(f"  - same_as: {q(e['id'])}\n")
    else:
        out.append(f"  - id: {q(e['id'])}\n" if e["explicit_id"] else f"  - headline: {q(e['headline'])}\n")
        out.append(f"    at: {q(e['at'])}\n")
        if e["explicit_id"]:
            out.append(f"    headline: {q(e['headline'])}\n")
        if e["summary"]:
            out.append(f"    summary: {q(e['summary'])}\n")
        if e["threads"]:
            if e["thread_form"] == "thread":
                out.append(f"    thread: {q(e['thread_refs'][0])}\n")
            else:
                out.append(f"    threads: {ylist(e['thread_refs'])}\n")
        if len(e["actor_refs"]) == 1 and e["k"] % 2:
            out.append(f"    actors: {q(e['actor_refs'][0])}\n")
        else:
            out.append(f"    actors: {ylist(e['actor_refs'])}\n")
        if e["topic_refs"]:
            out.append(f"    topics: {ylist(e['topic_refs'])}\n")
        if e["place"]:
            out.append(f"    place: {q(e['place'])}\n")
    if e["evidence"]:
        out.append("    evidence:\n")
        for ev in e["evidence"]:
            if isinstance(ev, dict):
                out.append(f"      - exact: {q(ev['exact'])}\n        prefix: {q(ev['prefix'])}\n")
            else:
                out.append(f"      - {q(ev)}\n")
    if e["quotes"]:
        out.append("    quotes:\n")
        for qu in e["quotes"]:
            out.append(f"      - by: {q(qu['by'])}\n        text: {q(qu['text'])}\n")


def chronicle_annotations(world, meta, entries):
    out = [f"title: {q(meta['title'])}\n", f"source: {q(meta['outlet'])}\n",
           f"url: {q('https://news.example.org/' + meta['stem'])}\n",
           f"published: {q(meta['published'])}\n"]
    if meta["zone"]:
        out.append(f"timezone: {meta['zone']}\n")
    out.append("entries:\n")
    for e in entries:
        entry_yaml(world, e, out)
    return "".join(out)


# --------------------------------------------------------------- Hugo

def link(item, name_field):
    return "{id: " + q(item["id"]) + ", name: " + q(item[name_field]) + "}"


MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def date_label(d):
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"


def hugo_page(world, meta, entries, body):
    actors, topics, threads, days = {}, {}, {}, {}
    out = [f"---\ntitle: {q(meta['title'])}\n",
           f"date: {q(meta['pub_instant'].isoformat())}\n",
           f"source: {q(meta['outlet'])}\n",
           f"original_url: {q('https://news.example.org/' + meta['stem'])}\n",
           "entries:\n"]
    for e in entries:
        actor_ids = list(e["actors"])
        for qu in e["quotes"]:
            if qu["by_index"] not in actor_ids:
                actor_ids.append(qu["by_index"])
        for a in actor_ids:
            actors[world.actors[a]["id"]] = 1
        for t in e["topics"]:
            topics[world.topics[t]["id"]] = 1
        for t in e["threads"]:
            threads[world.threads[t]["id"]] = 1
        days[e["day"].isoformat()] = 1
        out.append(f"  - id: {q(slug(e['id']))}\n    headline: {q(e['headline'])}\n")
        # Labels are computed once per entry, as chronicle's views compute them.
        out.append(f"    day: {q(e['day'].isoformat())}\n    date_label: {q(date_label(e['day']))}\n")
        if e["instant"] is None:
            out.append(f"    datetime: {q(e['day'].isoformat())}\n    all_day: true\n")
        else:
            kyiv = e['instant'].astimezone(KYIV)
            out.append(f"    datetime: {q(kyiv.isoformat())}\n    time_label: {q(kyiv.strftime('%H:%M') + ' EET')}\n")
            zone = meta["zone"]
            if zone not in (None, SITE_TZ):
                offset, abbr = ZONES[zone]
                src = e["instant"].astimezone(dt.timezone(dt.timedelta(hours=offset)))
                out.append(f"    source_time: {q(src.strftime('%H:%M') + ' ' + abbr)}\n")
        if e.get("same_as"):
            out.append(f"    declared_in: {q(e['declared_in'])}\n")
        if e["summary"]:
            out.append(f"    summary: {q(e['summary'])}\n")
        if e["place"]:
            out.append(f"    place: {q(e['place'])}\n")
        out.append("    threads: [" + ", ".join(link(world.threads[t], "title") for t in e["threads"]) + "]\n")
        out.append("    actors: [" + ", ".join(link(world.actors[a], "name") for a in actor_ids) + "]\n")
        out.append("    topics: [" + ", ".join(link(world.topics[t], "name") for t in e["topics"]) + "]\n")
        terms = ([f"actors/{world.actors[a]['id']}" for a in actor_ids]
                 + [f"topics/{world.topics[t]['id']}" for t in e["topics"]]
                 + [f"threads/{world.threads[t]['id']}" for t in e["threads"]])
        out.append(f"    terms: {ylist(terms)}\n")
        ev = [x["exact"] if isinstance(x, dict) else x for x in e["evidence"]]
        out.append(f"    evidence: {ylist(ev)}\n")
        if e["quotes"]:
            out.append("    quotes:\n")
            for qu in e["quotes"]:
                a = world.actors[qu["by_index"]]
                out.append(f"      - by: {link(a, 'name')}\n        text: {q(qu['text'])}\n")
    out.append(f"actors: {ylist(actors)}\ntopics: {ylist(topics)}\n")
    out.append(f"threads: {ylist(threads)}\ndays: {ylist(sorted(days))}\n---\n")
    out.append(body)
    return "".join(out)


# --------------------------------------------------------------- writing

WORLD = None
OPTS = None


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def work(chunk):
    world, (out, hugo_out) = WORLD, OPTS
    stats = [0, 0, 0, 0]  # articles, entries, same_as, passages
    for i in range(*chunk):
        meta, entries, body = make_article(world, i)
        stats[0] += 1
        stats[1] += sum(1 for e in entries if not e.get("same_as"))
        stats[2] += sum(1 for e in entries if e.get("same_as"))
        stats[3] += sum(len(e["evidence"]) + len(e["quotes"]) for e in entries)
        if out:
            base = os.path.join(out, "content", "articles", meta["dir"], meta["stem"])
            ann = chronicle_annotations(world, meta, entries)
            if meta["md"] and i % 10 != 0:
                write(base + ".md", "---\n" + ann + "---\n" + body)
            else:
                # Plain text with a sidecar; one in ten Markdown articles too.
                write(base + (".md" if meta["md"] else ".txt"), body)
                write(base + ".yaml", ann)
        if hugo_out:
            write(os.path.join(hugo_out, "content", "articles", meta["stem"] + ".md"),
                  hugo_page(world, meta, entries, body))
    return stats


def write_registries(world, out):
    c = os.path.join(out, "content")
    lines = ["# Synthetic actors, generated by bench/gen_corpus.py\n"]
    for a in world.actors:
        lines.append(f"{a['id']}:\n  name: {q(a['name'])}\n")
        if a["aliases"]:
            lines.append(f"  aliases: {ylist(a['aliases'])}\n")
        lines.append(f"  kind: {a['kind']}\n")
        if a["role"]:
            lines.append(f"  role: {q(a['role'])}\n")
        if a["affiliation"] is not None:
            aff = world.actors[a["affiliation"]]
            ref = aff["aliases"][0] if aff["aliases"] and len(lines) % 3 == 0 else aff["id"]
            lines.append(f"  affiliation: {q(ref)}\n")
        if a["description"]:
            lines.append(f"  description: {q(a['description'])}\n")
    write(os.path.join(c, "actors.yaml"), "".join(lines))
    lines = ["# Synthetic topics\n"]
    for t in world.topics:
        lines.append(f"{t['id']}:\n  name: {q(t['name'])}\n  description: {q(t['description'])}\n")
        if t["aliases"]:
            lines.append(f"  aliases: {ylist(t['aliases'])}\n")
    write(os.path.join(c, "topics.yaml"), "".join(lines))
    lines = ["# Synthetic threads\n"]
    for t in world.threads:
        lines.append(f"{t['id']}:\n  title: {q(t['title'])}\n  summary: {q(t['summary'])}\n  topics: {ylist(t['topics'])}\n")
        if t["aliases"]:
            lines.append(f"  aliases: {ylist(t['aliases'])}\n")
    write(os.path.join(c, "threads.yaml"), "".join(lines))


def write_hugo_terms(world, hugo_out):
    """Term pages' own content (title, role, description...), as chronicle's registries."""
    c = os.path.join(hugo_out, "content")
    for a in world.actors:
        d = os.path.join(c, "actors", a["id"])
        os.makedirs(d)
        kind = "organisation" if a["kind"] == "organization" else a["kind"]
        fm = [f"---\ntitle: {q(a['name'])}\nkind: {kind}\n"]
        if a["role"]:
            fm.append(f"role: {q(a['role'])}\n")
        fm.append(f"aliases_written: {ylist(a['aliases'])}\n")
        if a["affiliation"] is not None:
            fm.append(f"affiliation: {link(world.actors[a['affiliation']], 'name')}\n")
        fm.append("---\n" + (a["description"] + "\n" if a["description"] else ""))
        write(os.path.join(d, "_index.md"), "".join(fm))
    for t in world.topics:
        d = os.path.join(c, "topics", t["id"])
        os.makedirs(d)
        write(os.path.join(d, "_index.md"), f"---\ntitle: {q(t['name'])}\n---\n{t['description']}\n")
    for t in world.threads:
        d = os.path.join(c, "threads", t["id"])
        os.makedirs(d)
        topics = ", ".join(link(world.topics[[x["id"] for x in world.topics].index(tid)], "name")
                           for tid in t["topic_ids"])
        write(os.path.join(d, "_index.md"),
              f"---\ntitle: {q(t['title'])}\nthread_topics: [{topics}]\n---\n{t['summary']}\n")
    for name, title in [("actors", "Actors"), ("topics", "Topics"), ("threads", "Threads"),
                        ("days", "Days"), ("articles", "Sources")]:
        os.makedirs(os.path.join(c, name), exist_ok=True)
        write(os.path.join(c, name, "_index.md"), f"---\ntitle: {q(title)}\n---\n")


def link_or_copy(src, dst, copy):
    if copy:
        shutil.copytree(src, dst)
    else:
        os.symlink(os.path.abspath(src), dst)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, required=True, help="number of articles, 100 to 1000000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="where to write the chronicle site")
    ap.add_argument("--hugo-out", help="where to write the equivalent Hugo site")
    ap.add_argument("--theme", default=os.path.join(REPO, "themes", "default"),
                    help="chronicle theme to link (or copy) as themes/default")
    ap.add_argument("--link", action="store_true",
                    help="symlink the chronicle theme and the Hugo layouts instead of copying them "
                         "(the chronicle site then sets follow_outside_links, as the link leads out of it)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    opts = ap.parse_args()
    if not 100 <= opts.articles <= 1_000_000:
        ap.error("--articles must be between 100 and 1000000")
    if not opts.out and not opts.hugo_out:
        ap.error("give --out, --hugo-out or both")
    for d in (opts.out, opts.hugo_out):
        if d and os.path.exists(d) and os.listdir(d):
            ap.error(f"{d} exists and is not empty")

    global WORLD, OPTS
    world = World(opts.seed, opts.articles)
    WORLD, OPTS = world, (opts.out, opts.hugo_out)

    months = sorted({f"{(FIRST_DAY + dt.timedelta(days=d)).year:04d}/{(FIRST_DAY + dt.timedelta(days=d)).month:02d}"
                     for d in range(DAYS)})
    if opts.out:
        for m in months:
            os.makedirs(os.path.join(opts.out, "content", "articles", m))
        os.makedirs(os.path.join(opts.out, "themes"))
        link_or_copy(opts.theme, os.path.join(opts.out, "themes", "default"), not opts.link)
        write(os.path.join(opts.out, "site.toml"),
              f'title = "Synthetic chronicle ({opts.articles} articles, seed {opts.seed})"\n'
              'description = "A generated corpus for benchmarking chronicle"\n'
              'base_url = "/"\nlanguage = "en"\n'
              f'timezone = "{SITE_TZ}"\ntheme = "default"\noutput_dir = "public"\nstrict = false\n'
              + ("follow_outside_links = true\n" if opts.link else ""))
        write_registries(world, opts.out)
    if opts.hugo_out:
        os.makedirs(os.path.join(opts.hugo_out, "content", "articles"))
        write_hugo_terms(world, opts.hugo_out)
        link_or_copy(os.path.join(HERE, "hugo", "layouts"), os.path.join(opts.hugo_out, "layouts"), not opts.link)
        os.makedirs(os.path.join(opts.hugo_out, "static"))
        shutil.copy(os.path.join(opts.theme, "static", "style.css"), os.path.join(opts.hugo_out, "static"))
        with open(os.path.join(HERE, "hugo", "hugo.toml"), encoding="utf-8") as f:
            config = f.read()
        write(os.path.join(opts.hugo_out, "hugo.toml"),
              config.replace("@TITLE@", f"Synthetic chronicle ({opts.articles} articles, seed {opts.seed})"))

    step = 250
    chunks = [(s, min(s + step, opts.articles)) for s in range(0, opts.articles, step)]
    totals = [0, 0, 0, 0]
    if opts.jobs > 1:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(opts.jobs) as pool:
            for s in pool.imap_unordered(work, chunks):
                totals = [a + b for a, b in zip(totals, s)]
    else:
        for c in chunks:
            totals = [a + b for a, b in zip(totals, work(c))]
    summary = {
        "articles": totals[0], "entries": totals[1], "same_as": totals[2], "passages": totals[3],
        "actors": len(world.actors), "topics": len(world.topics), "threads": len(world.threads),
        "outlets": len(world.outlets), "seed": opts.seed,
    }
    print(json.dumps(summary), file=sys.stderr)


if __name__ == "__main__":
    main()
