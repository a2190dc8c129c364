//! One article on its own: its zone and publication date, its entries
//! with their dates, names and passages, as a draft.

use std::sync::Arc;

use chrono_tz::Tz;

use super::*;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::load::annotations::RawEntry;
use crate::load::yaml::YamlDoc;
use crate::load::LoadedArticle;

impl Resolver<'_> {
    /// Resolves one article and the entries it declares, on its own: its
    /// metadata, each entry, each entry's passages in its text, and the
    /// passages of its `same_as` entries. Entry ids are checked against the
    /// rest of the site afterwards, in order.
    pub(super) fn draft_article(
        &mut self,
        a: ArticleIx,
        article: &LoadedArticle,
        body: ArticleBody,
        slug: String,
    ) -> Draft {
        let ann = &article.annotations;
        let zone = self.article_zone(article);
        let published = self.published(article, zone);
        let mut draft = Draft {
            article: Article {
                slug,
                path: article.path.clone(),
                format: article.format,
                title: ann.title.clone().unwrap_or_else(|| {
                    article
                        .rel
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default()
                }),
                outlet: ann.source.clone().unwrap_or_default(),
                url: self.safe_url(ann.url.as_deref(), article.doc.as_ref()),
                author: ann.author.clone(),
                language: ann.language.clone(),
                published,
                retrieved: self.retrieved(article, zone),
                archive: self.safe_url_at(ann.archive.as_deref(), article.doc.as_ref(), "archive"),
                sha256: self.sha256(article),
                digest: ann.digest,
                text: ArticleText::Held(Arc::new(body)),
                passages: Vec::new(),
                entries: Vec::new(),
            },
            entries: Vec::new(),
            refs: Vec::new(),
        };
        let Some(doc) = &article.doc else {
            return draft;
        };
        if ann.source.is_none() {
            self.push(
                Diagnostic::warning(
                    Code::MissingField,
                    "the article does not name its `source` (the outlet)",
                )
                .at(Some(Location {
                    file: doc.file,
                    range: doc.end()..doc.end(),
                }))
                .with_label("add `source:` to the annotations")
                .with_hint("add e.g. `source: Al Jazeera`"),
            );
        }
        let text = evidence::normalize(draft.article.held_plain());
        // Passages are numbered per entry anchor across the article, so a
        // `same_as` naming an entry of this article numbers on after it.
        let mut numbers = PassageNumbers::default();
        let mut times_without_date = Vec::new();
        for (e, raw) in ann.entries.iter().enumerate() {
            if raw.same_as.is_some() {
                continue;
            }
            let path = format!("entries.{e}");
            let mut own = Diagnostics::default();
            let entry = self
                .fork(&mut own)
                .entry(raw, doc, &path, zone, published, a);
            // A time of day with no `published` date is one cause however
            // many entries it hits: said once for the article, below.
            let time_of_day = published.is_none()
                && raw
                    .at
                    .as_ref()
                    .is_some_and(|t| matches!(dates::read(&t.0), Ok(dates::Written::Time(_))));
            // Positions are worked out only for documents with a problem.
            let at = time_of_day
                .then(|| doc.value_at(&format!("{path}.at")))
                .flatten();
            for d in own.into_items() {
                if time_of_day && d.code == Code::MissingField && d.location == at {
                    let text = raw.at.as_ref().map(|t| t.0.clone()).unwrap_or_default();
                    times_without_date.push((d, text));
                } else {
                    self.push(d);
                }
            }
            let Some(mut entry) = entry else {
                continue;
            };
            // Passage problems count only if the entry is kept: apart.
            let mut problems = Diagnostics::default();
            let local = EntryIx::new(draft.entries.len());
            let attached = self.fork(&mut problems).passages(
                &mut draft.article,
                &text,
                &entry.anchor,
                &mut numbers,
                local,
                a,
                raw,
                doc,
                &path,
            );
            attached.add_to(&mut entry, a);
            draft.entries.push(DraftEntry {
                entry,
                path,
                problems,
            });
        }
        if let Some(d) = times_without_date_once(times_without_date) {
            self.push(d);
        }
        for (e, raw) in ann.entries.iter().enumerate() {
            let Some(target) = raw.same_as.as_deref() else {
                continue;
            };
            let path = format!("entries.{e}");
            self.ignored_with_same_as(raw, doc, &path);
            let mut problems = Diagnostics::default();
            let local = EntryIx::new(draft.entries.len() + draft.refs.len());
            let attached = self.fork(&mut problems).passages(
                &mut draft.article,
                &text,
                &ids::slugify(target),
                &mut numbers,
                local,
                a,
                raw,
                doc,
                &path,
            );
            draft.refs.push(DraftRef {
                target: target.to_string(),
                path,
                attached,
                problems,
            });
        }
        draft.article.passages.sort_by(|x, y| {
            x.range
                .start
                .cmp(&y.range.start)
                .then(x.range.end.cmp(&y.range.end))
        });
        draft
    }

    pub(super) fn ignored_with_same_as(&mut self, raw: &RawEntry, doc: &YamlDoc, path: &str) {
        let mut ignored = Vec::new();
        for (field, present) in [
            ("id", raw.id.is_some()),
            ("at", raw.at.is_some()),
            ("headline", raw.headline.is_some()),
            ("summary", raw.summary.is_some()),
            ("threads", !raw.threads.0.is_empty() || raw.thread.is_some()),
            ("actors", !raw.actors.0.is_empty()),
            ("topics", !raw.topics.0.is_empty()),
            ("place", raw.place.is_some()),
        ] {
            if present {
                ignored.push(field);
            }
        }
        if let Some(first) = ignored.first() {
            self.push(
                Diagnostic::warning(Code::IgnoredField, format!("`{}` is ignored beside `same_as`", ignored.join("`, `")))
                    .at(doc.key_at(&format!("{path}.{first}")))
                    .with_hint("a same_as entry adds this article as a source: give only `evidence` and `quotes`; edit the entry where it is declared"),
            );
        }
    }

    /// The article's `url`, unless following it would run code.
    pub(super) fn safe_url(&mut self, url: Option<&str>, doc: Option<&YamlDoc>) -> Option<String> {
        self.safe_url_at(url, doc, "url")
    }

    /// A web address written at `field`, unless following it would run code.
    pub(super) fn safe_url_at(
        &mut self,
        url: Option<&str>,
        doc: Option<&YamlDoc>,
        field: &str,
    ) -> Option<String> {
        let url = url?.trim();
        if crate::load::article::is_safe_url(url) {
            return Some(url.to_string()).filter(|u| !u.is_empty());
        }
        self.push(
            Diagnostic::warning(
                Code::UnsafeUrl,
                format!("`{url}` is not a web address; it is not linked"),
            )
            .at(doc.and_then(|d| d.value_at(field)))
            .with_hint("use an http:// or https:// address"),
        );
        None
    }

    /// A warning when the editors' `text` at `path` spells a name otherwise
    /// than its registry does (every such word of the field in one).
    fn house_spelling(&mut self, text: &str, doc: &YamlDoc, path: &str) {
        let spellings = Arc::clone(&self.context.spellings);
        let found = spellings.in_text(text);
        let Some((_, first)) = found.first() else {
            return;
        };
        let words: Vec<String> = found
            .iter()
            .map(|(word, s)| format!("`{word}` (the registry writes `{}`)", s.right))
            .collect();
        self.push(
            Diagnostic::warning(
                Code::NameSpelling,
                format!("this spells a name otherwise than the actors' registry: {}", words.join(", ")),
            )
            .at(doc.value_at(path))
            .with_hint(format!(
                "write the registry's spelling (content/actors.yaml names {}); the other spelling stays an alias, so annotations may still use it",
                first.name
            )),
        );
    }

    /// When the page was collected (`retrieved`), read as `published` is.
    fn retrieved(&mut self, article: &LoadedArticle, zone: Tz) -> Option<Published> {
        let text = &article.annotations.retrieved.as_ref()?.0;
        match dates::parse_published(text, zone) {
            Ok(p) => Some(p),
            Err(e) => {
                let at = article.doc.as_ref().and_then(|d| d.value_at("retrieved"));
                self.push(date_error(&e, text, at, dates::PUBLISHED_FORMS));
                None
            }
        }
    }

    /// The page's `sha256`, lowercased; a value that is not 64 hexadecimal
    /// digits is a warning and not shown.
    fn sha256(&mut self, article: &LoadedArticle) -> Option<String> {
        let written = article.annotations.sha256.as_deref()?.trim();
        if written.len() == 64 && written.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Some(written.to_ascii_lowercase());
        }
        self.push(
            Diagnostic::warning(
                Code::InvalidHash,
                format!("`{written}` is not a SHA-256 hash: it is not shown"),
            )
            .at(article.doc.as_ref().and_then(|d| d.value_at("sha256")))
            .with_hint("a SHA-256 hash is 64 hexadecimal digits; `sha256sum FILE` prints it, and `chronicle import` writes it"),
        );
        None
    }

    pub(super) fn article_zone(&mut self, article: &LoadedArticle) -> Tz {
        match (&article.annotations.timezone, &article.doc) {
            (Some(name), Some(doc)) => name.parse().unwrap_or_else(|_| {
                self.push(crate::config::unknown_timezone(
                    name,
                    doc.value_at("timezone"),
                ));
                self.context.site_tz
            }),
            _ => self.context.site_tz,
        }
    }

    pub(super) fn published(&mut self, article: &LoadedArticle, zone: Tz) -> Option<Published> {
        let text = &article.annotations.published.as_ref()?.0;
        match dates::parse_published(text, zone) {
            Ok(p) => Some(p),
            Err(e) => {
                let at = article.doc.as_ref().and_then(|d| d.value_at("published"));
                self.push(date_error(&e, text, at, dates::PUBLISHED_FORMS));
                None
            }
        }
    }

    /// Builds a declared entry; `None` (with a diagnostic) when unusable.
    pub(super) fn entry(
        &mut self,
        raw: &RawEntry,
        doc: &YamlDoc,
        path: &str,
        zone: Tz,
        published: Option<Published>,
        article: ArticleIx,
    ) -> Option<Entry> {
        let mut usable = true;
        let headline = raw
            .headline
            .clone()
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty());
        if headline.is_none() {
            usable = false;
            self.push(
                Diagnostic::error(Code::MissingField, "this entry has no `headline`")
                    .at(doc.value_at(path))
                    .with_hint("add `headline:` with one line saying what happened"),
            );
        }
        let when = match &raw.at {
            None => {
                usable = false;
                self.push(
                    Diagnostic::error(
                        Code::MissingField,
                        "this entry has no `at`: when did it happen?",
                    )
                    .at(doc.value_at(path))
                    .with_hint(format!("add `at:` in one of the forms {}", dates::AT_FORMS)),
                );
                None
            }
            Some(text) => match dates::parse_at(&text.0, zone, published.map(|p| p.date)) {
                Ok(when) => Some(when),
                Err(e) => {
                    usable = false;
                    self.push(date_error(
                        &e,
                        &text.0,
                        doc.value_at(&format!("{path}.at")),
                        dates::AT_FORMS,
                    ));
                    None
                }
            },
        };
        let mut thread_names = raw.threads.0.clone();
        let mut threads = self.lookup_all(&thread_names, doc, &format!("{path}.threads"));
        if let Some(thread) = &raw.thread {
            thread_names.push(thread.clone());
            if let Some(t) = self.lookup(thread, || doc.value_at(&format!("{path}.thread"))) {
                threads.insert(0, t);
            }
        }
        let threads = dedup(threads);
        let mut actors = self.lookup_all(&raw.actors.0, doc, &format!("{path}.actors"));
        let topics = self.lookup_all(&raw.topics.0, doc, &format!("{path}.topics"));
        let claim = raw
            .claim
            .as_ref()
            .and_then(|c| self.claim(c, doc, &format!("{path}.claim")));
        // Who makes or disputes a claim is involved in the entry.
        if let Some(claim) = &claim {
            for &actor in claim.by.iter().chain(&claim.disputed_by) {
                if !actors.contains(&actor) {
                    actors.push(actor);
                }
            }
        }
        let corrections =
            self.corrections(&raw.corrections, doc, &format!("{path}.corrections"), zone);
        for (field, text) in [("headline", &raw.headline), ("summary", &raw.summary)] {
            if let Some(text) = text {
                self.house_spelling(text, doc, &format!("{path}.{field}"));
            }
        }
        if !usable {
            return None;
        }
        let (when, headline) = (when?, headline?);
        let day = when.day(self.context.site_tz);
        let id = match &raw.id {
            Some(id) => id.trim().to_string(),
            None => ids::derive_entry_id(day, &headline),
        };
        Some(Entry {
            anchor: ids::slugify(&id),
            id,
            when,
            day,
            headline,
            summary: raw.summary.clone().unwrap_or_default(),
            threads,
            actors,
            topics,
            place: raw.place.clone().filter(|p| !p.trim().is_empty()),
            sources: vec![EntrySource {
                article,
                passages: Vec::new(),
            }],
            quotes: Vec::new(),
            circa: raw.circa,
            claim,
            corrections,
            reported: published.map(|p| dates::instant_of(&p, zone).with_timezone(&chrono::Utc)),
        })
    }

    /// Finds an entry's evidence and quotes in one article, `a`, marking
    /// them there as passages of `local`; returns what they give the entry.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn passages(
        &mut self,
        article: &mut Article,
        text: &evidence::Normalized,
        anchor: &str,
        numbers: &mut PassageNumbers,
        local: EntryIx,
        a: ArticleIx,
        raw: &RawEntry,
        doc: &YamlDoc,
        path: &str,
    ) -> Attached {
        let mut attached = Attached::default();
        // Numbered per entry within the article, so an anchor does not move
        // when passages of other entries are added.
        let number = numbers.0.entry(anchor.to_string()).or_default();
        for (i, ev) in raw.evidence.iter().enumerate() {
            if let Some(range) = self.find(
                article,
                text,
                &ev.exact,
                ev.prefix.as_deref(),
                ev.suffix.as_deref(),
                || doc.value_at(&format!("{path}.evidence.{i}")),
                "evidence",
            ) {
                *number += 1;
                let anchor = format!("ev-{anchor}-{number}");
                article.passages.push(Passage {
                    anchor: anchor.clone(),
                    text: article
                        .held_plain()
                        .get(range.clone())
                        .unwrap_or_default()
                        .into(),
                    context: None,
                    range,
                    entry: local,
                    quote_by: None,
                });
                attached.found.push(anchor);
            }
        }
        for (i, quote) in raw.quotes.iter().enumerate() {
            let quote_path = format!("{path}.quotes.{i}");
            let actor = self.lookup(&quote.by, || doc.value_at(&format!("{quote_path}.by")));
            let range = self.find(
                article,
                text,
                &quote.text,
                quote.prefix.as_deref(),
                quote.suffix.as_deref(),
                || doc.value_at(&format!("{quote_path}.text")),
                "quote",
            );
            if let (Some(actor), Some(range)) = (actor, range) {
                *number += 1;
                let anchor = format!("q-{anchor}-{number}");
                let plain = article.held_plain();
                article.passages.push(Passage {
                    anchor: anchor.clone(),
                    text: plain.get(range.clone()).unwrap_or_default().into(),
                    context: Some(Box::new(crate::text::sentence_around(plain, range.clone()))),
                    range,
                    entry: local,
                    quote_by: Some(actor),
                });
                attached.quotes.push(Quote {
                    actor,
                    text: quote.text.trim().to_string(),
                    article: a,
                    anchor: anchor.clone(),
                });
                if !attached.speakers.contains(&actor) {
                    attached.speakers.push(actor);
                }
                attached.found.push(anchor);
            }
        }
        attached
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn find(
        &mut self,
        article: &Article,
        text: &evidence::Normalized,
        exact: &str,
        prefix: Option<&str>,
        suffix: Option<&str>,
        at: impl FnOnce() -> Option<Location>,
        what: &str,
    ) -> Option<Range<usize>> {
        let file = article.path.display();
        match evidence::find(text, exact, prefix, suffix, article.held_plain()) {
            Found::One(range) => Some(range),
            // A passage the text repeats is marked where it first occurs
            // (or where prefix/suffix say): repetition is normal on real
            // pages and never a problem.
            Found::Many(range, _) => Some(range),
            Found::NotWithContext {
                occurrences,
                before,
                after,
            } => {
                let times = match occurrences {
                    1 => "once".to_string(),
                    n => format!("{n} times"),
                };
                self.push(
                    Diagnostic::warning(
                        Code::ContextNotFound,
                        format!("this {what} is in the text of {file} ({times}), but not with the `prefix:` or `suffix:` given"),
                    )
                    .at(at())
                    .with_label("found, but not in this context")
                    .with_hint(format!(
                        "in the text, it first comes after \"{before}\" and before \"{after}\": correct `prefix:` or `suffix:`, or remove them"
                    )),
                );
                None
            }
            Found::None {
                nearest,
                differs_in_case,
            } => {
                let code = if what == "quote" {
                    Code::QuoteNotFound
                } else {
                    Code::EvidenceNotFound
                };
                let mut d =
                    Diagnostic::warning(code, format!("this {what} is not in the text of {file}"))
                        .at(at())
                        .with_label("not found in the article");
                if differs_in_case {
                    d = d.with_hint(
                        "the text has it with different capital letters; matching keeps case",
                    );
                }
                if let Some(near) = nearest {
                    d = d.with_hint(format!("the nearest passage in the article is: \"{near}\""));
                }
                self.push(d.with_hint("copy the passage from the article; white space, quote marks and dash kinds may differ"));
                None
            }
        }
    }
}

