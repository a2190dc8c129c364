//! Stage 2, resolve: check what was loaded against itself (names against
//! registries, evidence against article text, ids against each other) and
//! build the [`Chronicle`], the cross-referenced model pages are made from.

pub mod dates;
pub mod evidence;
pub mod ids;
pub mod ix;
pub mod names;

mod article;
mod assemble;
mod editorial;
mod registries;
pub mod style;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::load::article::ArticleBody;
use crate::load::yaml::YamlDoc;
use crate::load::RegistryKind;
use crate::load::{Format, LoadedArticle, LoadedSite};
use dates::{DateError, Published, When};
pub use editorial::{Claim, ClaimStatus, Correction};
use evidence::Found;
use ix::RegistryIx;
pub use ix::{ActorIx, ArticleIx, EntryIx, PerItem, ThreadIx, TopicIx, TypedIndex};
use names::NameIndex;

/// The resolved chronicle. Collections are sorted (entries by time, the rest
/// by id or date) and refer to each other by index.
#[derive(Debug, Clone)]
pub struct Chronicle {
    /// The site's directory, where article texts are read again from.
    pub root: PathBuf,
    pub config: SiteConfig,
    pub entries: Vec<Entry>,
    pub days: Vec<Day>,
    pub threads: Vec<Thread>,
    pub actors: Vec<Actor>,
    pub topics: Vec<Topic>,
    pub articles: Vec<Article>,
    /// The editors' standalone pages, as loaded, in navigation order.
    pub pages: Vec<crate::load::pages::StandalonePage>,
}

impl Chronicle {
    /// When entry `e` last changed, from the content alone (never the
    /// build's clock): the newest publication of a source reporting it, or
    /// its newest correction; `None` when neither is dated.
    pub fn entry_changed(&self, e: EntryIx) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        let zone = self.config.timezone;
        let entry = &self.entries[e];
        let reported = entry
            .sources
            .iter()
            .filter_map(|s| self.articles[s.article].published.as_ref())
            .map(|p| dates::instant_of(p, zone))
            .max();
        reported.max(entry.last_corrected(zone))
    }
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
    pub threads: Vec<ThreadIx>,
    pub actors: Vec<ActorIx>,
    pub topics: Vec<TopicIx>,
    pub place: Option<String>,
    /// Every article that reports it, the declaring one first.
    pub sources: Vec<EntrySource>,
    pub quotes: Vec<Quote>,
    /// The time (or, for a date-only entry, the date) is approximate.
    pub circa: bool,
    /// Set when the entry reports a claim rather than an established fact.
    pub claim: Option<Claim>,
    /// The editors' corrections, oldest first.
    pub corrections: Vec<Correction>,
    /// When the declaring article was published (its date's start when it
    /// gives no time): orders date-only entries on their day.
    pub reported: Option<chrono::DateTime<chrono::Utc>>,
}

impl Entry {
    /// Whether the entry reads as a claim: it has one whose status is not
    /// `confirmed`.
    pub fn is_claim(&self) -> bool {
        self.claim
            .as_ref()
            .is_some_and(|c| !c.status.is_established())
    }

    /// When the editors last changed it: its latest correction's instant.
    pub fn last_corrected(&self, zone: Tz) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        self.corrections.iter().map(|c| c.instant(zone)).max()
    }
}

/// An article reporting an entry, and the passages the entry rests on there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntrySource {
    pub article: ArticleIx,
    /// Anchors of the passages on the article's page.
    pub passages: Vec<String>,
}

/// Words an actor said, as the article gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub actor: ActorIx,
    pub text: String,
    pub article: ArticleIx,
    /// The passage's anchor on the article's page.
    pub anchor: String,
}

/// One of an entry's quotes: `Chronicle::entries[entry].quotes[quote]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteRef {
    pub entry: EntryIx,
    /// Its place among the entry's quotes.
    pub quote: usize,
}

/// A day with entries.
#[derive(Debug, Clone)]
pub struct Day {
    pub date: NaiveDate,
    /// In time order, all-day entries first.
    pub entries: Vec<EntryIx>,
}

