//! Stage 2, resolve: check what was loaded against itself (names against
//! registries, evidence against article text, ids against each other) and
//! build the [`Chronicle`], the cross-referenced model pages are made from.

pub mod dates;
pub mod evidence;
pub mod ids;
pub mod live;
pub mod names;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use chrono_tz::Tz;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::load::annotations::{OneOrMany, RawEntry};
use crate::load::article::ArticleBody;
use crate::load::yaml::YamlDoc;
use crate::load::RegistryKind;
use crate::load::{Format, LoadedArticle, LoadedSite, Registry};
use dates::{DateError, Published, When};
use evidence::Found;
use names::NameIndex;

/// The resolved chronicle. Collections are sorted (entries by time, the rest
/// by id or date) and refer to each other by index.
#[derive(Debug, Clone)]
pub struct Chronicle {
    pub config: SiteConfig,
    pub entries: Vec<Entry>,
    pub days: Vec<Day>,
    pub threads: Vec<Thread>,
    pub actors: Vec<Actor>,
    pub topics: Vec<Topic>,
    pub articles: Vec<Article>,
}

/// A dated development.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    /// The entry's anchor on pages: its id as a slug.
    pub anchor: String,
    pub when: When,
    /// The day it belongs to, in the site's zone.
    pub day: NaiveDate,
    pub headline: String,
    /// Markdown.
    pub summary: String,
    pub threads: Vec<usize>,
    pub actors: Vec<usize>,
    pub topics: Vec<usize>,
    pub place: Option<String>,
    /// Every article that reports it, the declaring one first.
    pub sources: Vec<EntrySource>,
    pub quotes: Vec<Quote>,
}

/// An article reporting an entry, and the passages the entry rests on there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntrySource {
    pub article: usize,
    /// Anchors of the passages on the article's page.
    pub passages: Vec<String>,
}

/// Words an actor said, as the article gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub actor: usize,
    pub text: String,
    pub article: usize,
    /// The passage's anchor on the article's page.
    pub anchor: String,
}

/// A day with entries.
#[derive(Debug, Clone)]
pub struct Day {
    pub date: NaiveDate,
    /// In time order, all-day entries first.
    pub entries: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Thread {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub aliases: Vec<String>,
    /// Markdown.
    pub summary: String,
    pub topics: Vec<usize>,
    pub entries: Vec<usize>,
}

/// What kind of actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ActorKind {
    Person,
    State,
    Organisation,
    Group,
    Other,
}

impl ActorKind {
    pub const ALL: [ActorKind; 5] = [
        ActorKind::Person,
        ActorKind::State,
        ActorKind::Organisation,
        ActorKind::Group,
        ActorKind::Other,
    ];

    /// Reads a kind as written in actors.yaml or given to `chronicle new
    /// actor --kind` (either spelling of organisation, any case).
    pub fn parse(text: &str) -> Option<ActorKind> {
        match text.trim().to_lowercase().as_str() {
            "person" => Some(ActorKind::Person),
            "state" => Some(ActorKind::State),
            "organisation" | "organization" => Some(ActorKind::Organisation),
            "group" => Some(ActorKind::Group),
            _ => None,
        }
    }

