// The matching and ranking of themes/default/static/search.js, on a small
// hand-made index in the format of docs/reference.md, "Search".
// Run: node --test tests/search/
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const s = require("../../themes/default/static/search.js");

const INDEX = {
  version: 1,
  entries: ["search-entries-0.json", "search-entries-1.json"],
  urls: {
    entry: "days/{day}/#{anchor}",
    day: "days/{day}/",
    thread: "threads/{slug}/",
    actor: "actors/{slug}/",
    topic: "topics/{slug}/",
    article: "articles/{slug}/",
  },
  actors: [
    ["kremlin", "The Kremlin", ["Kremlin", "Russian presidency"], "organisation", "Seat of the Russian presidency"],
    ["peskov", "Dmitry Peskov", ["Peskov"], "person", "Kremlin spokesman"],
    ["zelensky", "Volodymyr Zelensky", ["Zelenskyy", "Zelenskiy"], "person", "President of Ukraine"],
    ["usa", "United States", ["U.S.", "Washington"], "state", ""],
  ],
  threads: [["talks", "Talks in Genève", ["Geneva talks"]]],
  topics: [["energy", "Energy", ["Gas"]]],
  outlets: ["Example Agency", "Example Wire"],
  articles: [
    ["old-report", "Kremlin denies plans", 1, "2022-01-10"],
    ["new-report", "Talks stall", 0, "2022-01-20"],
    ["kremlin-wire", "What the Kremlin said", 0, "2022-01-15"],
  ],
};

// Two entries files, as the build splits them: each numbers its entries
// from `start` and has its own table of days.
const OLDER = {
  version: 1,
  start: 0,
  days: ["2022-01-10", "2022-01-12"],
  entries: [
    [0, "old", "Kremlin rejects the claims", "Peskov speaks to reporters.", [], [1], []],
    [1, "middle", "Envoys meet", "The Kremlin’s envoy meets Zelensky’s adviser in Genève.", [0], [0, 2], []],
  ],
};
const NEWER = {
  version: 1,
  start: 2,
  days: ["2022-01-20"],
  entries: [
    [0, "new", "Kremlin answers the letter", "", [], [0], [0]],
    [0, "gas", "Gas prices rise", "Markets react.", [], [], [0]],
  ],
};

function prepared() {
  // The page loads the newest file first.
  return s.addEntries(s.addEntries(s.prepare(INDEX, "/base/"), NEWER), OLDER);
}

const names = (list) => list.map((m) => m.item.name);

test("folding drops case, accents, apostrophes and abbreviation dots", () => {
  assert.equal(s.fold("Genève"), "geneve");
  assert.equal(s.fold("ZELENSKY’S"), "zelenskys");
  assert.equal(s.fold("Zelensky's"), "zelenskys");
  assert.equal(s.fold("U.S. “talks”"), "us talks");
  assert.equal(s.fold("Łódź"), "lodz");
  assert.deepEqual(s.queryWords("  The the  KREMLIN! "), ["the", "kremlin"]);
});

test("an actor is found by an alias, exactly, with its link", () => {
  const r = s.search(prepared(), "kremlin");
  assert.equal(r.actors[0].item.name, "The Kremlin");
  assert.equal(r.actors[0].tier, 0);
  assert.equal(r.actors[0].item.url, "/base/actors/kremlin/");
  // Peskov matches too, by his role, below the exact match.
  assert.deepEqual(names(r.actors), ["The Kremlin", "Dmitry Peskov"]);
  assert.equal(r.actors[1].tier, 2);
  assert.deepEqual(names(s.search(prepared(), "russian pres").actors), ["The Kremlin"]);
  assert.deepEqual(names(s.search(prepared(), "u.s.").actors), ["United States"]);
  assert.deepEqual(names(s.search(prepared(), "US").actors), ["United States"]);
});

test("accents and apostrophes in the query or the text do not matter", () => {
  const p = prepared();
  assert.deepEqual(names(s.search(p, "geneve").threads), ["Talks in Genève"]);
  assert.deepEqual(names(s.search(p, "GENÈVE talks").threads), ["Talks in Genève"]);
  assert.deepEqual(names(s.search(p, "zelensky's adviser").entries), ["Envoys meet"]);
  assert.deepEqual(names(s.search(p, "kremlins envoy").entries), ["Envoys meet"]);
  // A possessive in the query still finds the bare name.
  assert.deepEqual(names(s.search(p, "Zelensky’s").actors), ["Volodymyr Zelensky"]);
  assert.deepEqual(names(s.search(p, "kremlin's envoy").entries), ["Envoys meet"]);
});

test("every word must start a word of the item", () => {
  const p = prepared();
  assert.deepEqual(names(s.search(p, "zel").actors), ["Volodymyr Zelensky"]);
  assert.deepEqual(s.search(p, "elensky").actors, []);
  assert.deepEqual(s.search(p, "kremlin banana").entries, []);
});

test("entries: headline matches first, then the others, newest first", () => {
  const r = s.search(prepared(), "kremlin");
  assert.deepEqual(names(r.entries), [
    "Kremlin answers the letter",
    "Kremlin rejects the claims",
    "Envoys meet",
  ]);
  assert.deepEqual(r.entries.map((m) => m.tier), [1, 1, 2]);
  assert.equal(r.entries[0].item.url, "/base/days/2022-01-20/#new");
});

test("entries match by the aliases of their actors, threads and topics", () => {
  const p = prepared();
  // "Russian presidency" is only an alias of the Kremlin, an actor of two entries.
  assert.deepEqual(names(s.search(p, "russian presidency").entries), ["Kremlin answers the letter", "Envoys meet"]);
  assert.deepEqual(names(s.search(p, "geneva talks").entries), ["Envoys meet"]);
  assert.deepEqual(names(s.search(p, "gas").entries), ["Gas prices rise", "Kremlin answers the letter"]);
});

test("articles: title matches first, newest first; outlets match too", () => {
  const p = prepared();
  assert.deepEqual(names(s.search(p, "kremlin").articles), ["What the Kremlin said", "Kremlin denies plans"]);
  assert.deepEqual(names(s.search(p, "example agency").articles), ["Talks stall", "What the Kremlin said"]);
  assert.equal(s.search(p, "stall").articles[0].item.url, "/base/articles/new-report/");
});

test("results say whether every entries file was searched", () => {
  const p = s.addEntries(s.prepare(INDEX, "/base/"), NEWER);
  const partial = s.search(p, "kremlin");
  assert.equal(partial.complete, false);
  assert.deepEqual(names(partial.entries), ["Kremlin answers the letter"]);
  s.addEntries(p, OLDER);
  assert.equal(s.search(p, "kremlin").complete, true);
  assert.equal(s.search(p, "kremlin").entries[2].item.url, "/base/days/2022-01-12/#middle");
});

test("an empty query finds nothing; entries are null until loaded", () => {
  const r = s.search(prepared(), "  ’ ");
  assert.deepEqual(r.words, []);
  for (const kind of ["actors", "threads", "topics", "entries", "articles"]) {
    assert.deepEqual(r[kind], [], kind);
  }
  const early = s.search(s.prepare(INDEX, "/"), "kremlin");
  assert.equal(early.entries, null);
  assert.equal(early.complete, false);
  assert.equal(early.actors[0].item.url, "/actors/kremlin/");
});

test("the script does nothing and throws nothing outside a page", () => {
  assert.equal(typeof s.search, "function");
  assert.equal(globalThis.ChronicleSearch, undefined);
});