#[derive(Debug, Clone)]
pub struct Thread {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub aliases: Vec<String>,
    /// Markdown.
    pub summary: String,
    pub topics: Vec<TopicIx>,
    pub entries: Vec<EntryIx>,
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
    pub affiliation: Option<ActorIx>,
    /// Markdown.
    pub description: String,
    pub entries: Vec<EntryIx>,
    /// The actor's quotes, in time order.
    pub quotes: Vec<QuoteRef>,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// Markdown.
    pub description: String,
    pub entries: Vec<EntryIx>,
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
    /// Provenance: when the editors collected the page.
    pub retrieved: Option<Published>,
    /// Provenance: a preserved copy of the page.
    pub archive: Option<String>,
    /// Provenance: SHA-256 of the page as collected, lowercase hex.
    pub sha256: Option<String>,
    /// The text is the editors' digest of the outlet's report (`digest: true`).
    pub digest: bool,
    /// Its text: held, or let go of once its evidence was found.
    pub text: ArticleText,
    /// Marked passages, sorted by position.
    pub passages: Vec<Passage>,
    /// Entries it reports, in time order.
    pub entries: Vec<EntryIx>,
}

/// An article's text, as evidence was found in it.
#[derive(Debug, Clone)]
pub enum ArticleText {
    /// Kept in memory: shared, so that `chronicle serve` can keep an
    /// article's draft without a second copy of its text.
    Held(Arc<ArticleBody>),
    /// Let go of once its evidence was found, and read again from the
    /// article's file to render its page: a large site's texts need not all
    /// be in memory at once. `plain_len` is the length of the text the
    /// evidence was found in, to tell whether the file changed since.
    Released { plain_len: usize },
}

impl Default for ArticleText {
    fn default() -> Self {
        ArticleText::Held(Arc::default())
    }
}

impl Article {
    /// The held text's plain form, which evidence is found in while
    /// drafting (before any text is let go of); empty once let go of.
    pub(crate) fn held_plain(&self) -> &str {
        match &self.text {
            ArticleText::Held(body) => &body.plain,
            ArticleText::Released { .. } => "",
        }
    }

    /// Lets go of the text (see [`ArticleText::Released`]).
    pub fn release_text(&mut self) {
        if let ArticleText::Held(body) = &self.text {
            self.text = ArticleText::Released {
                plain_len: body.plain.len(),
            };
        }
    }

    /// The article's text: the one held, or the file at `root` read again,
    /// the same as when its evidence was found. A file that no longer reads
    /// the same (edited while the build ran) is an error naming it.
    pub fn body(&self, root: &Path, raw_html: bool) -> Result<Arc<ArticleBody>, Box<Diagnostic>> {
        let plain_len = match &self.text {
            ArticleText::Held(body) => return Ok(Arc::clone(body)),
            ArticleText::Released { plain_len } => *plain_len,
        };
        let body = crate::load::reread_body(root, &self.path, self.format, raw_html)?;
        let same = body.plain.len() == plain_len
            && self
                .passages
                .iter()
                .all(|p| body.plain.get(p.range.clone()) == Some(&*p.text));
        if !same {
            return Err(Box::new(
                Diagnostic::error(
                    Code::ChangedDuringBuild,
                    "this article changed while the site was being built",
                )
                .in_file(&self.path)
                .with_hint("build again; nothing was written"),
            ));
        }
        Ok(Arc::new(body))
    }
}

/// A marked passage of an article's text.
#[derive(Debug, Clone)]
pub struct Passage {
    pub anchor: String,
    /// Byte range of the text's `plain`.
    pub range: Range<usize>,
    /// The words marked, as they read in the text.
    pub text: Box<str>,
    /// For a quote, the words around it in its sentence (before, after),
    /// which pages show with it.
    pub context: Option<Box<(String, String)>>,
    pub entry: EntryIx,
    /// The speaker, for a quote.
    pub quote_by: Option<ActorIx>,
}

/// Resolves a loaded site. Problems go to `diagnostics`; the chronicle is
/// built from what could be resolved, so every problem is found in one run.
pub fn resolve(mut site: LoadedSite, diagnostics: &mut Diagnostics) -> Chronicle {
    let registries = index_registries(&site, diagnostics);
    let slugs = article_slugs(&site.articles);
    let drafts = draft_all(&registries.index, &mut site.articles, &slugs);
    assemble(site, registries, drafts, diagnostics).0
}

