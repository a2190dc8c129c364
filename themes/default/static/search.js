/* Search for a chronicle site: runs in the browser, against the index the
   build writes under search/ (a manifest, search/index.js, and fragments
   loaded as a query needs them: term shards, the entries of registry
   items, records of documents). No framework, no build step; nothing is
   loaded but those files, from the same site, as script elements, so it
   works on any host and under file://. Format: docs/reference.md,
   "Search".

   The matching and ranking functions are pure and exported for tests
   (module.exports under Node); in a page the script wires itself to the
   element with `data-search`, and does nothing on pages without one. */
(function () {
  "use strict";

  var FORMAT_VERSION = 3;

  // Letters that Unicode decomposition does not strip to a base letter.
  var LETTERS = { "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i" };

  /** Text folded for matching: lower case, accents and apostrophes
      removed, dots inside abbreviations removed ("U.S." → "us"), every
      other run of punctuation and space made one space. The build folds
      the index's words the same way (src/render/search.rs, `fold`). */
  function fold(text) {
    return String(text == null ? "" : text)
      .normalize("NFD")
      .replace(/\p{M}+/gu, "")
      .toLowerCase()
      .replace(/[łøđðþßæœı]/g, function (c) { return LETTERS[c]; })
      .replace(/['’‘`´ʼʻ′]/g, "")
      .replace(/([\p{L}\p{N}])\.(?=[\p{L}\p{N}])/gu, "$1")
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
  }

  /** The words of a query, folded; duplicates dropped. A possessive "'s"
      is dropped, so "Zelenskyy's" finds "Zelenskyy" as well. */
  function queryWords(query) {
    var plain = String(query == null ? "" : query).replace(/['’‘`´ʼʻ′]s(?![\p{L}\p{N}])/giu, "");
    var words = fold(plain).split(" ").filter(Boolean);
    return words.filter(function (w, i) { return words.indexOf(w) === i; });
  }

  /** Edit distance between `a` and `b` (insertions, deletions,
      substitutions and swaps of two neighbouring letters each count one),
      or `max + 1` as soon as it is known to exceed `max`. */
  function editDistance(a, b, max) {
    if (max == null) max = Infinity;
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null;
    var prev = [];
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      var row = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d = Math.min(d, prev2[j - 2] + 1);
        }
        row.push(d);
        if (d < best) best = d;
      }
      if (best > max) return max + 1;
      prev2 = prev;
      prev = row;
    }
    return prev[b.length];
  }

  /** How many typos a query word may have: none under 4 letters, one for
      4 to 7, two for longer words. */
  function typosAllowed(word) {
    var n = Array.from(word).length;
    return n < 4 ? 0 : n < 8 ? 1 : 2;
  }

  /** Whether a query word may match the words it begins: words of 4
      letters or more ("UK" and "cat" match whole words only). */
  function prefixAllowed(word) {
    return Array.from(word).length >= 4;
  }

  /** The tier of a word of the index for a query word: 1 the same word,
      2 a word it begins, 3 a word within its typos (when `typos`), or -1. */
  function wordTier(query, word, typos) {
    if (word === query) return 1;
    if (prefixAllowed(query) && word.lastIndexOf(query, 0) === 0) return 2;
    if (typos) {
      var max = typosAllowed(query);
      if (max && editDistance(query, word, max) <= max) return 3;
    }
    return -1;
  }

  /** The shard key of a word, its first two letters, and the shard of a
      key among `shards`: FNV-1a (32 bits) of its code points, modulo
      `shards`, as the build computes it (src/render/search.rs). */
  function shardKey(word) {
    return Array.from(word).slice(0, 2).join("");
  }
  function shardOf(key, shards) {
    var hash = 0x811c9dc5;
    Array.from(key).forEach(function (c) {
      hash = Math.imul(hash ^ c.codePointAt(0), 0x01000193) >>> 0;
    });
    return hash % Math.max(1, shards);
  }

  function fill(pattern, values) {
    return pattern.replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] == null ? "" : String(values[key]);
    });
  }

  /** A date (`YYYY-MM-DD`) written with the site's pattern and words
      (`dates` as in the manifest: months, weekdays). */
  function formatDate(day, pattern, dates) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || "");
    if (!m) return day || "";
    var weekday = (new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay() + 6) % 7;
    return fill(pattern, {
      weekday: dates.weekdays[weekday],
      day: +m[3],
      month: dates.months[+m[2] - 1],
      year: +m[1]
    });
  }

  /** A query that names a day: `2022-01-26`, or a day, a month name (or
      its first three letters or more) and a year, in any order, with or
      without the weekday ("26 January 2022", "Wednesday 26 January
      2022", "Jan 26, 2022"), in the site's words. The year may be left
      out. Returns `{year, month, day}` (year null when left out) or null. */
  function parseDate(query, dates) {
    var iso = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(String(query || ""));
    if (iso) return { year: +iso[1], month: +iso[2], day: +iso[3] };
    var words = fold(query).split(" ").filter(Boolean);
    if (!words.length || !dates) return null;
    var months = dates.months.map(fold);
    var weekdays = dates.weekdays.map(fold);
    var found = { year: null, month: null, day: null };
    function named(list, w) {
      if (w.length < 3) return -1;
      for (var i = 0; i < list.length; i++) if (list[i].lastIndexOf(w, 0) === 0) return i;
      return -1;
    }
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (/^\d{4}$/.test(w) && found.year === null) found.year = +w;
      else if (/^\d{1,2}(st|nd|rd|th|er)?$/.test(w) && found.day === null) found.day = parseInt(w, 10);
      else if (named(months, w) >= 0 && found.month === null) found.month = named(months, w) + 1;
      else if (named(weekdays, w) < 0) return null;
    }
    if (found.month === null || found.day === null || found.day < 1 || found.day > 31) return null;
    return found;
  }

  /** Indexes of the days of `prepared` a parsed date names. */
  function matchingDays(prepared, date) {
    var out = [];
    prepared.days.forEach(function (day, i) {
      var y = +day.slice(0, 4), m = +day.slice(5, 7), d = +day.slice(8, 10);
      if (m === date.month && d === date.day && (date.year === null || y === date.year)) out.push(i);
    });
    return out;
  }

  // ------------------------------------------------------------ the index

  /** The words of a name as written, keyed by their folded form
      ("Zelenskyy" for "zelenskyy"), for "did you mean". */
  function spellings(text, into) {
    String(text).split(/[\s,;:()"“”]+/).forEach(function (piece) {
      var clean = piece.replace(/['’‘`´ʼʻ′]s$/i, "");
      var f = fold(clean);
      if (f && f.indexOf(" ") < 0 && !(f in into)) into[f] = clean.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
    });
  }

  var KINDS = ["actor", "thread", "topic"];

  /** The kind of registry item `g` (actors, then threads, then topics
      are numbered in a row) and its index among its kind. */
  function registryKind(prepared, g) {
    var counts = prepared.registryCounts;
    for (var k = 0; k < 3; k++) {
      if (g < counts[k]) return { kind: KINDS[k], index: g };
      g -= counts[k];
    }
    return null;
  }

  /** Prepares the manifest (search/index.js) for searching; `basePath` is
      the site's path, ending in "/". */
  function prepare(index, basePath) {
    basePath = basePath || "/";
    if (index.version !== FORMAT_VERSION) throw new Error("search index version " + index.version + ", expected " + FORMAT_VERSION);
    var prepared = {
      basePath: basePath,
      urls: index.urls,
      dates: index.dates,
      outlets: index.outlets || [],
      days: index.days || [],
      dayStarts: index.day_starts || [],
      dayPage: index.day_page || 0,
      entryCount: index.entries || 0,
      articleCount: index.articles || 0,
      chunk: index.chunk || 16,
      registryCounts: index.registries || [0, 0, 0],
      registryChunk: index.registry_chunk || 32,
      shards: index.shards || 0,
      spelled: Object.create(null),
      // Fragments loaded: term shards by id ("t/3"), registry items' rows
      // and entries by item number, document records by id ("d/12").
      terms: Object.create(null),
      names: Object.create(null),
      items: Object.create(null),
      related: Object.create(null),
      vocabulary: null,
      records: Object.create(null),
      decoded: Object.create(null)
    };
    return prepared;
  }

  function registryItem(prepared, g, row) {
    var at = registryKind(prepared, g);
    var aliases = row[2] || [];
    var names = [row[1]].concat(aliases);
    var item = {
      kind: at.kind,
      index: at.index,
      g: g,
      name: row[1],
      aliases: aliases,
      url: prepared.basePath + fill(prepared.urls[at.kind], { slug: row[0] }),
      names: names.map(fold)
    };
    if (at.kind === "actor") {
      item.role = row[4] || "";
      item.actorKind = row[3] || "";
    }
    names.forEach(function (n) { spellings(n, prepared.spelled); });
    return item;
  }

  /** Adds a loaded fragment (its `id` says which) to a prepared index. */
  function addFragment(prepared, data) {
    var id = data.id;
    var kind = id.slice(0, 2);
    if (kind === "t/") {
      prepared.terms[id] = data.terms || {};
      prepared.names[id] = data.names || {};
    } else if (kind === "g/") {
      var first = +id.slice(2) * prepared.registryChunk;
      (data.rows || []).forEach(function (row, i) {
        prepared.items[first + i] = registryItem(prepared, first + i, row);
      });
    } else if (kind === "r/") {
      var from = +id.slice(2) * prepared.registryChunk;
      (data.entries || []).forEach(function (list, i) {
        prepared.related[from + i] = undelta(list);
      });
    }
    else if (kind === "d/") prepared.records[id] = data.docs || [];
    else if (kind === "n/") prepared.vocabulary = data.words || [];
    return prepared;
  }

  function undelta(list) {
    var out = new Array(list.length);
    var last = 0;
    for (var i = 0; i < list.length; i++) out[i] = last += list[i];
    return out;
  }

  /** The postings of a word of a loaded shard, decoded once: documents
      (`terms`) or registry items (`names`), `[in headline, title or name,
      elsewhere]`. */
  function postings(prepared, table, shard, word) {
    var key = table + " " + shard + " " + word;
    var done = prepared.decoded[key];
    if (!done) {
      var raw = prepared[table][shard][word];
      done = prepared.decoded[key] = [undelta(raw[0]), undelta(raw[1])];
    }
    return done;
  }

  /** The day index of entry `id` (the last day starting at or before it). */
  function dayOf(prepared, id) {
    var lo = 0, hi = prepared.dayStarts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (prepared.dayStarts[mid] <= id) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The record of document `id` as a result item, or null when its chunk
      is not loaded. */
  function documentItem(prepared, id) {
    var chunk = prepared.records["d/" + Math.floor(id / prepared.chunk)];
    if (!chunk) return null;
    var row = chunk[id % prepared.chunk];
    if (id < prepared.entryCount) {
      var d = dayOf(prepared, id);
      var day = prepared.days[d];
      // A long day is on several pages, `dayPage` entries each.
      var n = prepared.dayPage ? Math.floor((id - prepared.dayStarts[d]) / prepared.dayPage) + 1 : 1;
      var page = n > 1 ? fill(prepared.urls.day_page || "page/{n}/", { n: n }) : "";
      return {
        kind: "entry",
        id: id,
        name: row[1],
        summary: row[2] || "",
        date: day,
        url: prepared.basePath + fill(prepared.urls.entry, { day: day, page: page, anchor: row[0] }),
        threads: row[3] || [],
        claim: row[4] || ""
      };
    }
    return {
      kind: "article",
      id: id,
      name: row[1],
      outlet: prepared.outlets[row[2]] || "",
      date: row[3] || "",
      url: prepared.basePath + fill(prepared.urls.article, { slug: row[0] })
    };
  }

  function byName(a, b) {
    return a.tier - b.tier || (a.item.name < b.item.name ? -1 : a.item.name > b.item.name ? 1 : 0);
  }

  /** For one query word, the words of its term shard it matches and their
      tier (1 whole word, 2 a word it begins, 3 a typo): words of the
      documents (`terms`) and of the registries' names, aliases and roles
      (`registry`); typos only when there is no other match. `shard` is
      null when the word's shard is not loaded or does not exist. */
  function wordMatches(prepared, word, shard) {
    var found = { registry: [], terms: [], typo: false };
    if (!shard || !prepared.terms[shard]) return found;
    var key = shardKey(word);
    function scan(table, into, typos) {
      Object.keys(prepared[table][shard]).forEach(function (w) {
        // A shard holds other keys' words too; a word of another key is
        // not a match, not even by typo.
        if (w.lastIndexOf(key, 0) !== 0) return;
        var t = wordTier(word, w, typos);
        if (t > 0 && (typos ? t === 3 : t < 3)) into.push({ word: w, tier: t });
      });
    }
    scan("names", found.registry, false);
    scan("terms", found.terms, false);
    if (!found.registry.length && !found.terms.length) {
      scan("names", found.registry, true);
      scan("terms", found.terms, true);
      found.typo = found.registry.length + found.terms.length > 0;
    }
    return found;
  }

  /** The registry-name word nearest `word` within its typos (the first
      of equals in alphabetical order); null when none is, or when `word`
      may have no typo; undefined while the vocabulary is not loaded. */
  function nearestName(prepared, word) {
    var max = typosAllowed(word);
    if (!max) return null;
    if (!prepared.vocabulary) return undefined;
    var best = null, bestDistance = max + 1;
    prepared.vocabulary.forEach(function (w) {
      var d = editDistance(word, w, max);
      if (d < bestDistance) { best = w; bestDistance = d; }
    });
    return best;
  }

  /** The best correction of a word matched only by typos: the nearest
      word, a registry name's first, then the most frequent; a word of an
      alias becomes the nearest word of its item's name ("Zelensky" is an
      alias of Volodymyr Zelenskyy). */
  function correction(prepared, word, m, shard) {
    var best = null;
    var max = typosAllowed(word);
    function consider(w, table) {
      var d = editDistance(word, w, max);
      var p = postings(prepared, table, shard, w);
      var weight = (table === "names" ? 1e9 : 0) + p[0].length + p[1].length;
      if (!best || d < best.d || (d === best.d && weight > best.weight)) best = { d: d, weight: weight, word: w, table: table };
    }
    m.registry.forEach(function (r) { consider(r.word, "names"); });
    m.terms.forEach(function (r) { consider(r.word, "terms"); });
    if (!best) return word;
    if (best.table === "names") {
      var item = prepared.items[postings(prepared, "names", shard, best.word)[0][0]];
      if (item) {
        var nearest = null;
        item.names[0].split(" ").forEach(function (w) {
          var d = editDistance(word, w);
          if (!nearest || d < nearest.d) nearest = { d: d, word: w };
        });
        if (nearest) best.word = nearest.word;
      }
    }
    return prepared.spelled[best.word] || best.word;
  }

  /** Searches a prepared index with the fragments loaded so far.

      Returns the query's words and, for each kind (days, actors, threads,
      topics, entries, articles), its matches best first, `{item, tier}`:
      tier 0 an exact name or alias (or the day a date names), 1 whole
      words, 2 words the query's words begin (or a role's words), 3 typos
      (for a word with no other match). Entries and articles also carry
      `head` (every word is in the headline or title), and rank by tier,
      then head, then newest first. `item` is null past `limit` (default
      20) of each kind. `suggestion` is the query as corrected when a word
      matched only by typos, else null. `missing` lists the fragments still
      needed (load them, add them, search again); `complete` is true when
      none is. */
  function search(prepared, query, limit) {
    limit = limit || {};
    var words = queryWords(query);
    var result = {
      words: words, date: null, suggestion: null,
      days: [], actors: [], threads: [], topics: [], entries: [], articles: [],
      missing: [], complete: true
    };
    if (!words.length) return result;
    var missing = [];
    function need(id) {
      if (missing.indexOf(id) < 0) missing.push(id);
    }
    var docs = null; // id → [tier, head]

    var date = parseDate(query, prepared.dates);
    if (date) {
      result.date = date;
      docs = new Map();
      matchingDays(prepared, date).forEach(function (d) {
        var startAt = prepared.dayStarts[d];
        var end = d + 1 < prepared.dayStarts.length ? prepared.dayStarts[d + 1] : prepared.entryCount;
        result.days.push({
          tier: 0,
          item: {
            kind: "day", name: formatDate(prepared.days[d], prepared.dates.long, prepared.dates),
            date: prepared.days[d], count: end - startAt,
            url: prepared.basePath + fill(prepared.urls.day, { day: prepared.days[d] })
          }
        });
        for (var id = startAt; id < end; id++) docs.set(id, [0, true]);
      });
    } else {
      var folded = words.join(" ");
      var perItem = null; // registry item number → tier, over all words
      var corrected = [];
      var shardsMissing = false;
      words.forEach(function (word) {
        var shard = prepared.shards ? "t/" + shardOf(shardKey(word), prepared.shards) : null;
        if (shard && !prepared.terms[shard]) { need(shard); shardsMissing = true; }
        var m = wordMatches(prepared, word, shard);
        var respelt = null;
        if (shard && prepared.terms[shard] && !m.registry.length && !m.terms.length) {
          // Nothing in the word's own shard, not even by typo: the first
          // letters may be the wrong ones. The nearest word of a registry
          // name, wherever its shard, stands in for it.
          respelt = nearestName(prepared, word);
          if (respelt === undefined) { need("n/0"); shardsMissing = true; respelt = null; }
        }
        if (respelt) {
          shard = "t/" + shardOf(shardKey(respelt), prepared.shards);
          if (!prepared.terms[shard]) { need(shard); shardsMissing = true; }
          m = wordMatches(prepared, respelt, shard);
          m.registry.forEach(function (r) { r.tier = 3; });
          m.terms.forEach(function (r) { r.tier = 3; });
          m.typo = true;
        }
        if (respelt) corrected.push(correction(prepared, respelt, m, shard) || respelt);
        else corrected.push(m.typo ? correction(prepared, word, m, shard) : null);
        // Registry items this word matches, and their tier for it.
        var items = new Map();
        m.registry.forEach(function (r) {
          var p = postings(prepared, "names", shard, r.word);
          function set(g, tier, inName) {
            var had = items.get(g);
            if (!had || tier < had.tier) items.set(g, { tier: tier, inName: inName || (had && had.inName) });
            else if (inName) had.inName = true;
          }
          p[0].forEach(function (g) { set(g, r.tier, true); });
          p[1].forEach(function (g) { set(g, Math.max(2, r.tier), false); });
        });
        if (perItem === null) {
          perItem = new Map();
          items.forEach(function (v, g) { perItem.set(g, v.tier); });
        } else {
          perItem.forEach(function (tier, g) {
            var v = items.get(g);
            if (v) perItem.set(g, Math.max(tier, v.tier));
            else perItem.delete(g);
          });
        }
        // Documents this word matches: through the term shard, and the
        // entries of the registry items whose names hold it.
        var here = new Map();
        function mark(id, tier, head) {
          var had = here.get(id);
          if (!had || tier < had[0] || (tier === had[0] && head && !had[1])) here.set(id, [tier, head]);
        }
        m.terms.forEach(function (t) {
          var p = postings(prepared, "terms", shard, t.word);
          p[0].forEach(function (id) { mark(id, t.tier, true); });
          p[1].forEach(function (id) { mark(id, t.tier, false); });
        });
        items.forEach(function (v, g) {
          if (!v.inName) return;
          var list = prepared.related[g];
          if (!list) { need("r/" + Math.floor(g / prepared.registryChunk)); return; }
          list.forEach(function (id) { mark(id, v.tier, false); });
        });
        if (docs === null) docs = here;
        else {
          var both = new Map();
          docs.forEach(function (v, id) {
            var w = here.get(id);
            if (w) both.set(id, [Math.max(v[0], w[0]), v[1] && w[1]]);
          });
          docs = both;
        }
      });
      if (shardsMissing) {
        // Nothing is known until every word's shard is loaded.
        result.missing = missing;
        result.complete = false;
        return result;
      }
      perItem.forEach(function (tier, g) {
        var item = prepared.items[g];
        if (!item) { need("g/" + Math.floor(g / prepared.registryChunk)); return; }
        if (item.names.indexOf(folded) >= 0) tier = 0;
        result[item.kind + "s"].push({ item: item, tier: tier });
      });
      ["actors", "threads", "topics"].forEach(function (k) { result[k].sort(byName); });
      if (corrected.some(Boolean)) {
        result.suggestion = words.map(function (w, i) { return corrected[i] || w; }).join(" ");
      }
    }
    // Entries and articles, best first, newest first within a tier.
    var ranked = [];
    docs.forEach(function (v, id) { ranked.push({ id: id, tier: v[0], head: v[1], item: null }); });
    ranked.sort(date ?
      function (a, b) { return a.id - b.id; } :
      function (a, b) { return a.tier - b.tier || (b.head - a.head) || b.id - a.id; });
    ranked.forEach(function (r) {
      (r.id < prepared.entryCount ? result.entries : result.articles).push(r);
    });
    ["entries", "articles"].forEach(function (k) {
      var n = limit[k] || 20;
      result[k].slice(0, n).forEach(function (r) {
        r.item = documentItem(prepared, r.id);
        if (!r.item) need("d/" + Math.floor(r.id / prepared.chunk));
      });
    });
    result.missing = missing;
    result.complete = !missing.length;
    return result;
  }

  var api = {
    version: FORMAT_VERSION,
    fold: fold, queryWords: queryWords, editDistance: editDistance, typosAllowed: typosAllowed,
    wordTier: wordTier, shardKey: shardKey, shardOf: shardOf, parseDate: parseDate,
    formatDate: formatDate, prepare: prepare, addFragment: addFragment, search: search
  };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
    return;
  }
  if (typeof window === "undefined") return;
  window.ChronicleSearch = api;
  if (typeof document === "undefined") return;

  // ------------------------------------------------------------ the page

  // Fragments loaded or loading, by id: callbacks waiting for them.
  var waiting = Object.create(null);
  var arrived = Object.create(null);
  /** Called by each fragment script as it runs. */
  api.add = function (data) {
    arrived[data.id] = data;
    var list = waiting[data.id] || [];
    delete waiting[data.id];
    list.forEach(function (cb) { cb(null, data); });
  };

  /** Loads fragment `id` from `dir` with a script element. */
  function loadFragment(dir, id, done) {
    if (arrived[id]) { done(null, arrived[id]); return; }
    if (waiting[id]) { waiting[id].push(done); return; }
    waiting[id] = [done];
    var script = document.createElement("script");
    script.src = dir + id + ".js";
    script.async = true;
    script.onerror = function () {
      var list = waiting[id] || [];
      delete waiting[id];
      list.forEach(function (cb) { cb(new Error(script.src + " did not load")); });
    };
    script.onload = function () { script.remove(); };
    document.head.appendChild(script);
  }

  var GROUPS = [
    ["days", "Days"],
    ["actors", "Actors"],
    ["threads", "Threads"],
    ["topics", "Topics"],
    ["entries", "Entries"],
    ["articles", "Articles"]
  ];
  var PAGE = 20;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c != null) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  /** The part of `text` around the first word of the query, shortened. */
  function snippet(text, words) {
    var max = 220;
    if (text.length <= max) return text;
    var lower = text.toLowerCase();
    var at = -1;
    for (var i = 0; i < words.length && at < 0; i++) at = lower.indexOf(words[i]);
    var start = Math.max(0, Math.min(at - 60, text.length - max));
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    var end = Math.min(text.length, start + max);
    return (start > 0 ? "… " : "") + text.slice(start, end).trim() + (end < text.length ? " …" : "");
  }

  function itemNode(prepared, match, words) {
    var item = match.item;
    var meta = [];
    var extra = null;
    var dates = prepared.dates;
    if (item.kind === "day") {
      meta.push(item.count + (item.count === 1 ? " entry" : " entries"));
    }
    if (item.kind === "actor" && item.role) meta.push(item.role);
    if (item.kind === "actor" || item.kind === "thread" || item.kind === "topic") {
      // Say which alias matched, when it is not the name.
      var folded = words.join(" ");
      var hit = item.aliases.filter(function (a) {
        var f = fold(a);
        return f !== item.names[0] && (f === folded || words.every(function (w) {
          return (" " + f + " ").indexOf(" " + w) >= 0;
        }));
      })[0];
      var inName = words.every(function (w) { return (" " + item.names[0]).indexOf(" " + w) >= 0; });
      if (hit && !inName) meta.push("also known as " + hit);
    }
    if (item.kind === "entry") {
      if (item.claim) meta.push(item.claim.charAt(0).toUpperCase() + item.claim.slice(1) + " claim");
      meta.push(formatDate(item.date, dates.long, dates));
      if (item.threads.length) meta.push(item.threads.join(", "));
      if (item.summary) extra = el("p", { "class": "search-snippet", text: snippet(item.summary, words) });
    }
    if (item.kind === "article") {
      if (item.outlet) meta.push(item.outlet);
      if (item.date) meta.push(formatDate(item.date, dates.short, dates));
    }
    return el("li", {}, [
      el("a", { href: item.url, text: item.name }),
      meta.length ? el("span", { "class": "search-meta", text: meta.join(" · ") }) : null,
      extra
    ]);
  }

  function start(root) {
    var basePath = root.getAttribute("data-base-path") || "/";
    var indexUrl = root.getAttribute("data-index") || basePath + "search/index.js";
    // Fragments are beside the manifest, wherever the site is served from.
    var dir = new URL(".", new URL(indexUrl, document.baseURI)).href;
    var input = root.querySelector("input[name=q]");
    var form = root.querySelector("form");
    var status = root.querySelector("[data-search-status]");
    var results = root.querySelector("[data-search-results]");
    if (!input || !status || !results) return;
    var prepared = null;
    var failed = false;
    var shown = {};
    var suggest = el("p", { "class": "search-suggest" });
    status.parentNode.insertBefore(suggest, status.nextSibling);

    function say(text) { status.textContent = text; }

    function fail() {
      failed = true;
      results.textContent = "";
      suggest.textContent = "";
      say("The search index could not be loaded. Browse the days, threads, actors, topics and sources instead.");
    }

    function show(query, found) {
      results.textContent = "";
      suggest.textContent = "";
      if (!found.words.length) {
        say("Type a name, an alias, words from a headline or a date.");
        return;
      }
      var total = 0;
      GROUPS.forEach(function (g) {
        var list = found[g[0]];
        if (!list || !list.length) return;
        total += list.length;
        var limit = shown[g[0]] || PAGE;
        var id = "results-" + g[0];
        var ul = el("ul", { "class": "search-list" }, list.slice(0, limit).filter(function (m) {
          return m.item;
        }).map(function (m) {
          return itemNode(prepared, m, found.words);
        }));
        var section = el("section", { "class": "search-group", "aria-labelledby": id }, [
          el("h2", { id: id }, [g[1] + " ", el("span", { "class": "count", text: "(" + list.length + ")" })]),
          ul
        ]);
        if (list.length > limit) {
          var more = el("button", { type: "button", "class": "search-more", text: "Show more " + g[1].toLowerCase() });
          more.addEventListener("click", function () {
            shown[g[0]] = limit + 100;
            run();
          });
          section.appendChild(more);
        }
        results.appendChild(section);
      });
      if (found.suggestion) {
        var url = new URL(window.location.href);
        url.searchParams.set("q", found.suggestion);
        var link = el("a", { href: url.pathname + url.search, text: found.suggestion });
        link.addEventListener("click", function (event) {
          event.preventDefault();
          input.value = found.suggestion;
          shown = {};
          syncUrl();
          run();
        });
        suggest.appendChild(document.createTextNode("No exact match. Did you mean "));
        suggest.appendChild(link);
        suggest.appendChild(document.createTextNode("? Showing close matches."));
      }
      say((total ? total + (total === 1 ? " result" : " results") : "No results") +
        " for “" + query.trim() + "”.");
    }

    // Searches with what is loaded; loads what is missing and searches
    // again. Only the latest query's results are shown.
    var generation = 0;
    function run() {
      if (failed) return;
      var query = input.value;
      var mine = ++generation;
      if (!prepared) { say("Loading the index…"); return; }
      var found = search(prepared, query, shown);
      if (found.complete) {
        show(query, found);
        // For tests and measurements: the results of `query` are shown.
        root.dispatchEvent(new CustomEvent("search-results", { detail: { query: query } }));
        return;
      }
      var left = found.missing.length;
      found.missing.forEach(function (id) {
        loadFragment(dir, id, function (err, data) {
          if (err) { fail(); return; }
          addFragment(prepared, data);
          if (--left === 0 && mine === generation) run();
        });
      });
    }

    function syncUrl() {
      if (!window.history || !history.replaceState) return;
      try {
        var url = new URL(window.location.href);
        if (input.value.trim()) url.searchParams.set("q", input.value);
        else url.searchParams.delete("q");
        history.replaceState(history.state, "", url.pathname + url.search + url.hash);
      } catch (err) {
        // An address that cannot be rewritten (a file: page, say) stays as it is.
      }
    }

    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    // No pause after a keystroke: searching what is loaded takes a few
    // milliseconds, and only missing fragments are waited for.
    input.addEventListener("input", function () {
      shown = {};
      syncUrl();
      run();
    });
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        shown = {};
        syncUrl();
        run();
      });
    }
    say("Loading the index…");
    loadFragment(dir, "index", function (err, index) {
      if (err) { fail(); return; }
      try {
        prepared = prepare(index, basePath);
      } catch (e) {
        fail();
        return;
      }
      run();
    });
  }

  function init() {
    var root = document.querySelector("[data-search]");
    if (root) start(root);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
