// The matching and ranking of themes/default/static/search.js, on a small
// hand-made index in the format of docs/reference.md, "Search" (version 3:
// a manifest and fragments loaded on demand).
// Run: node --test tests/search/
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const s = require("../../themes/default/static/search.js");

const DATES = {
  long: "{weekday} {day} {month} {year}",
  short: "{day} {month} {year}",
  months: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
  weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
};

// Entries in time order, then articles oldest first: the documents.
const ENTRIES = [
  ["2022-01-10", "old", "Kremlin rejects the claims", "Peskov speaks to reporters.", [], [1], []],
  ["2022-01-12", "middle", "Envoys meet", "The Kremlin’s envoy meets Zelensky’s adviser in Genève.", [0], [0, 2], []],
  ["2022-01-20", "new", "Kremlin answers the letter", "", [], [0], [0]],
  ["2022-01-20", "gas", "Gas prices rise", "Markets react; the Catholic church appeals for calm.", [], [], [0]],
  ["2022-01-21", "uk", "UK sends anti-tank weapons", "A cat watches.", [], [3], []],
];
const OUTLETS = ["Example Agency", "Example Wire"];
const ARTICLES = [
  ["old-report", "Kremlin denies plans", 1, "2022-01-10"],
  ["kremlin-wire", "What the Kremlin said", 0, "2022-01-15"],
  ["new-report", "Talks stall", 0, "2022-01-20"],
];
const CHUNK = 3;
const REGISTRY_CHUNK = 2;
const SHARDS = 4;
const ACTORS = [
  ["kremlin", "The Kremlin", ["Kremlin", "Russian presidency"], "organisation", "Seat of the Russian presidency"],
  ["peskov", "Dmitry Peskov", ["Peskov"], "person", "Kremlin spokesman"],
  ["zelenskyy", "Volodymyr Zelenskyy", ["Zelensky", "Zelenskiy"], "person", "President of Ukraine"],
  ["uk", "United Kingdom", ["UK", "Britain"], "state", ""],
];
const THREADS = [["talks", "Talks in Genève", ["Geneva talks"]]];
const TOPICS = [["energy", "Energy", ["Gas"]]];

// The fragments, made the way the build makes them (src/render/search.rs).
function build() {
  const docs = ENTRIES.map((e) => [e[2], e[3]]).concat(ARTICLES.map((a) => [a[1], OUTLETS[a[2]]]));
  const terms = {};
  docs.forEach(([title, other], id) => {
    const inTitle = s.queryWords(title);
    for (const w of inTitle) (terms[w] ||= [[], []])[0].push(id);
    for (const w of s.queryWords(other)) if (!inTitle.includes(w)) (terms[w] ||= [[], []])[1].push(id);
  });
  const delta = (ids) => ids.map((id, i) => id - (i ? ids[i - 1] : 0));
  // Registry items: actors, threads, topics in a row; the words of their
  // names and aliases, and of their roles.
  const rows = [...ACTORS, ...THREADS, ...TOPICS];
  const names = {};
  rows.forEach((row, g) => {
    const inNames = [...new Set([row[1], ...row[2]].flatMap((n) => s.queryWords(n)))];
    for (const w of inNames) (names[w] ||= [[], []])[0].push(g);
    for (const w of s.queryWords(row[4] || "")) if (!inNames.includes(w)) (names[w] ||= [[], []])[1].push(g);
  });
  const fragments = {};
  for (let n = 0; n < SHARDS; n++) fragments[`t/${n}`] = { id: `t/${n}`, terms: {}, names: {} };
  const shard = (w) => fragments["t/" + s.shardOf(s.shardKey(w), SHARDS)];
  for (const [w, p] of Object.entries(terms)) shard(w).terms[w] = [delta(p[0]), delta(p[1])];
  for (const [w, p] of Object.entries(names)) shard(w).names[w] = [delta(p[0]), delta(p[1])];
  // The names' vocabulary: every word of a name or alias, sorted.
  fragments["n/0"] = { id: "n/0", words: Object.keys(names).filter((w) => names[w][0].length).sort() };
  for (let n = 0; n * REGISTRY_CHUNK < rows.length; n++) {
    fragments[`g/${n}`] = { id: `g/${n}`, rows: rows.slice(n * REGISTRY_CHUNK, (n + 1) * REGISTRY_CHUNK) };
  }
  const days = [];
  const dayStarts = [];
  ENTRIES.forEach((e, i) => {
    if (days[days.length - 1] !== e[0]) { days.push(e[0]); dayStarts.push(i); }
  });
  const index = {
    id: "index",
    version: 3,
    urls: {
      entry: "days/{day}/{page}#{anchor}",
      day_page: "page/{n}/",
      day: "days/{day}/",
      thread: "threads/{slug}/",
      actor: "actors/{slug}/",
      topic: "topics/{slug}/",
      article: "articles/{slug}/",
    },
    dates: DATES,
    registries: [ACTORS.length, THREADS.length, TOPICS.length],
    registry_chunk: REGISTRY_CHUNK,
    outlets: OUTLETS,
    days,
    day_starts: dayStarts,
    entries: ENTRIES.length,
    articles: ARTICLES.length,
    chunk: CHUNK,
    shards: SHARDS,
  };
  const related = rows.map(() => []);
  ENTRIES.forEach((e, i) => {
    e[5].forEach((a) => related[a].push(i));
    e[4].forEach((t) => related[ACTORS.length + t].push(i));
    e[6].forEach((t) => related[ACTORS.length + THREADS.length + t].push(i));
  });
  for (let n = 0; n * REGISTRY_CHUNK < rows.length; n++) {
    const entries = related.slice(n * REGISTRY_CHUNK, (n + 1) * REGISTRY_CHUNK).map(delta);
    fragments[`r/${n}`] = { id: `r/${n}`, entries };
  }
  const records = ENTRIES.map((e) => [e[1], e[2], e[3], e[4].map((t) => THREADS[t][1]), ""]).concat(ARTICLES);
  for (let n = 0; n * CHUNK < records.length; n++) {
    fragments[`d/${n}`] = { id: `d/${n}`, docs: records.slice(n * CHUNK, (n + 1) * CHUNK) };
  }
  return { index, fragments };
}