/// Resolving, step 1: the registries, indexed by every name and alias.
pub struct Registries {
    /// What each article is resolved against.
    pub index: SiteIndex,
    pub topics: Vec<Topic>,
    pub actors: Vec<Actor>,
    pub threads: Vec<Thread>,
}

/// Step 1: indexes the registries, reporting clashes and unknown names in
/// them.
pub fn index_registries(site: &LoadedSite, diagnostics: &mut Diagnostics) -> Registries {
    let mut r = Resolver {
        context: SiteIndex {
            site_tz: site.config.timezone,
            actor_names: Arc::default(),
            topic_names: Arc::default(),
            thread_names: Arc::default(),
            spellings: Arc::default(),
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
    r.context.spellings = Arc::new(style::Spellings::of(&actors));
    let threads = r.threads(&site.threads);
    Registries {
        index: r.context,
        topics,
        actors,
        threads,
    }
}

/// Step 2: one article on its own, as a draft (article number `a`, its
/// page's `slug`), with the problems found in it. Takes the article's body.
pub fn draft(
    index: &SiteIndex,
    a: ArticleIx,
    article: &mut LoadedArticle,
    slug: String,
) -> (Draft, Diagnostics) {
    let mut problems = Diagnostics::default();
    let body = std::mem::take(&mut article.body);
    let draft = Resolver {
        context: index.clone(),
        diagnostics: &mut problems,
    }
    .draft_article(a, article, body, slug);
    // What the draft needs of the annotations it has copied; what is left
    // (evidence as written, names before resolving) goes now, not after
    // every article is drafted: on a large site the annotations of all
    // articles at once were a good part of the build's peak memory.
    article.annotations = Default::default();
    (draft, problems)
}

/// Step 2 for every article, in parallel.
pub fn draft_all(
    index: &SiteIndex,
    articles: &mut [LoadedArticle],
    slugs: &[String],
) -> Vec<(Draft, Diagnostics)> {
    use rayon::prelude::*;
    articles
        .par_iter_mut()
        .zip(slugs)
        .enumerate()
        .map(|(a, (article, slug))| draft(index, ArticleIx::new(a), article, slug.clone()))
        .collect()
}

/// Steps 1 and 2 while the site is read ([`crate::load::Batches`]): the
/// registries indexed once they are read, then each batch of articles
/// drafted as it is read, and their texts let go of (see
/// [`ArticleText::Released`]), their annotations' too (read again for a
/// problem found later: [`YamlDoc::release`]). [`resolve_drafted`] does
/// the rest.
#[derive(Default)]
pub struct Drafting {
    registries: Option<Registries>,
    drafts: Vec<(Draft, Diagnostics)>,
    root: PathBuf,
}

impl crate::load::Batches for Drafting {
    fn start(&mut self, site: &LoadedSite, diagnostics: &mut Diagnostics) {
        self.registries = Some(index_registries(site, diagnostics));
        self.root = site.root.clone();
    }

    fn batch(
        &mut self,
        first: usize,
        articles: &mut [LoadedArticle],
        files: &mut crate::diagnostics::SourceFiles,
    ) {
        use rayon::prelude::*;
        let Some(registries) = &self.registries else {
            return;
        };
        // The slug needs every article's path: it is given in
        // `resolve_drafted`.
        let drafted: Vec<(Draft, Diagnostics)> = articles
            .par_iter_mut()
            .enumerate()
            .map(|(i, article)| {
                let (mut draft, problems) = draft(
                    &registries.index,
                    ArticleIx::new(first + i),
                    article,
                    String::new(),
                );
                draft.article.release_text();
                (draft, problems)
            })
            .collect();
        self.drafts.extend(drafted);
        for doc in articles.iter_mut().filter_map(|a| a.doc.as_mut()) {
            let path = self.root.join(&files.get(doc.file).path);
            doc.release(path);
            files.release(doc.file);
        }
    }
}

/// Resolves a site read with [`Drafting`]: what [`resolve`] does, but with
/// the articles already drafted as they were read.
pub fn resolve_drafted(
    site: LoadedSite,
    drafting: Drafting,
    diagnostics: &mut Diagnostics,
) -> Chronicle {
    let registries = match drafting.registries {
        Some(registries) => registries,
        None => index_registries(&site, diagnostics),
    };
    let mut drafts = drafting.drafts;
    for ((draft, _), slug) in drafts.iter_mut().zip(article_slugs(&site.articles)) {
        draft.article.slug = slug;
    }
    assemble(site, registries, drafts, diagnostics).0
}

/// Step 3: the drafts put together into the chronicle: ids declared once
/// across articles, `same_as` entries attached, entries in time order and
/// cross-referenced. Returns too what putting them together decided.
pub fn assemble(
    mut site: LoadedSite,
    registries: Registries,
    drafts: Vec<(Draft, Diagnostics)>,
    diagnostics: &mut Diagnostics,
) -> (Chronicle, Ledger) {
    let mut r = Resolver {
        context: registries.index,
        diagnostics,
    };
    let (articles, entries, ledger) = r.assemble(drafts, &site.articles);
    // Everything needed of the loaded articles is in the chronicle now.
    site.articles = Vec::new();
    let mut chronicle = Chronicle {
        root: site.root,
        config: site.config,
        entries: Vec::new(),
        days: Vec::new(),
        threads: registries.threads,
        actors: registries.actors,
        topics: registries.topics,
        articles,
        pages: site.pages,
    };
    chronicle.entries = in_time_order(entries, &mut chronicle.articles);
    link_back(&mut chronicle);
    (chronicle, ledger)
}

/// When an entry comes: entries are ordered by it, then by id. On its day,
/// an entry whose time is not given comes before the timed ones (it tells
/// what the day was about), earliest reported first; timed entries follow
/// in time order.
pub fn time_key(entry: &Entry) -> (NaiveDate, bool, Option<chrono::DateTime<chrono::Utc>>) {
    match entry.when {
        When::DateOnly(date) => (date, false, entry.reported),
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
    let mut new_index: PerItem<EntryIx, EntryIx> = vec![EntryIx::default(); entries.len()].into();
    for (new, &old) in order.iter().enumerate() {
        new_index[EntryIx::new(old)] = EntryIx::new(new);
    }
    permute_in_place(&mut entries, &order);
    for article in articles {
        for passage in &mut article.passages {
            passage.entry = new_index[passage.entry];
        }
    }
    entries
}

/// Reorders `items` so that position `i` holds what was at `order[i]`
/// (`order` is a permutation of the positions), by swaps along each cycle
/// of the permutation. Moving the entries into a second vector in their
/// new order held them twice, with a third buffer of slots besides (at
/// 100,000 articles, with the vector sized once, resolve's heap peak went
/// from 1,882 to 1,787 MiB).
fn permute_in_place<T>(items: &mut [T], order: &[usize]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        let mut i = start;
        while !placed[i] {
            placed[i] = true;
            let from = order[i];
            if from == start {
                break;
            }
            // Position `i` takes its item; what `i` held (the cycle's first
            // item) moves on to `from`, the next position to fill.
            items.swap(i, from);
            i = from;
        }
    }
}

/// Fills in the back-references (days; the entries of each thread, actor,
/// topic and article; each actor's quotes), in time order since entries
/// are. Whatever they held before is replaced.
pub fn link_back(c: &mut Chronicle) {
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
    let mut days: BTreeMap<NaiveDate, Vec<EntryIx>> = BTreeMap::new();
    for (i, entry) in EntryIx::all(c.entries.len()).zip(&c.entries) {
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
        for (quote, said) in entry.quotes.iter().enumerate() {
            c.actors[said.actor]
                .quotes
                .push(QuoteRef { entry: i, quote });
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
/// articles, and kept by `chronicle serve`'s `ArticleDrafts`.
#[derive(Clone)]
pub struct SiteIndex {
    pub site_tz: Tz,
    pub actor_names: Arc<NameIndex>,
    pub topic_names: Arc<NameIndex>,
    pub thread_names: Arc<NameIndex>,
    /// Other spellings of actors' names, which the editors' words avoid.
    pub spellings: Arc<style::Spellings>,
    /// Kinds whose registry failed to load: their unknown names are not reported.
    pub silenced: Vec<RegistryKind>,
}

struct Resolver<'a> {
    context: SiteIndex,
    diagnostics: &'a mut Diagnostics,
}

/// An article resolved on its own, before its entries' ids are checked
/// against the site's. Its passages point into `entries`, then `refs`:
/// passage `entry` n is `entries[n]`, or `refs[n - entries.len()]`.
#[derive(Clone)]
pub struct Draft {
    pub article: Article,
    pub entries: Vec<DraftEntry>,
    pub refs: Vec<DraftRef>,
}

/// An entry of a [`Draft`], with the problems found with its passages.
#[derive(Clone)]
pub struct DraftEntry {
    pub entry: Entry,
    /// Its path in the article's annotations (`entries.3`).
    pub path: String,
    pub problems: Diagnostics,
}

/// A `same_as` entry of a [`Draft`]: the article's passages and quotes for
/// an entry declared elsewhere, added to it once every id is known.
#[derive(Clone)]
pub struct DraftRef {
    /// The id it names.
    pub target: String,
    /// Its path in the article's annotations.
    pub path: String,
    pub attached: Attached,
    /// Problems with its passages; they count only if it is attached.
    pub problems: Diagnostics,
}

/// What an entry gains from one article: its passages' anchors, the quotes
/// found there, and their speakers.
#[derive(Clone, Default)]
pub struct Attached {
    pub found: Vec<String>,
    pub quotes: Vec<Quote>,
    pub speakers: Vec<ActorIx>,
}

impl Attached {
    /// Adds to `entry` what `article` gives it: the passages to its source
    /// (a new one unless it has it), the quotes, and the speakers to its
    /// actors, as they are involved in what they said.
    pub fn add_to(&self, entry: &mut Entry, article: ArticleIx) {
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
pub struct Declared {
    pub index: EntryIx,
    /// The declaring article, the entry's place among its draft entries,
    /// and its path in the annotations, for pointing at it if the id turns
    /// up again.
    pub article: ArticleIx,
    pub place: usize,
    pub path: String,
}

/// What putting the drafts together decided, for `chronicle serve`'s `ArticleDrafts`: which
/// article declares each id, each anchor's id, and which `same_as` entries
/// were added to each entry.
pub struct Ledger {
    pub declared: HashMap<String, Declared>,
    pub anchors: HashMap<String, String>,
    /// For each entry id, the (article, place among its references) of the
    /// `same_as` entries added to it, in article order.
    pub attached: HashMap<String, Vec<(ArticleIx, usize)>>,
}

/// Where an entry is declared: its `id`, else the entry itself. Worked out
/// only when a diagnostic needs it, as the first position asked of a file
/// costs a second parse of its YAML.
fn entry_location(doc: &YamlDoc, path: &str) -> Option<Location> {
    doc.value_at(&format!("{path}.id"))
        .or_else(|| doc.value_at(path))
}

fn dedup<I: Eq + std::hash::Hash + Copy>(mut items: Vec<I>) -> Vec<I> {
    let mut seen = std::collections::HashSet::new();
    items.retain(|i| seen.insert(*i));
    items
}

/// Article slugs: the file name's stem, or, where two articles share a stem,
/// the whole path below content/articles.
pub fn article_slugs(articles: &[LoadedArticle]) -> Vec<String> {
    let rels: Vec<&Path> = articles.iter().map(|a| a.rel.as_path()).collect();
    slugs_of(&rels)
}

/// [`article_slugs`] of articles at `rels` (below content/articles), in
/// order.
pub fn slugs_of(rels: &[&Path]) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::permute_in_place;

    #[test]
    fn a_permutation_is_applied_in_place() {
        // Position i takes what was at order[i]: a 3-cycle, a swap and a
        // fixed point.
        let mut items = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        let order = [2, 0, 1, 4, 3, 5];
        permute_in_place(&mut items, &order);
        assert_eq!(items, ['c', 'a', 'b', 'e', 'd', 'f']);
        // Any permutation agrees with taking each item at its new place.
        let n = 50;
        let order: Vec<usize> = (0..n).map(|i| (i * 17 + 3) % n).collect();
        let original: Vec<usize> = (100..100 + n).collect();
        let mut items = original.clone();
        permute_in_place(&mut items, &order);
        let expected: Vec<usize> = order.iter().map(|&from| original[from]).collect();
        assert_eq!(items, expected);
        let mut none: Vec<u8> = Vec::new();
        permute_in_place(&mut none, &[]);
        assert!(none.is_empty());
    }
}
