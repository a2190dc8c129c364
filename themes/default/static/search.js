/* Search for a chronicle site: runs in the browser, against the index
   files the build writes (search-index.json, and the entries in
   search-entries-N.json). No framework, no build step; nothing is fetched
   but those files, from the same site. Format: docs/reference.md, "Search".

   The matching and ranking functions are pure and exported for tests
   (module.exports under Node); in a page the script wires itself to the
   element with `data-search`, and does nothing on pages without one. */
(function () {
  "use strict";

  // Letters that Unicode decomposition does not strip to a base letter.
  var LETTERS = { "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i" };

  /** Text folded for matching: lower case, accents and apostrophes
      removed, dots inside abbreviations removed ("U.S." → "us"), every
      other run of punctuation and space made one space. */
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

  /** Whether every word is the start of a word of `padded` (" folded text "). */
  function allPrefixes(padded, words) {
    for (var i = 0; i < words.length; i++) {
      if (padded.indexOf(" " + words[i]) < 0) return false;
    }
    return true;
  }

  function pad(parts) {
    return " " + parts.map(fold).join(" ") + " ";
  }

  function fill(pattern, values) {
    return pattern.replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] == null ? "" : String(values[key]);
    });
  }

  function named(rows, kind, pattern, basePath, extra) {
    return rows.map(function (row, i) {
      var aliases = row[2] || [];
      var names = [row[1]].concat(aliases);
      var item = {
        kind: kind,
        index: i,
        name: row[1],
        aliases: aliases,
        url: basePath + fill(pattern, { slug: row[0] }),
        names: names.map(fold),
        text: pad(names.concat(extra ? extra(row) : []))
      };
      if (kind === "actor") {
        item.role = row[4] || "";
        item.actorKind = row[3] || "";
      }
      return item;
    });
  }

  /** Prepares the registries index (search-index.json) for searching;
      `basePath` is the site's path, ending in "/". */
  function prepare(index, basePath) {
    basePath = basePath || "/";
    var urls = index.urls;
    var outlets = index.outlets || [];
    return {
      basePath: basePath,
      urls: urls,
      actors: named(index.actors || [], "actor", urls.actor, basePath, function (row) {
        return [row[3] || "", row[4] || ""];
      }),
      threads: named(index.threads || [], "thread", urls.thread, basePath),
      topics: named(index.topics || [], "topic", urls.topic, basePath),
      articles: (index.articles || []).map(function (row, i) {
        var outlet = outlets[row[2]] || "";
        return {
          kind: "article",
          index: i,
          name: row[1],
          outlet: outlet,
          date: row[3] || "",
          url: basePath + fill(urls.article, { slug: row[0] }),
          title: pad([row[1]]),
          text: pad([row[1], outlet])
        };
      }),
      entryFiles: index.entries || [],
      filesLoaded: 0,
      entries: null
    };
  }

  /** Adds the entries of one entries file (search-entries-N.json) to a
      prepared index; files may come in any order. */
  function addEntries(prepared, data) {
    var days = data.days || [];
    var start = data.start || 0;
    var list = prepared.entries || (prepared.entries = []);
    prepared.filesLoaded += 1;
    (data.entries || []).forEach(function (row, i) {
      var day = days[row[0]] || "";
      list.push({
        kind: "entry",
        index: start + i,
        name: row[2],
        summary: row[3] || "",
        date: day,
        url: prepared.basePath + fill(prepared.urls.entry, { day: day, anchor: row[1] }),
        threads: row[4] || [],
        actors: row[5] || [],
        topics: row[6] || [],
        claim: row[7] || "",
        title: pad([row[2]]),
        text: pad([row[2], row[3] || ""])
      });
    });
    return prepared;
  }

  /** How well a registry item matches: 0 when the query is one of its
      names or aliases, 1 when all its words are in one of them, 2 when
      they are found in its other text, -1 when it does not match. */
  function registryTier(item, words, folded) {
    if (item.names.indexOf(folded) >= 0) return 0;
    for (var i = 0; i < item.names.length; i++) {
      if (allPrefixes(" " + item.names[i] + " ", words)) return 1;
    }
    return allPrefixes(item.text, words) ? 2 : -1;
  }

  /** Indexes of the items of `list` whose names or aliases hold `word`. */
  function namesHolding(list, word) {
    var set = Object.create(null);
    list.forEach(function (item) {
      for (var i = 0; i < item.names.length; i++) {
        if ((" " + item.names[i]).indexOf(" " + word) >= 0) {
          set[item.index] = true;
          return;
        }
      }
    });
    return set;
  }

  function byName(a, b) {
    return a.tier - b.tier || (a.item.name < b.item.name ? -1 : a.item.name > b.item.name ? 1 : 0);
  }

  /** Searches a prepared index. Returns the query's words and, for each
      kind (actors, threads, topics, entries, articles), its matches best
      first: `{item, tier}`, tier 0 for an exact name or alias, 1 for a
      match in a name, alias, headline or title, 2 for other text. Entries
      of a tier are newest first; entries also match by the names and
      aliases of their threads, actors and topics. `entries` is null while
      no entries are loaded; `complete` says whether all of them are. */
  function search(prepared, query) {
    var words = queryWords(query);
    var result = {
      words: words, actors: [], threads: [], topics: [], entries: [], articles: [],
      complete: prepared.entries !== null && prepared.filesLoaded >= prepared.entryFiles.length
    };
    if (!words.length) {
      if (!prepared.entries) result.entries = null;
      return result;
    }
    var folded = words.join(" ");
    ["actors", "threads", "topics"].forEach(function (kind) {
      prepared[kind].forEach(function (item) {
        var tier = registryTier(item, words, folded);
        if (tier >= 0) result[kind].push({ item: item, tier: tier });
      });
      result[kind].sort(byName);
    });
    prepared.articles.forEach(function (item) {
      if (allPrefixes(item.text, words)) {
        result.articles.push({ item: item, tier: allPrefixes(item.title, words) ? 1 : 2 });
      }
    });
    result.articles.sort(function (a, b) {
      return a.tier - b.tier || (a.item.date < b.item.date ? 1 : a.item.date > b.item.date ? -1 : a.item.index - b.item.index);
    });
    if (!prepared.entries) {
      result.entries = null;
      return result;
    }
    // For each word, the threads, actors and topics whose names hold it.
    var related = words.map(function (w) {
      return {
        threads: namesHolding(prepared.threads, w),
        actors: namesHolding(prepared.actors, w),
        topics: namesHolding(prepared.topics, w)
      };
    });
    function viaNames(entry, r) {
      return entry.actors.some(function (a) { return r.actors[a]; }) ||
        entry.threads.some(function (t) { return r.threads[t]; }) ||
        entry.topics.some(function (t) { return r.topics[t]; });
    }
    var entries = prepared.entries;
    for (var e = entries.length - 1; e >= 0; e--) {
      var entry = entries[e];
      var ok = true;
      for (var w = 0; w < words.length && ok; w++) {
        ok = entry.text.indexOf(" " + words[w]) >= 0 || viaNames(entry, related[w]);
      }
      if (ok) result.entries.push({ item: entry, tier: allPrefixes(entry.title, words) ? 1 : 2 });
    }
    // Newest first within a tier: entries are numbered oldest first.
    result.entries.sort(function (a, b) { return a.tier - b.tier || b.item.index - a.item.index; });
    return result;
  }

  var api = { fold: fold, queryWords: queryWords, prepare: prepare, addEntries: addEntries, search: search };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
    return;
  }
  if (typeof window !== "undefined") window.ChronicleSearch = api;
  if (typeof document === "undefined") return;

  // ------------------------------------------------------------ the page

  var GROUPS = [
    ["actors", "Actors"],
    ["threads", "Threads"],
    ["topics", "Topics"],
    ["entries", "Entries"],
    ["articles", "Articles"]
  ];
  var PAGE = 20;
  // Entries files loaded without asking, newest first; older ones load when
  // the reader asks (a file holds 10,000 entries).
  var AUTO_FILES = 5;

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

  function dateLabel(day) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || "");
    if (!m) return day || "";
    try {
      return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).toLocaleDateString(
        document.documentElement.lang || undefined,
        { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    } catch (err) {
      return day;
    }
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
    if (item.kind === "actor") {
      if (item.role) meta.push(item.role);
    }
    if (item.kind === "actor" || item.kind === "thread" || item.kind === "topic") {
      // Say which alias matched, when it is not the name.
      var folded = words.join(" ");
      var hit = item.aliases.filter(function (a) {
        var f = fold(a);
        return f !== item.names[0] && (f === folded || allPrefixes(" " + f + " ", words));
      })[0];
      if (hit && !allPrefixes(" " + item.names[0] + " ", words)) meta.push("also known as " + hit);
    }
    if (item.kind === "entry") {
      if (item.claim) meta.push(item.claim.charAt(0).toUpperCase() + item.claim.slice(1) + " claim");
      meta.push(dateLabel(item.date));
      var names = item.threads.map(function (t) { return prepared.threads[t] && prepared.threads[t].name; });
      if (names.length) meta.push(names.filter(Boolean).join(", "));
      if (item.summary) extra = el("p", { "class": "search-snippet", text: snippet(item.summary, words) });
    }
    if (item.kind === "article") {
      if (item.outlet) meta.push(item.outlet);
      if (item.date) meta.push(dateLabel(item.date));
    }
    return el("li", {}, [
      el("a", { href: item.url, text: item.name }),
      meta.length ? el("span", { "class": "search-meta", text: meta.join(" · ") }) : null,
      extra
    ]);
  }

  function start(root) {
    var basePath = root.getAttribute("data-base-path") || "/";
    var indexUrl = root.getAttribute("data-index") || basePath + "search-index.json";
    var input = root.querySelector("input[name=q]");
    var form = root.querySelector("form");
    var status = root.querySelector("[data-search-status]");
    var results = root.querySelector("[data-search-results]");
    if (!input || !status || !results) return;
    var prepared = null;
    var failed = false;
    var shown = {};
    var timer = null;
    var queue = [];
    var loading = false;
    var older = el("p", { "class": "search-older" });
    status.parentNode.insertBefore(older, status.nextSibling);

    function say(text) { status.textContent = text; }

    function render() {
      var query = input.value;
      results.textContent = "";
      older.textContent = "";
      if (failed) return;
      if (queue.length && !loading) {
        var button = el("button", { type: "button", "class": "search-more", text: "Search older entries too" });
        button.addEventListener("click", function () { loadFiles(Infinity); });
        older.appendChild(button);
      }
      if (!prepared) { say("Loading the index…"); return; }
      var found = search(prepared, query);
      if (!found.words.length) {
        say(prepared.entries ? "Type a name, an alias or words from a headline." : "Loading entries…");
        return;
      }
      var total = 0;
      GROUPS.forEach(function (g) {
        var list = found[g[0]];
        if (!list || !list.length) return;
        total += list.length;
        var limit = shown[g[0]] || PAGE;
        var id = "results-" + g[0];
        var ul = el("ul", { "class": "search-list" }, list.slice(0, limit).map(function (m) {
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
            render();
          });
          section.appendChild(more);
        }
        results.appendChild(section);
      });
      var note = found.complete ? "" :
        found.entries === null ? " Entries are still loading." :
        loading ? " Older entries are still loading." : " Older entries are not searched yet.";
      say((total ? total + (total === 1 ? " result" : " results") : "No results") +
        " for “" + query.trim() + "”." + note);
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
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        shown = {};
        syncUrl();
        render();
      }, 150);
    });
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        clearTimeout(timer);
        shown = {};
        syncUrl();
        render();
      });
    }

    function load(url) {
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(url + ": HTTP " + response.status);
        return response.json();
      });
    }
    function fail() {
      failed = true;
      loading = false;
      results.textContent = "";
      older.textContent = "";
      say("The search index could not be loaded. Browse the days, threads, actors, topics and sources instead.");
    }
    // Loads up to `count` more entries files, newest first, one at a time,
    // showing results as each arrives.
    function loadFiles(count) {
      if (loading || failed) return;
      loading = true;
      (function next() {
        if (!queue.length || count <= 0) {
          loading = false;
          render();
          return;
        }
        count -= 1;
        load(basePath + queue.shift()).then(function (data) {
          addEntries(prepared, data);
          render();
          next();
        }).catch(fail);
      })();
    }
    render();
    load(indexUrl).then(function (index) {
      prepared = prepare(index, basePath);
      queue = prepared.entryFiles.slice().reverse();
      render();
      loadFiles(AUTO_FILES);
    }).catch(fail);
  }

  function init() {
    var root = document.querySelector("[data-search]");
    if (root) start(root);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