/// How many passages of each entry anchor an article has marked so far.
#[derive(Default)]
pub(super) struct PassageNumbers(std::collections::HashMap<String, usize>);

/// How many of the entries that give only a time of day a message names.
pub(super) const TIMES_NAMED: usize = 3;

/// One diagnostic for every entry of an article that gives only a time of
/// day when the article has no `published` date: the first entry's, naming
/// how many there are, with the next few shown beside it.
pub(super) fn times_without_date_once(mut found: Vec<(Diagnostic, String)>) -> Option<Diagnostic> {
    if found.len() < 2 {
        return found.pop().map(|(d, _)| d);
    }
    let count = found.len();
    let mut named: Vec<String> = found
        .iter()
        .take(TIMES_NAMED)
        .map(|(_, t)| format!("`{t}`"))
        .collect();
    if count > TIMES_NAMED {
        named.push("...".into());
    }
    let (first, _) = found.remove(0);
    let mut d = Diagnostic::error(
        Code::MissingField,
        format!(
            "{count} entries give only a time of day ({}), but the article has no `published` date to put them on",
            named.join(", ")
        ),
    )
    .at(first.location);
    for (other, _) in found.iter().take(TIMES_NAMED - 1) {
        d = d.with_related(other.location.clone(), "also a time of day");
    }
    Some(d.with_hint(
        "add `published:` to the article, or write each `at` with its date: \"YYYY-MM-DD HH:MM\"",
    ))
}

pub(super) fn date_error(
    e: &DateError,
    text: &str,
    at: Option<Location>,
    forms: &str,
) -> Diagnostic {
    let code = match e {
        DateError::Form => Code::InvalidDate,
        DateError::Impossible(_) | DateError::Skipped { .. } => Code::ImpossibleDate,
        DateError::NoPublishedDate => Code::MissingField,
    };
    let d = Diagnostic::error(code, e.message(text)).at(at);
    match e {
        DateError::NoPublishedDate => d.with_hint(
            "add `published:` to the article, or write the full date: \"YYYY-MM-DD HH:MM\"",
        ),
        _ => d.with_hint(format!("accepted forms: {forms}")),
    }
}