    /// The kind as written in actors.yaml.
    pub fn as_str(&self) -> &'static str {
        match self {
            ActorKind::Person => "person",
            ActorKind::State => "state",
            ActorKind::Organisation => "organisation",
            ActorKind::Group => "group",
            ActorKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub kind: ActorKind,
    pub role: Option<String>,
    pub affiliation: Option<usize>,
    /// Markdown.
    pub description: String,
    pub entries: Vec<usize>,
    /// (entry, index in that entry's quotes), in time order.
    pub quotes: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// Markdown.
    pub description: String,
    pub entries: Vec<usize>,
}

/// A source article.
#[derive(Debug, Clone)]
pub struct Article {
    pub slug: String,
    /// Relative to the site root.
    pub path: PathBuf,
    pub format: Format,
    pub title: String,
    pub outlet: String,
    pub url: Option<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    pub published: Option<Published>,
    /// Shared, so that `chronicle serve` can keep an article's draft without
    /// a second copy of its text.
    pub body: Arc<ArticleBody>,
    /// Marked passages, sorted by position.
    pub passages: Vec<Passage>,
    /// Entries it reports, in time order.
    pub entries: Vec<usize>,
}

/// A marked passage of an article's text.
#[derive(Debug, Clone)]
pub struct Passage {
    pub anchor: String,
    /// Byte range of `body.plain`.
    pub range: Range<usize>,
    pub entry: usize,
    /// The speaker, for a quote.
    pub quote_by: Option<usize>,
}

/// Resolves a loaded site. Problems go to `diagnostics`; the chronicle is
/// built from what could be resolved, so every problem is found in one run.
pub fn resolve(site: LoadedSite, diagnostics: &mut Diagnostics) -> Chronicle {
    resolve_site(site, diagnostics, false).0
}

/// [`resolve`], keeping what [`live::ArticleDrafts`] needs to resolve one article
/// again later without resolving the rest (`chronicle serve`).
pub fn resolve_keeping(
    site: LoadedSite,
    diagnostics: &mut Diagnostics,
) -> (Chronicle, live::ArticleDrafts) {
    let (chronicle, memory) = resolve_site(site, diagnostics, true);
    (chronicle, memory.expect("asked to keep"))
}

fn resolve_site(
    mut site: LoadedSite,
    diagnostics: &mut Diagnostics,
    keep: bool,
) -> (Chronicle, Option<live::ArticleDrafts>) {
    let mut r = Resolver {
        context: SiteIndex {
            site_tz: site.config.timezone,
            actor_names: Arc::default(),
            topic_names: Arc::default(),
            thread_names: Arc::default(),
            silenced: [
                (RegistryKind::Actor, site.actors.failed),
                (RegistryKind::Topic, site.topics.failed),
                (RegistryKind::Thread, site.threads.failed),
            ]
            .into_iter()
            .filter_map(|(kind, failed)| failed.then_some(kind))
            .collect(),
        },
        diagnostics,
    };
    let topics = r.topics(&site.topics);
    let actors = r.actors(&site.actors);
    let threads = r.threads(&site.threads);
    let slugs = article_slugs(&site.articles);
    let drafts = r.drafts(&mut site.articles, &slugs);
    let kept: Option<Vec<Draft>> = keep.then(|| drafts.iter().map(|(d, _)| d.clone()).collect());
    let (articles, entries, ledger) = r.assemble(drafts, &site.articles);
    // Everything needed of the loaded articles is in the chronicle now.
    site.articles = Vec::new();
    let mut chronicle = Chronicle {
        config: site.config,
        entries: Vec::new(),
        days: Vec::new(),
        threads,
        actors,
        topics,
        articles,
    };
    chronicle.entries = in_time_order(entries, &mut chronicle.articles);
    link_back(&mut chronicle);
    let memory =
        kept.map(|drafts| live::ArticleDrafts::new(r.context, drafts, slugs, ledger, &chronicle));
    (chronicle, memory)
}

/// When an entry comes: entries are ordered by it ([`When::sort_key`],
/// from the entry's day in the site's zone, already worked out).
fn time_key(entry: &Entry) -> (NaiveDate, bool, Option<chrono::DateTime<chrono::Utc>>) {
    match entry.when {
        When::AllDay(date) => (date, false, None),
        When::At { instant, .. } => (entry.day, true, Some(instant)),
    }
}

/// Orders entries by time (then id) and renumbers the passages pointing at
/// them.
fn in_time_order(mut entries: Vec<Entry>, articles: &mut [Article]) -> Vec<Entry> {
    let keys: Vec<_> = entries.iter().map(time_key).collect();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| {
        keys[a]
            .cmp(&keys[b])
            .then_with(|| entries[a].id.cmp(&entries[b].id))
    });
    let mut new_index = vec![0; entries.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut slots: Vec<Option<Entry>> = entries.drain(..).map(Some).collect();
    let entries: Vec<Entry> = order
        .iter()
        .map(|&old| slots[old].take().expect("each once"))
        .collect();
    for article in articles {
        for passage in &mut article.passages {
            passage.entry = new_index[passage.entry];
        }
    }
    entries
}

/// Fills in the back-references (days; the entries of each thread, actor,
/// topic and article; each actor's quotes), in time order since entries
/// are. Whatever they held before is replaced.
fn link_back(c: &mut Chronicle) {
    for t in &mut c.threads {
        t.entries.clear();
    }
    for a in &mut c.actors {
        a.entries.clear();
        a.quotes.clear();
    }
    for t in &mut c.topics {
        t.entries.clear();
    }
    for a in &mut c.articles {
        a.entries.clear();
    }
    let mut days: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    for (i, entry) in c.entries.iter().enumerate() {
        days.entry(entry.day).or_default().push(i);
        for &t in &entry.threads {
            c.threads[t].entries.push(i);
        }
        for &a in &entry.actors {
            c.actors[a].entries.push(i);
        }
        for &t in &entry.topics {
            c.topics[t].entries.push(i);
        }
        for (q, quote) in entry.quotes.iter().enumerate() {
            c.actors[quote.actor].quotes.push((i, q));
        }
        for source in &entry.sources {
            let list = &mut c.articles[source.article].entries;
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    c.days = days
        .into_iter()
        .map(|(date, entries)| Day { date, entries })
        .collect();
}

/// What resolving an article needs of the rest of the site: the registries'
/// names and the site's zone. Shared, read-only, by the threads resolving
/// articles, and kept by [`live::ArticleDrafts`].
#[derive(Clone)]
struct SiteIndex {
    site_tz: Tz,
    actor_names: Arc<NameIndex>,
    topic_names: Arc<NameIndex>,
    thread_names: Arc<NameIndex>,
    /// Kinds whose registry failed to load: their unknown names are not reported.
    silenced: Vec<RegistryKind>,
}

struct Resolver<'a> {
    context: SiteIndex,
    diagnostics: &'a mut Diagnostics,
}

/// An article resolved on its own, before its entries' ids are checked
/// against the site's. Its passages point into `entries`, then `refs`:
/// passage `entry` n is `entries[n]`, or `refs[n - entries.len()]`.
#[derive(Clone)]
struct Draft {
    article: Article,
    entries: Vec<DraftEntry>,
    refs: Vec<DraftRef>,
}

/// An entry of a [`Draft`], with the problems found with its passages.
#[derive(Clone)]
struct DraftEntry {
    entry: Entry,
    /// Its path in the article's annotations (`entries.3`).
    path: String,
    problems: Diagnostics,
}

/// A `same_as` entry of a [`Draft`]: the article's passages and quotes for
/// an entry declared elsewhere, added to it once every id is known.
#[derive(Clone)]
struct DraftRef {
    /// The id it names.
    target: String,
    /// Its path in the article's annotations.
    path: String,
    attached: Attached,
    /// Problems with its passages; they count only if it is attached.
    problems: Diagnostics,
}

/// What an entry gains from one article: its passages' anchors, the quotes
/// found there, and their speakers.
#[derive(Clone, Default)]
struct Attached {
    found: Vec<String>,
    quotes: Vec<Quote>,
    speakers: Vec<usize>,
}

impl Attached {
    /// Adds to `entry` what `article` gives it: the passages to its source
    /// (a new one unless it has it), the quotes, and the speakers to its
    /// actors, as they are involved in what they said.
    fn add_to(&self, entry: &mut Entry, article: usize) {
        match entry
            .sources
            .iter_mut()
            .rev()
            .find(|s| s.article == article)
        {
            Some(source) => source.passages.extend(self.found.iter().cloned()),
            None => entry.sources.push(EntrySource {
                article,
                passages: self.found.clone(),
            }),
        }
        entry.quotes.extend(self.quotes.iter().cloned());
        for &actor in &self.speakers {
            if !entry.actors.contains(&actor) {
                entry.actors.push(actor);
            }
        }
    }
}

/// An entry id being declared, with where, for duplicate reports.
struct Declared {
    index: usize,
    /// The declaring article, the entry's place among its draft entries,
    /// and its path in the annotations, for pointing at it if the id turns
    /// up again.
    article: usize,
    place: usize,
    path: String,
}

/// What putting the drafts together decided, for [`live::ArticleDrafts`]: which
/// article declares each id, each anchor's id, and which `same_as` entries
/// were added to each entry.
struct Ledger {
    declared: HashMap<String, Declared>,
    anchors: HashMap<String, String>,
    /// For each entry id, the (article, place among its references) of the
    /// `same_as` entries added to it, in article order.
    attached: HashMap<String, Vec<(usize, usize)>>,
}

/// Where an entry is declared: its `id`, else the entry itself. Worked out
/// only when a diagnostic needs it, as the first position asked of a file
/// costs a second parse of its YAML.
fn entry_location(doc: &YamlDoc, path: &str) -> Option<Location> {
    doc.value_at(&format!("{path}.id"))
        .or_else(|| doc.value_at(path))
}

impl Resolver<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Indexes a registry item's id and names; reports clashes and unusable ids.
    fn register<T>(
        &mut self,
        kind: RegistryKind,
        registry: &Registry<T>,
        items: &[(String, Vec<(String, String)>)],
    ) -> Vec<String> {
        let mut slugs: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::new();
        for (i, (id, _)) in items.iter().enumerate() {
            let mut slug = ids::slugify(id);
            if slug.is_empty() {
                self.push(
                    Diagnostic::error(
                        Code::UnusableId,
                        format!(
                            "{kind} id `{id}` has no letters or digits to make a page address from"
                        ),
                    )
                    .at(registry.location(id, ""))
                    .with_hint("use ids made of letters, digits and hyphens, such as `lavrov`"),
                );
                slug = format!("{kind}-{i}");
            } else if let Some(&other) = slugs.get(&slug) {
                self.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        format!(
                            "{kind} ids `{}` and `{id}` would share the page /{kind}s/{slug}/",
                            items[other].0
                        ),
                    )
                    .at(registry.location(id, ""))
                    .with_related(registry.location(&items[other].0, ""), "the other one")
                    .with_hint(
                        "make the ids differ in letters or digits, not only in case or punctuation",
                    ),
                );
                slug = format!("{slug}-{i}");
            }
            slugs.insert(slug.clone(), i);
            out.push(slug);
        }
        // Ids first, so an id always wins over another item's name or alias.
        let ids = items
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (i, id, String::new()));
        let names = items.iter().enumerate().flat_map(|(i, (id, names))| {
            names
                .iter()
                .map(move |(name, path)| (i, name, format!("{id}.{path}")))
        });
        let all: Vec<(usize, &String, String)> = ids.chain(names).collect();
        for (i, name, path) in all {
            let id = &items[i].0;
            if let Some(clash) = self.names_mut(kind).insert(name, i) {
                let location = if path.is_empty() {
                    registry.location(id, "")
                } else {
                    registry.doc.as_ref().and_then(|d| d.value_at(&path))
                };
                let first = &items[clash.first].0;
                self.push(
                    Diagnostic::warning(
                        Code::AmbiguousName,
                        format!("`{}` names both {kind} `{first}` and `{id}`", clash.name),
                    )
                    .at(location)
                    .with_related(registry.location(first, ""), "also named so here")
                    .with_hint(format!(
                        "the name refers to `{first}`; remove it from one of them"
                    )),
                );
            }
        }
        out
    }

    fn topics(&mut self, registry: &Registry<crate::load::annotations::RawTopic>) -> Vec<Topic> {
        let items: Vec<(String, Vec<(String, String)>)> = registry
            .items
            .iter()
            .map(|(id, t)| (id.clone(), names_of(t.name.as_deref(), "name", &t.aliases)))
            .collect();
        let slugs = self.register(RegistryKind::Topic, registry, &items);
        registry
            .items
            .iter()
            .zip(slugs)
            .map(|((id, raw), slug)| Topic {
                id: id.clone(),
                slug,
                name: raw.name.clone().unwrap_or_else(|| id.clone()),
                aliases: raw.aliases.0.clone(),
                description: raw.description.clone().unwrap_or_default(),
                entries: Vec::new(),
            })
            .collect()
    }

    fn actors(&mut self, registry: &Registry<crate::load::annotations::RawActor>) -> Vec<Actor> {
        let items: Vec<(String, Vec<(String, String)>)> = registry
            .items
            .iter()
            .map(|(id, a)| (id.clone(), names_of(a.name.as_deref(), "name", &a.aliases)))
            .collect();
        let slugs = self.register(RegistryKind::Actor, registry, &items);
        let mut actors = Vec::new();
        for ((id, raw), slug) in registry.items.iter().zip(slugs) {
            let kind = match raw.kind.as_deref() {
                None => ActorKind::Other,
                Some(text) => ActorKind::parse(text).unwrap_or_else(|| {
                    self.push(
                        Diagnostic::warning(
                            Code::UnknownKind,
                            format!("unknown actor kind `{text}`"),
                        )
                        .at(registry.location(id, "kind"))
                        .with_hint("kind is one of: person, state, organisation, group"),
                    );
                    ActorKind::Other
                }),
            };
            let affiliation = raw.affiliation.as_deref().and_then(|name| {
                self.lookup(RegistryKind::Actor, name, || {
                    registry.location(id, "affiliation")
                })
            });
            actors.push(Actor {
                id: id.clone(),
                slug,
                name: raw.name.clone().unwrap_or_else(|| id.clone()),
                aliases: raw.aliases.0.clone(),
                kind,
                role: raw.role.clone(),
                affiliation,
                description: raw.description.clone().unwrap_or_default(),
                entries: Vec::new(),
                quotes: Vec::new(),
            });
        }
        actors
    }

    fn threads(&mut self, registry: &Registry<crate::load::annotations::RawThread>) -> Vec<Thread> {
        let items: Vec<(String, Vec<(String, String)>)> = registry
            .items
            .iter()
            .map(|(id, t)| {
                (
                    id.clone(),
                    names_of(t.title.as_deref(), "title", &t.aliases),
                )
            })
            .collect();
        let slugs = self.register(RegistryKind::Thread, registry, &items);
        let mut threads = Vec::new();
        for ((id, raw), slug) in registry.items.iter().zip(slugs) {
            let topics = raw
                .topics
                .0
                .iter()
                .enumerate()
                .filter_map(|(i, name)| {
                    self.lookup(RegistryKind::Topic, name, || {
                        registry.location(id, &format!("topics.{i}"))
                    })
                })
                .collect();
            threads.push(Thread {
                id: id.clone(),
                slug,
                title: raw.title.clone().unwrap_or_else(|| id.clone()),
                aliases: raw.aliases.0.clone(),
                summary: raw.summary.clone().unwrap_or_default(),
                topics: dedup(topics),
                entries: Vec::new(),
            });
        }
        threads
    }

    /// The names of the registry of `kind`.
    fn names(&self, kind: RegistryKind) -> &NameIndex {
        match kind {
            RegistryKind::Actor => &self.context.actor_names,
            RegistryKind::Topic => &self.context.topic_names,
            RegistryKind::Thread => &self.context.thread_names,
        }
    }

    /// The names of the registry of `kind`, to add to (while registries are
    /// read, before any thread shares them).
    fn names_mut(&mut self, kind: RegistryKind) -> &mut NameIndex {
        Arc::make_mut(match kind {
            RegistryKind::Actor => &mut self.context.actor_names,
            RegistryKind::Topic => &mut self.context.topic_names,
            RegistryKind::Thread => &mut self.context.thread_names,
        })
    }

    /// A resolver for one article's work on another thread, reporting into
    /// `diagnostics`.
    fn fork<'d>(&self, diagnostics: &'d mut Diagnostics) -> Resolver<'d> {
        Resolver {
            context: self.context.clone(),
            diagnostics,
        }
    }

    /// Resolves a name through the registry of `kind`; an unknown name is a
    /// warning offering the nearest known names.
    fn lookup(
        &mut self,
        kind: RegistryKind,
        name: &str,
        location: impl FnOnce() -> Option<Location>,
    ) -> Option<usize> {
        if let Some(i) = self.names(kind).get(name) {
            return Some(i);
        }
        if self.context.silenced.contains(&kind) {
            return None;
        }
        let near = self.names(kind).suggest(name, 3);
        let mut d = Diagnostic::warning(
            match kind {
                RegistryKind::Actor => Code::UnknownActor,
                RegistryKind::Topic => Code::UnknownTopic,
                RegistryKind::Thread => Code::UnknownThread,
            },
            format!("unknown {kind} `{name}`"),
        )
        .at(location())
        .with_label(format!("not an id, name or alias in content/{kind}s.yaml"));
        if !near.is_empty() {
            d = d.with_hint(format!("did you mean {}?", names::or_list(&near)));
        }
        d = d.with_hint(format!(
            "or add `{name}` to content/{kind}s.yaml, as an id or under `aliases`"
        ));
        self.push(d);
        None
    }

    fn lookup_all(
        &mut self,
        kind: RegistryKind,
        names: &[String],
        doc: &YamlDoc,
        path: &str,
    ) -> Vec<usize> {
        let found = names
            .iter()
            .enumerate()
            .filter_map(|(i, name)| {
                self.lookup(kind, name, || doc.value_at(&format!("{path}.{i}")))
            })
            .collect();
        dedup(found)
    }

    /// Resolves one article and the entries it declares, on its own: its
    /// metadata, each entry, each entry's passages in its text, and the
    /// passages of its `same_as` entries. Entry ids are checked against the
    /// rest of the site afterwards, in order.
    fn draft_article(
        &mut self,
        a: usize,
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
                body: Arc::new(body),
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
        let text = evidence::normalize(&draft.article.body.plain);
        let mut times_without_date = Vec::new();
        for (e, raw) in ann.entries.iter().enumerate() {
            if raw.same_as.is_some() {
                continue;
            }
            let path = format!("entries.{e}");
            let mut own = Diagnostics::default();
            let entry =
                self.fork(&mut own)
                    .entry(raw, doc, &path, zone, published.map(|p| p.date), a);
            // A time of day with no `published` date is one cause however
            // many entries it hits: said once for the article, below.
            let at = doc.value_at(&format!("{path}.at"));
            let time_of_day = published.is_none()
                && raw
                    .at
                    .as_ref()
                    .is_some_and(|t| matches!(dates::read(&t.0), Ok(dates::Written::Time(_))));
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
            let local = draft.entries.len();
            let attached = self.fork(&mut problems).passages(
                &mut draft.article,
                &text,
                &entry.anchor,
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
            let local = draft.entries.len() + draft.refs.len();
            let attached = self.fork(&mut problems).passages(
                &mut draft.article,
                &text,
                &ids::slugify(target),
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

    /// Drafts every article, in parallel, each into its own diagnostics.
    /// The articles' bodies move into the drafts.
    fn drafts(
        &mut self,
        loaded: &mut [LoadedArticle],
        slugs: &[String],
    ) -> Vec<(Draft, Diagnostics)> {
        let bodies: Vec<ArticleBody> = loaded
            .iter_mut()
            .map(|a| std::mem::take(&mut a.body))
            .collect();
        loaded
            .par_iter()
            .zip(bodies)
            .zip(slugs)
            .enumerate()
            .map(|(a, ((article, body), slug))| {
                let mut problems = Diagnostics::default();
                let draft = self
                    .fork(&mut problems)
                    .draft_article(a, article, body, slug.clone());
                (draft, problems)
            })
            .collect()
    }

    /// Puts the drafts together: declares each entry id in order (a
    /// duplicate is dropped with its passages), then adds each `same_as`
    /// entry's passages to the entry it names. Entries come out in the order
    /// declared.
    fn assemble(
        &mut self,
        drafts: Vec<(Draft, Diagnostics)>,
        loaded: &[LoadedArticle],
    ) -> (Vec<Article>, Vec<Entry>, Ledger) {
        let mut articles = Vec::with_capacity(drafts.len());
        let mut refs = Vec::with_capacity(drafts.len());
        let mut entries: Vec<Entry> = Vec::new();
        let mut declared: HashMap<String, Declared> = HashMap::new();
        let mut anchors: HashMap<String, String> = HashMap::new();
        // Where each draft's local passage numbers end up; `None`: dropped.
        let mut index_of: Vec<Vec<Option<usize>>> = Vec::with_capacity(drafts.len());
        for (a, (draft, problems)) in drafts.into_iter().enumerate() {
            self.diagnostics.extend(problems);
            let mut local = Vec::with_capacity(draft.entries.len() + draft.refs.len());
            for (
                place,
                DraftEntry {
                    entry,
                    path,
                    problems,
                },
            ) in draft.entries.into_iter().enumerate()
            {
                let new = Declared {
                    index: entries.len(),
                    article: a,
                    place,
                    path,
                };
                if self.declare(&entry, new, loaded, &mut declared, &mut anchors) {
                    local.push(Some(entries.len()));
                    entries.push(entry);
                    self.diagnostics.extend(problems);
                } else {
                    local.push(None);
                }
            }
            index_of.push(local);
            articles.push(draft.article);
            refs.push(draft.refs);
        }

        // same_as references, once every entry is declared.
        let mut attached: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (a, article_refs) in refs.into_iter().enumerate() {
            for (r, reference) in article_refs.into_iter().enumerate() {
                let index = self.attach(&reference, a, &declared, &mut entries, loaded);
                if index.is_some() {
                    attached.entry(reference.target).or_default().push((a, r));
                }
                index_of[a].push(index);
            }
        }
        for (article, index_of) in articles.iter_mut().zip(&index_of) {
            article.passages.retain_mut(|p| match index_of[p.entry] {
                Some(index) => {
                    p.entry = index;
                    true
                }
                None => false,
            });
        }
        let ledger = Ledger {
            declared,
            anchors,
            attached,
        };
        (articles, entries, ledger)
    }

    /// Adds a `same_as` entry of article `a` to the entry it names; returns
    /// that entry's index, or `None` (with a diagnostic) when it names none
    /// or the entry already has the article as a source.
    fn attach(
        &mut self,
        reference: &DraftRef,
        a: usize,
        declared: &HashMap<String, Declared>,
        entries: &mut [Entry],
        loaded: &[LoadedArticle],
    ) -> Option<usize> {
        let target = &reference.target;
        let at = |field: &str| {
            loaded[a]
                .doc
                .as_ref()
                .and_then(|doc| doc.value_at(&format!("{}.{field}", reference.path)))
        };
        let Some(declared) = declared.get(target) else {
            let mut ids: Vec<&str> = declared.keys().map(String::as_str).collect();
            ids.sort_unstable();
            let near = names::nearest(target, ids.into_iter(), 3);
            let mut d = Diagnostic::error(
                Code::UnknownEntry,
                format!("`same_as: {target}` names no entry"),
            )
            .at(at("same_as"))
            .with_label("no entry has this id");
            if !near.is_empty() {
                d = d.with_hint(format!("did you mean {}?", names::or_list(&near)));
            }
            self.push(
                d.with_hint("same_as takes the `id` of an entry declared in another article"),
            );
            return None;
        };
        let entry = &mut entries[declared.index];
        if entry.sources.iter().any(|s| s.article == a) {
            self.push(
                Diagnostic::warning(
                    Code::RepeatedSource,
                    format!("this article already reports `{target}`"),
                )
                .at(at("same_as"))
                .with_hint("list every passage under the one entry instead"),
            );
            return None;
        }
        reference.attached.add_to(entry, a);
        self.diagnostics.extend(reference.problems.clone());
        Some(declared.index)
    }

    fn ignored_with_same_as(&mut self, raw: &RawEntry, doc: &YamlDoc, path: &str) {
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

    /// Records an entry's id; a duplicate is reported with both places.
    fn declare(
        &mut self,
        entry: &Entry,
        new: Declared,
        loaded: &[LoadedArticle],
        declared: &mut HashMap<String, Declared>,
        anchors: &mut HashMap<String, String>,
    ) -> bool {
        let location_of = |d: &Declared| {
            let doc = loaded.get(d.article)?.doc.as_ref()?;
            entry_location(doc, &d.path)
        };
        if let Some(first) = declared.get(&entry.id) {
            self.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("entry id `{}` is used twice", entry.id),
                )
                .at(location_of(&new))
                .with_label("second use")
                .with_related(location_of(first), "first use")
                .with_hint("ids must be unique across the site; give one of them another `id`"),
            );
            return false;
        }
        if entry.anchor.is_empty() {
            self.push(
                Diagnostic::error(
                    Code::UnusableId,
                    format!("entry id `{}` has no letters or digits", entry.id),
                )
                .at(location_of(&new))
                .with_hint("use letters, digits and hyphens, such as `us-written-response`"),
            );
            return false;
        }
        if let Some(other) = anchors.get(&entry.anchor) {
            self.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!(
                        "entry ids `{other}` and `{}` would share the anchor #{}",
                        entry.id, entry.anchor
                    ),
                )
                .at(location_of(&new))
                .with_related(declared.get(other).and_then(location_of), "the other one")
                .with_hint("make the ids differ in letters or digits"),
            );
            return false;
        }
        anchors.insert(entry.anchor.clone(), entry.id.clone());
        declared.insert(entry.id.clone(), new);
        true
    }

    /// The article's `url`, unless following it would run code.
    fn safe_url(&mut self, url: Option<&str>, doc: Option<&YamlDoc>) -> Option<String> {
        let url = url?.trim();
        if crate::load::article::is_safe_url(url) {
            return Some(url.to_string()).filter(|u| !u.is_empty());
        }
        self.push(
            Diagnostic::warning(
                Code::UnsafeUrl,
                format!("`{url}` is not a web address; it is not linked"),
            )
            .at(doc.and_then(|d| d.value_at("url")))
            .with_hint("use an http:// or https:// address"),
        );
        None
    }

    fn article_zone(&mut self, article: &LoadedArticle) -> Tz {
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

    fn published(&mut self, article: &LoadedArticle, zone: Tz) -> Option<Published> {
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
    fn entry(
        &mut self,
        raw: &RawEntry,
        doc: &YamlDoc,
        path: &str,
        zone: Tz,
        published: Option<NaiveDate>,
        article: usize,
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
            Some(text) => match dates::parse_at(&text.0, zone, published) {
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
        let mut threads = self.lookup_all(
            RegistryKind::Thread,
            &thread_names,
            doc,
            &format!("{path}.threads"),
        );
        if let Some(thread) = &raw.thread {
            thread_names.push(thread.clone());
            if let Some(t) = self.lookup(RegistryKind::Thread, thread, || {
                doc.value_at(&format!("{path}.thread"))
            }) {
                threads.insert(0, t);
            }
        }
        let threads = dedup(threads);
        let actors = self.lookup_all(
            RegistryKind::Actor,
            &raw.actors.0,
            doc,
            &format!("{path}.actors"),
        );
        let topics = self.lookup_all(
            RegistryKind::Topic,
            &raw.topics.0,
            doc,
            &format!("{path}.topics"),
        );
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
        })
    }

    /// Finds an entry's evidence and quotes in one article, `a`, marking
    /// them there as passages of `local`; returns what they give the entry.
    #[allow(clippy::too_many_arguments)]
    fn passages(
        &mut self,
        article: &mut Article,
        text: &evidence::Normalized,
        anchor: &str,
        local: usize,
        a: usize,
        raw: &RawEntry,
        doc: &YamlDoc,
        path: &str,
    ) -> Attached {
        let mut attached = Attached::default();
        // Numbered per entry within the article (each entry gets an
        // article's passages once), so an anchor does not move when passages
        // of other entries are added.
        let mut number = 0;
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
                number += 1;
                let anchor = format!("ev-{anchor}-{number}");
                article.passages.push(Passage {
                    anchor: anchor.clone(),
                    range,
                    entry: local,
                    quote_by: None,
                });
                attached.found.push(anchor);
            }
        }
        for (i, quote) in raw.quotes.iter().enumerate() {
            let quote_path = format!("{path}.quotes.{i}");
            let actor = self.lookup(RegistryKind::Actor, &quote.by, || {
                doc.value_at(&format!("{quote_path}.by"))
            });
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
                number += 1;
                let anchor = format!("q-{anchor}-{number}");
                article.passages.push(Passage {
                    anchor: anchor.clone(),
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
    fn find(
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
        match evidence::find(text, exact, prefix, suffix, &article.body.plain) {
            Found::One(range) => Some(range),
            Found::Many(range, n) => {
                self.push(
                    Diagnostic::warning(Code::AmbiguousPassage, format!("this {what} occurs {n} times in {file}; the first is marked"))
                        .at(at())
                        .with_hint("add `prefix:` (the words just before) or `suffix:` (the words just after) to say which"),
                );
                Some(range)
            }
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

/// How many of the entries that give only a time of day a message names.
const TIMES_NAMED: usize = 3;

/// One diagnostic for every entry of an article that gives only a time of
/// day when the article has no `published` date: the first entry's, naming
/// how many there are, with the next few shown beside it.
fn times_without_date_once(mut found: Vec<(Diagnostic, String)>) -> Option<Diagnostic> {
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

fn date_error(e: &DateError, text: &str, at: Option<Location>, forms: &str) -> Diagnostic {
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

/// An item's name (under `name_field`) and aliases, each with its YAML path.
fn names_of(name: Option<&str>, name_field: &str, aliases: &OneOrMany) -> Vec<(String, String)> {
    let name = name.map(|n| (n.to_string(), name_field.to_string()));
    let aliases = aliases
        .0
        .iter()
        .enumerate()
        .map(|(i, a)| (a.clone(), format!("aliases.{i}")));
    name.into_iter().chain(aliases).collect()
}

fn dedup(mut items: Vec<usize>) -> Vec<usize> {
    let mut seen = std::collections::HashSet::new();
    items.retain(|i| seen.insert(*i));
    items
}

/// Article slugs: the file name's stem, or, where two articles share a stem,
/// the whole path below content/articles.
fn article_slugs(articles: &[LoadedArticle]) -> Vec<String> {
    let rels: Vec<&Path> = articles.iter().map(|a| a.rel.as_path()).collect();
    slugs_of(&rels)
}

/// [`article_slugs`] of articles at `rels` (below content/articles), in
/// order.
fn slugs_of(rels: &[&Path]) -> Vec<String> {
    let stem_slug = |rel: &Path| {
        ids::slugify(
            &rel.with_extension("")
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    };
    let path_slug = |rel: &Path| ids::slugify(&rel.with_extension("").to_string_lossy());
    let mut count: HashMap<String, usize> = HashMap::new();
    for &rel in rels {
        *count.entry(stem_slug(rel)).or_default() += 1;
    }
    let mut used: HashMap<String, usize> = HashMap::new();
    rels.iter()
        .enumerate()
        .map(|(i, &a)| {
            let stem = stem_slug(a);
            let mut slug = if count[&stem] > 1 || stem.is_empty() {
                path_slug(a)
            } else {
                stem
            };
            if slug.is_empty() {
                slug = format!("article-{i}");
            }
            let n = used.entry(slug.clone()).or_default();
            *n += 1;
            if *n > 1 {
                slug = format!("{slug}-{n}");
            }
            slug
        })
        .collect()
}