const { index: INDEX, fragments: FRAGMENTS } = build();

// Searches as the page does: loads what a search says is missing, and
// searches again. Returns the result and the fragments it loaded.
function find(query, limit, p = s.prepare(INDEX, "/base/")) {
  const loaded = [];
  for (;;) {
    const r = s.search(p, query, limit);
    if (r.complete) return Object.assign(r, { loaded });
    for (const id of r.missing) {
      assert.ok(FRAGMENTS[id], `fragment ${id} exists`);
      loaded.push(id);
      s.addFragment(p, FRAGMENTS[id]);
    }
  }
}

const names = (list) => list.map((m) => m.item.name);

test("folding drops case, accents, apostrophes and abbreviation dots", () => {
  assert.equal(s.fold("Genève"), "geneve");
  assert.equal(s.fold("ZELENSKY’S"), "zelenskys");
  assert.equal(s.fold("U.S. “talks”"), "us talks");
  assert.equal(s.fold("Łódź"), "lodz");
  assert.deepEqual(s.queryWords("  The the  KREMLIN’s! "), ["the", "kremlin"]);
});

test("edit distance counts a swap of neighbours as one, and stops past a bound", () => {
  assert.equal(s.editDistance("lavorv", "lavrov"), 1);
  assert.equal(s.editDistance("zelenksy", "zelenskyy"), 2);
  assert.equal(s.editDistance("blinkin", "blinken"), 1);
  assert.equal(s.editDistance("stoltenburg", "stoltenberg"), 1);
  assert.equal(s.editDistance("putn", "putin"), 1);
  assert.equal(s.editDistance("kitten", "sitting"), 3);
  assert.equal(s.editDistance("", "abc"), 3);
  assert.equal(s.editDistance("kitten", "sitting", 1), 2);
  assert.equal(s.editDistance("a", "abcdef", 2), 3);
});

test("typos allowed grow with the word; short words match whole words only", () => {
  assert.deepEqual(["uk", "cat", "putn", "blinkin", "zelenksy", "stoltenburg"].map(s.typosAllowed), [0, 0, 1, 1, 2, 2]);
  assert.equal(s.wordTier("kremlin", "kremlin"), 1);
  assert.equal(s.wordTier("krem", "kremlin"), 2);
  assert.equal(s.wordTier("uk", "ukraine"), -1);
  assert.equal(s.wordTier("cat", "catholic"), -1);
  assert.equal(s.wordTier("cath", "catholic"), 2);
  assert.equal(s.wordTier("lavorv", "lavrov"), -1);
  assert.equal(s.wordTier("lavorv", "lavrov", true), 3);
  assert.equal(s.wordTier("cta", "cat", true), -1);
});

test("a word's shard is chosen by its first two letters", () => {
  assert.equal(s.shardKey("zelenskyy"), "ze");
  assert.equal(s.shardKey("a"), "a");
  // FNV-1a of the code points: the same numbers as the build (src/render/search.rs).
  assert.equal(s.shardOf("ze", 2 ** 31), 0x4867e3d8 % 2 ** 31);
  assert.equal(s.shardOf("мо", 2 ** 31), 2316552223 % 2 ** 31);
  assert.equal(s.shardOf("ze", 16), 8);
});

test("dates are read in ISO and in the site's words, and written as the site writes them", () => {
  const day = { year: 2022, month: 1, day: 26 };
  assert.deepEqual(s.parseDate("2022-01-26", DATES), day);
  assert.deepEqual(s.parseDate("26 January 2022", DATES), day);
  assert.deepEqual(s.parseDate("Wednesday 26 January 2022", DATES), day);
  assert.deepEqual(s.parseDate("January 26th, 2022", DATES), day);
  assert.deepEqual(s.parseDate("26 jan", DATES), { year: null, month: 1, day: 26 });
  assert.equal(s.parseDate("January 2022", DATES), null);
  assert.equal(s.parseDate("26 kremlin", DATES), null);
  assert.equal(s.parseDate("may", DATES), null);
  const french = { ...DATES, months: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"] };
  assert.deepEqual(s.parseDate("1 fevrier 2022", french), { year: 2022, month: 2, day: 1 });
  assert.equal(s.formatDate("2022-02-01", DATES.long, DATES), "Tuesday 1 February 2022");
  assert.equal(s.formatDate("2022-02-01", DATES.short, DATES), "1 February 2022");
});

test("registry tiers: exact name or alias, whole word, word prefix, typo", () => {
  const r = find("kremlin");
  assert.deepEqual(names(r.actors), ["The Kremlin", "Dmitry Peskov"]);
  assert.deepEqual(r.actors.map((m) => m.tier), [0, 2]); // Peskov by his role
  assert.equal(r.actors[0].item.url, "/base/actors/kremlin/");
  assert.deepEqual(find("russian").actors.map((m) => [m.tier, m.item.name]), [[1, "The Kremlin"]]);
  assert.deepEqual(find("russ").actors.map((m) => [m.tier, m.item.name]), [[2, "The Kremlin"]]);
  assert.deepEqual(find("Russian presidency").actors.map((m) => m.tier), [0]);
  const typo = find("Zelenksy");
  assert.deepEqual(typo.actors.map((m) => [m.tier, m.item.name]), [[3, "Volodymyr Zelenskyy"]]);
  assert.equal(typo.suggestion, "Zelenskyy");
  assert.equal(find("Zelensky").suggestion, null);
});

test("short words match whole words only: UK is not Ukraine, cat is not Catholic", () => {
  const uk = find("UK");
  assert.deepEqual(names(uk.actors), ["United Kingdom"]);
  assert.deepEqual(names(uk.entries), ["UK sends anti-tank weapons"]);
  assert.deepEqual(names(find("cat").entries), ["UK sends anti-tank weapons"]);
  assert.deepEqual(names(find("cath").entries), ["Gas prices rise"]);
});

test("entries: whole words before prefixes before typos; headline first; newest first", () => {
  const r = find("kremlin");
  assert.deepEqual(names(r.entries), ["Kremlin answers the letter", "Kremlin rejects the claims", "Envoys meet"]);
  assert.deepEqual(r.entries.map((m) => [m.tier, m.head]), [[1, true], [1, true], [1, false]]);
  assert.equal(r.entries[0].item.url, "/base/days/2022-01-20/#new");
  assert.equal(r.entries[2].item.date, "2022-01-12");
  assert.deepEqual(find("krem").entries.map((m) => m.tier), [2, 2, 2]);
  const typo = find("kremlni");
  assert.deepEqual(names(typo.entries), ["Kremlin answers the letter", "Kremlin rejects the claims", "Envoys meet"]);
  assert.deepEqual(typo.entries.map((m) => m.tier), [3, 3, 3]);
  assert.equal(typo.suggestion, "Kremlin");
  // A word with a whole-word match is not also matched by typos.
  assert.deepEqual(names(find("gas").entries), ["Gas prices rise", "Kremlin answers the letter"]);
});

test("an entry on a later page of a long day links to that page", () => {
  // One entry a page: 20 January's second entry is on its page 2.
  const paged = s.prepare(Object.assign({}, INDEX, { day_page: 1 }), "/base/");
  const r = find("gas", undefined, paged);
  const url = (name) => r.entries.find((m) => m.item.name === name).item.url;
  assert.equal(url("Kremlin answers the letter"), "/base/days/2022-01-20/#new");
  assert.equal(url("Gas prices rise"), "/base/days/2022-01-20/page/2/#gas");
  // Without day_page (a day is one page) the same entry is on the day's page.
  assert.equal(find("gas").entries[0].item.url, "/base/days/2022-01-20/#gas");
});

test("entries match by the aliases of their actors, threads and topics", () => {
  assert.deepEqual(names(find("russian presidency").entries), ["Kremlin answers the letter", "Envoys meet"]);
  assert.deepEqual(names(find("geneva talks").entries), ["Envoys meet"]);
  assert.deepEqual(names(find("zelenskiy’s adviser").entries), ["Envoys meet"]);
  assert.deepEqual(find("kremlin banana").entries, []);
});

test("a name with wrong first letters is found through the names' vocabulary", () => {
  const right = find("kremlin");
  const wrong = find("rkemlin");
  assert.ok(wrong.loaded.includes("n/0"), "the vocabulary is loaded");
  assert.equal(wrong.suggestion.toLowerCase(), "kremlin");
  assert.deepEqual(names(wrong.entries), names(right.entries));
  assert.ok(wrong.entries.every((m) => m.tier === 3), "found by typo");
  // A word near no name loads the vocabulary and finds nothing.
  const none = find("zqxwvut");
  assert.deepEqual([none.entries, none.suggestion], [[], null]);
});

test("a date finds its day and the day's entries, in time order", () => {
  for (const q of ["2022-01-20", "20 January 2022", "Thursday 20 January 2022", "jan 20"]) {
    const r = find(q);
    assert.deepEqual(r.days.map((m) => [m.item.name, m.item.count, m.item.url]),
      [["Thursday 20 January 2022", 2, "/base/days/2022-01-20/"]], q);
    assert.deepEqual(names(r.entries), ["Kremlin answers the letter", "Gas prices rise"], q);
    assert.deepEqual(r.articles, [], q);
  }
  assert.deepEqual(find("2022-01-19").days, []);
});

test("articles: title matches first, newest first; outlets match too", () => {
  assert.deepEqual(names(find("kremlin").articles), ["What the Kremlin said", "Kremlin denies plans"]);
  assert.deepEqual(names(find("example agency").articles), ["Talks stall", "What the Kremlin said"]);
  assert.equal(find("stall").articles[0].item.url, "/base/articles/new-report/");
  assert.equal(find("stall").articles[0].item.date, "2022-01-20");
});

test("a search loads only the fragments it needs, and says what is missing", () => {
  const p = s.prepare(INDEX, "/");
  const first = s.search(p, "peskov");
  assert.equal(first.complete, false);
  assert.deepEqual(first.missing, ["t/" + s.shardOf("pe", SHARDS)]);
  assert.deepEqual(first.actors, []);
  const r = find("peskov", undefined, p);
  // The shard; then the actor's row and entries; then the entry's record.
  assert.deepEqual(r.loaded, ["t/" + s.shardOf("pe", SHARDS), "r/0", "g/0", "d/0"]);
  assert.deepEqual(names(r.actors), ["Dmitry Peskov"]);
  assert.deepEqual(names(r.entries), ["Kremlin rejects the claims"]);
  // Entries carry their threads' titles.
  assert.deepEqual(find("envoys").entries[0].item.threads, ["Talks in Genève"]);
  // Past the limit, results are counted but their records not loaded.
  const few = find("kremlin", { entries: 1, articles: 1 });
  assert.equal(few.entries.length, 3);
  assert.equal(few.entries[1].item, null);
  assert.deepEqual(few.loaded.filter((id) => id.startsWith("d/")), ["d/0", "d/2"]);
});

test("an empty query finds nothing and loads nothing", () => {
  const r = find("  ’ ");
  assert.deepEqual(r.words, []);
  assert.deepEqual(r.loaded, []);
  for (const kind of ["days", "actors", "threads", "topics", "entries", "articles"]) {
    assert.deepEqual(r[kind], [], kind);
  }
});

test("an index of another version is refused", () => {
  assert.throws(() => s.prepare({ ...INDEX, version: 2 }, "/"), /version 2/);
});

test("the script does nothing and throws nothing outside a page", () => {
  assert.equal(typeof s.search, "function");
  assert.equal(globalThis.ChronicleSearch, undefined);
});
