//! Resolving one article again without resolving the site: what `chronicle
//! serve` does when an editor saves an article's annotations. Built on the
//! steps resolve exposes (registries, one article's draft, assembling).
//!
//! [`ArticleDrafts`] keeps each article's draft (its entries as it declares them,
//! and its `same_as` passages) from the last full resolve. [`ArticleDrafts::patch`]
//! drafts the changed article again and rebuilds only the entries it
//! touches: those it declares, before and after, and those its `same_as`
//! entries name. The rest of the chronicle keeps its entries and only has
//! them renumbered. The result is the chronicle a full resolve would make;
//! the tests compare the two.
//!
//! A patch is refused, and the caller resolves the whole site instead,
//! whenever the edit could change what other articles resolve to or would
//! be reported: problems with the article, an id another article declares,
//! a removed id another article's `same_as` names, a `same_as` naming no
//! entry or naming one twice.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::diagnostics::Diagnostics;
use crate::load::LoadedArticle;
use crate::load::LoadedSite;
use crate::resolve::{
    self, link_back, time_key, ActorIx, ArticleIx, Chronicle, Draft, Entry, EntryIx, Ledger,
    PerItem, SiteIndex, ThreadIx, TopicIx,
};

/// [`crate::load_and_resolve`], keeping each article's draft: how serve
/// starts.
pub fn load_and_resolve_keeping(
    options: &crate::BuildOptions,
) -> (Option<(Chronicle, ArticleDrafts)>, crate::BuildReport) {
    crate::load_and_resolve_with(
        options,
        (),
        |site, (), d| resolve_keeping(site, d),
        |(c, _)| c,
    )
}

/// Resolves the site as a build does (the steps of [`crate::resolve`]),
/// keeping each article's draft for patching it later.
pub fn resolve_keeping(
    mut site: LoadedSite,
    diagnostics: &mut Diagnostics,
) -> (Chronicle, ArticleDrafts) {
    let registries = resolve::index_registries(&site, diagnostics);
    let slugs = resolve::article_slugs(&site.articles);
    let drafts = resolve::draft_all(&registries.index, &mut site.articles, &slugs);
    let kept = drafts.iter().map(|(draft, _)| draft.clone()).collect();
    let index = registries.index.clone();
    let (chronicle, ledger) = resolve::assemble(site, registries, drafts, diagnostics);
    let drafts = ArticleDrafts::new(index, kept, slugs, ledger, &chronicle);
    (chronicle, drafts)
}

/// What a full resolve leaves for resolving one article again.
pub struct ArticleDrafts {
    context: SiteIndex,
    drafts: Vec<Draft>,
    slugs: Vec<String>,
    /// Each entry id in the chronicle: its article, and its place among the
    /// article's draft entries.
    declared: HashMap<String, (ArticleIx, usize)>,
    /// Each entry anchor, and the id it is made from.
    anchors: HashMap<String, String>,
    /// For each entry id, the `same_as` entries added to it: (article, place
    /// among the article's references), in article order.
    attached: HashMap<String, Vec<(ArticleIx, usize)>>,
    /// Articles by their file's path without extension, relative to the
    /// site root.
    stems: HashMap<PathBuf, ArticleIx>,
    /// Each entry's index in the chronicle.
    positions: HashMap<String, EntryIx>,
}

/// Why an article could not be resolved on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub &'static str);

/// What a patch changed, for updating what was made from the chronicle.
#[derive(Debug, Clone)]
pub struct Patch {
    /// The article resolved again; `None` when it was removed.
    pub article: Option<ArticleIx>,
    /// For each entry index before the patch, its index after when the
    /// entry was not touched (`None`: rebuilt or gone).
    pub kept: PerItem<EntryIx, Option<EntryIx>>,
    /// The rebuilt entries, by their index after the patch, in order.
    pub rebuilt: Vec<EntryIx>,
    /// Those of `rebuilt` that are new or differ from before: pages showing
    /// the others need no rendering again.
    pub changed: Vec<EntryIx>,
    /// What the entries that changed or went were part of before the patch.
    pub before: Footprint,
}

/// The days, threads, actors, topics and articles some entries are part of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Footprint {
    pub days: BTreeSet<NaiveDate>,
    pub threads: BTreeSet<ThreadIx>,
    pub actors: BTreeSet<ActorIx>,
    pub topics: BTreeSet<TopicIx>,
    pub articles: BTreeSet<ArticleIx>,
}

impl Footprint {
    /// Adds what `entry` is part of.
    pub fn add(&mut self, entry: &Entry) {
        self.days.insert(entry.day);
        self.threads.extend(&entry.threads);
        self.actors.extend(&entry.actors);
        self.actors.extend(entry.quotes.iter().map(|q| q.actor));
        self.topics.extend(&entry.topics);
        self.articles
            .extend(entry.sources.iter().map(|s| s.article));
    }
}

impl ArticleDrafts {
    fn new(
        context: SiteIndex,
        drafts: Vec<Draft>,
        slugs: Vec<String>,
        ledger: Ledger,
        chronicle: &Chronicle,
    ) -> ArticleDrafts {
        let Ledger {
            declared,
            anchors,
            attached,
        } = ledger;
        let declared = declared
            .into_iter()
            .map(|(id, d)| (id, (d.article, d.place)))
            .collect();
        let stems = ArticleIx::all(chronicle.articles.len())
            .zip(&chronicle.articles)
            .map(|(a, article)| (article.path.with_extension(""), a))
            .collect();
        let positions = positions_of(&chronicle.entries);
        ArticleDrafts {
            context,
            drafts,
            slugs,
            declared,
            anchors,
            attached,
            stems,
            positions,
        }
    }

    /// The article a changed file belongs to, with its text file: `rel` is
    /// relative to the site root. `None` for a file that is no article's
    /// (a new article, a registry, a template).
    pub fn article_of(&self, rel: &Path) -> Option<(ArticleIx, &Path)> {
        let ext = rel.extension()?.to_str()?;
        let &a = self.stems.get(&rel.with_extension(""))?;
        let text = self.drafts[a.get()].article.path.as_path();
        match ext {
            "yaml" => Some((a, text)),
            "md" | "txt" if rel == text => Some((a, text)),
            _ => None,
        }
    }

    /// Resolves article `a` again from `loaded`, updating `chronicle` as a
    /// full resolve would. The article's problems (warnings only: a patch
    /// with errors is refused) go to `diagnostics`. On refusal nothing is
    /// changed.
    pub fn patch(
        &mut self,
        chronicle: &mut Chronicle,
        a: ArticleIx,
        mut loaded: LoadedArticle,
        diagnostics: &mut Diagnostics,
    ) -> Result<Patch, Refused> {
        let (draft, problems) =
            resolve::draft(&self.context, a, &mut loaded, self.slugs[a.get()].clone());
        let strict = chronicle.config.strict;
        // Under `strict`, warnings are errors.
        let acceptable = |d: &Diagnostics| !d.has_errors() && (!strict || d.items().is_empty());
        if !acceptable(&problems)
            || draft.entries.iter().any(|e| !acceptable(&e.problems))
            || draft.refs.iter().any(|r| !acceptable(&r.problems))
        {
            return Err(Refused("the article has problems"));
        }
        let new_ids = self.check_ids(a, &draft)?;
        let targets = self.check_refs(a, &draft, &new_ids)?;

        // Every entry the edit can change, by id.
        let old = &self.drafts[a.get()];
        let mut touched_ids: HashSet<String> = new_ids.iter().cloned().collect();
        touched_ids.extend(old.entries.iter().map(|d| d.entry.id.clone()));
        touched_ids.extend(targets.iter().cloned());
        touched_ids.extend(
            self.attached
                .iter()
                .filter(|(_, list)| list.iter().any(|&(x, _)| x == a))
                .map(|(id, _)| id.clone()),
        );

        let old_article = &chronicle.articles[a];
        let new_article = &draft.article;
        // Entries show their sources' titles, outlets and dates.
        let article_shown_changed = (
            &old_article.title,
            &old_article.outlet,
            &old_article.url,
            &old_article.published,
        ) != (
            &new_article.title,
            &new_article.outlet,
            &new_article.url,
            &new_article.published,
        );
        for d in &problems_of(&draft) {
            diagnostics.extend(d.clone());
        }
        diagnostics.extend(problems);
        self.remember(a, draft);

        // The rebuilt entries, each from its declaration and the same_as
        // entries added to it.
        let mut rebuilt: Vec<Entry> = touched_ids.iter().filter_map(|id| self.entry(id)).collect();
        rebuilt.sort_by(|x, y| time_key(x).cmp(&time_key(y)).then_with(|| x.id.cmp(&y.id)));

        let unchanged_places = rebuilt.len() == touched_ids.len()
            && rebuilt.iter().all(|entry| {
                self.positions
                    .get(&entry.id)
                    .is_some_and(|&i| time_key(&chronicle.entries[i]) == time_key(entry))
            });
        let shown_changed = |old: &Entry, new: &Entry| {
            old != new || (article_shown_changed && new.sources.iter().any(|s| s.article == a))
        };
        let mut before = Footprint::default();
        let mut changed = Vec::new();
        let (kept, rebuilt_at) = if unchanged_places {
            // The common edit, a headline or a summary, say: every touched
            // entry keeps its place, and nothing is renumbered.
            let mut kept: PerItem<EntryIx, Option<EntryIx>> =
                EntryIx::all(chronicle.entries.len()).map(Some).collect();
            let mut rebuilt_at = Vec::with_capacity(rebuilt.len());
            let mut links_changed = false;
            for entry in rebuilt {
                let i = self.positions[&entry.id];
                let old = std::mem::replace(&mut chronicle.entries[i], entry);
                let new = &chronicle.entries[i];
                if shown_changed(&old, new) {
                    before.add(&old);
                    changed.push(i);
                    let mut links = Footprint::default();
                    links.add(new);
                    let mut old_links = Footprint::default();
                    old_links.add(&old);
                    links_changed |= links != old_links || old.quotes != new.quotes;
                }
                kept[i] = None;
                rebuilt_at.push(i);
            }
            rebuilt_at.sort_unstable();
            changed.sort_unstable();
            let mut article = self.article_numbered(a, |id| self.positions[id]);
            if links_changed {
                chronicle.articles[a] = article;
                link_back(chronicle);
            } else {
                // Its entries are those it had.
                article.entries = std::mem::take(&mut chronicle.articles[a].entries);
                chronicle.articles[a] = article;
            }
            (kept, rebuilt_at)
        } else {
            self.merge(
                chronicle,
                a,
                rebuilt,
                &touched_ids,
                &mut before,
                &mut changed,
                shown_changed,
            )
        };
        Ok(Patch {
            article: Some(a),
            kept,
            rebuilt: rebuilt_at,
            changed,
            before,
        })
    }

    /// Puts the `rebuilt` entries (in order) in place of the touched ones
    /// (by id), renumbering every entry after; returns where each old entry
    /// went and where the rebuilt ones are.
    #[allow(clippy::too_many_arguments)]
    fn merge(
        &mut self,
        chronicle: &mut Chronicle,
        a: ArticleIx,
        rebuilt: Vec<Entry>,
        touched_ids: &HashSet<String>,
        before: &mut Footprint,
        changed: &mut Vec<EntryIx>,
        shown_changed: impl Fn(&Entry, &Entry) -> bool,
    ) -> (PerItem<EntryIx, Option<EntryIx>>, Vec<EntryIx>) {
        // Merge them into the untouched entries, which are in order already.
        let old_entries = std::mem::take(&mut chronicle.entries);
        let mut kept: PerItem<EntryIx, Option<EntryIx>> = vec![None; old_entries.len()].into();
        let mut old_ids: PerItem<EntryIx, Option<String>> = vec![None; old_entries.len()].into();
        let mut old_versions: HashMap<String, Entry> = HashMap::new();
        let mut entries = Vec::with_capacity(old_entries.len() + rebuilt.len());
        let mut rebuilt_at = Vec::with_capacity(rebuilt.len());
        let mut fresh = rebuilt.into_iter().peekable();
        for (i, entry) in EntryIx::all(old_entries.len()).zip(old_entries) {
            if touched_ids.contains(&entry.id) {
                old_ids[i] = Some(entry.id.clone());
                old_versions.insert(entry.id.clone(), entry);
                continue;
            }
            let key = time_key(&entry);
            while let Some(next) = fresh.next_if(|f| (time_key(f), &f.id) < (key, &entry.id)) {
                rebuilt_at.push(EntryIx::new(entries.len()));
                entries.push(next);
            }
            kept[i] = Some(EntryIx::new(entries.len()));
            entries.push(entry);
        }
        for next in fresh {
            rebuilt_at.push(EntryIx::new(entries.len()));
            entries.push(next);
        }
        for &i in &rebuilt_at {
            let entry = &entries[i];
            match old_versions.remove(&entry.id) {
                Some(old) if !shown_changed(&old, entry) => {}
                Some(old) => {
                    before.add(&old);
                    changed.push(i);
                }
                None => changed.push(i),
            }
        }
        // Entries gone.
        for old in old_versions.values() {
            before.add(old);
        }
        self.positions = positions_of(&entries);

        // Renumber the passages of the other articles.
        let renumber: PerItem<EntryIx, Option<EntryIx>> = kept
            .iter()
            .zip(&old_ids)
            .map(|(&k, id)| k.or_else(|| self.positions.get(id.as_deref()?).copied()))
            .collect();
        for (b, article) in ArticleIx::all(chronicle.articles.len()).zip(&mut chronicle.articles) {
            if b == a {
                continue;
            }
            for passage in &mut article.passages {
                passage.entry =
                    renumber[passage.entry].expect("a patch keeps every entry other articles mark");
            }
        }
        chronicle.articles[a] = self.article_numbered(a, |id| self.positions[id]);
        chronicle.entries = entries;
        link_back(chronicle);
        (kept, rebuilt_at)
    }

    /// Article `a` from its draft, its passages pointing at the entries
    /// `index_of` their ids.
    fn article_numbered(
        &self,
        a: ArticleIx,
        index_of: impl Fn(&str) -> EntryIx,
    ) -> crate::resolve::Article {
        let draft = &self.drafts[a.get()];
        let mut article = draft.article.clone();
        for passage in &mut article.passages {
            // In a draft, passages point at its own entries, then its refs.
            let local = passage.entry.get();
            let id = match draft.entries.get(local) {
                Some(d) => &d.entry.id,
                None => &draft.refs[local - draft.entries.len()].target,
            };
            passage.entry = index_of(id);
        }
        article
    }

    /// Adds the article `loaded` (a file no article had), resolving it on
    /// its own and renumbering the articles after it. Refused, with nothing
    /// changed, when another article has its name (without extension) or
    /// would change address; refused after changes (the caller must then
    /// resolve the site whole) when the article itself is refused by
    /// [`Self::patch`].
    pub fn add_article(
        &mut self,
        chronicle: &mut Chronicle,
        loaded: LoadedArticle,
        diagnostics: &mut Diagnostics,
    ) -> Result<Patch, Refused> {
        let stem = loaded.path.with_extension("");
        if self.stems.contains_key(&stem) {
            return Err(Refused("another article has the same name"));
        }
        // Articles are in the order of their paths without extension.
        let place = self
            .drafts
            .partition_point(|d| d.article.path.with_extension("") < stem);
        let mut rels = self.rels();
        rels.insert(place, below_articles(&loaded.path));
        let slugs = crate::resolve::slugs_of(&rels);
        let others_kept =
            slugs[..place] == self.slugs[..place] && slugs[place + 1..] == self.slugs[place..];
        if !others_kept {
            return Err(Refused("another article would change address"));
        }
        self.renumber_articles(chronicle, |a| {
            ArticleIx::new(if a.get() >= place {
                a.get() + 1
            } else {
                a.get()
            })
        });
        let placeholder = crate::resolve::Article {
            slug: slugs[place].clone(),
            path: loaded.path.clone(),
            format: loaded.format,
            title: String::new(),
            outlet: String::new(),
            url: None,
            author: None,
            language: None,
            published: None,
            retrieved: None,
            archive: None,
            sha256: None,
            digest: false,
            text: Default::default(),
            passages: Vec::new(),
            entries: Vec::new(),
        };
        chronicle.articles.insert(place, placeholder.clone());
        self.drafts.insert(
            place,
            Draft {
                article: placeholder,
                entries: Vec::new(),
                refs: Vec::new(),
            },
        );
        self.slugs = slugs;
        self.stems.insert(stem, ArticleIx::new(place));
        self.patch(chronicle, ArticleIx::new(place), loaded, diagnostics)
    }

    /// Removes article `a` (its file is gone), with its entries and the
    /// passages it gave entries of other articles. Refused, with nothing
    /// changed, when another article would change address, or whatever
    /// [`Self::patch`] refuses (another article's `same_as` naming one of
    /// its entries).
    pub fn remove_article(
        &mut self,
        chronicle: &mut Chronicle,
        article: ArticleIx,
        diagnostics: &mut Diagnostics,
    ) -> Result<Patch, Refused> {
        let a = article.get();
        let mut rels = self.rels();
        rels.remove(a);
        let slugs = crate::resolve::slugs_of(&rels);
        if slugs[..a] != self.slugs[..a] || slugs[a..] != self.slugs[a + 1..] {
            return Err(Refused("another article would change address"));
        }
        // First an article with nothing in it, then none.
        let path = self.drafts[a].article.path.clone();
        let empty = LoadedArticle {
            rel: below_articles(&path).to_path_buf(),
            format: self.drafts[a].article.format,
            path,
            file: 0,
            body: Default::default(),
            annotations: Default::default(),
            doc: None,
        };
        let mut patch = self.patch(chronicle, article, empty, diagnostics)?;
        chronicle.articles.remove(a);
        self.drafts.remove(a);
        self.slugs = slugs;
        self.stems.retain(|_, &mut x| x != article);
        let shift = |x: ArticleIx| {
            if x > article {
                ArticleIx::new(x.get() - 1)
            } else {
                x
            }
        };
        self.renumber_articles(chronicle, shift);
        patch.article = None;
        patch.before.articles = patch
            .before
            .articles
            .iter()
            .filter(|&&x| x != article)
            .map(|&x| shift(x))
            .collect();
        Ok(patch)
    }

    /// Each article's path below content/articles, in order.
    fn rels(&self) -> Vec<&Path> {
        self.drafts
            .iter()
            .map(|d| below_articles(&d.article.path))
            .collect()
    }

    /// Renumbers every reference to an article, by `new_index`: in the
    /// chronicle's entries and in what is kept.
    fn renumber_articles(
        &mut self,
        chronicle: &mut Chronicle,
        new_index: impl Fn(ArticleIx) -> ArticleIx,
    ) {
        let renumber_entry = |entry: &mut Entry| {
            for source in &mut entry.sources {
                source.article = new_index(source.article);
            }
            for quote in &mut entry.quotes {
                quote.article = new_index(quote.article);
            }
        };
        chronicle.entries.iter_mut().for_each(renumber_entry);
        for draft in &mut self.drafts {
            draft
                .entries
                .iter_mut()
                .for_each(|d| renumber_entry(&mut d.entry));
            for reference in &mut draft.refs {
                for quote in &mut reference.attached.quotes {
                    quote.article = new_index(quote.article);
                }
            }
        }
        for place in self.declared.values_mut() {
            place.0 = new_index(place.0);
        }
        for list in self.attached.values_mut() {
            for place in list.iter_mut() {
                place.0 = new_index(place.0);
            }
        }
        for a in self.stems.values_mut() {
            *a = new_index(*a);
        }
    }

    /// The ids article `a`'s new draft declares, if each is new to the site
    /// or already the article's, and usable.
    fn check_ids(&self, a: ArticleIx, draft: &Draft) -> Result<Vec<String>, Refused> {
        let mut ids = HashSet::new();
        let mut anchors = HashSet::new();
        for d in &draft.entries {
            let entry = &d.entry;
            if entry.anchor.is_empty()
                || !ids.insert(entry.id.as_str())
                || !anchors.insert(entry.anchor.as_str())
            {
                return Err(Refused("an entry id is unusable or used twice"));
            }
            if self.declared.get(&entry.id).is_some_and(|&(b, _)| b != a) {
                return Err(Refused("an entry id is another article's"));
            }
            let owner = self.anchors.get(&entry.anchor);
            if owner.is_some_and(|id| self.declared.get(id).is_some_and(|&(b, _)| b != a)) {
                return Err(Refused("an entry anchor is another article's"));
            }
        }
        for d in &self.drafts[a.get()].entries {
            let id = &d.entry.id;
            let named_elsewhere = self.attached.get(id).is_some_and(|list| !list.is_empty());
            if !ids.contains(id.as_str()) && named_elsewhere {
                return Err(Refused(
                    "a removed entry is named by another article's same_as",
                ));
            }
        }
        Ok(ids.into_iter().map(str::to_string).collect())
    }

    /// The ids article `a`'s new `same_as` entries name, if each names an
    /// entry of another article, once.
    fn check_refs(
        &self,
        a: ArticleIx,
        draft: &Draft,
        new_ids: &[String],
    ) -> Result<Vec<String>, Refused> {
        let mut targets = Vec::new();
        for reference in &draft.refs {
            let target = &reference.target;
            let elsewhere = self.declared.get(target).is_some_and(|&(b, _)| b != a)
                && !new_ids.contains(target);
            if !elsewhere || targets.contains(target) {
                return Err(Refused(
                    "a same_as names no other article's entry, or one twice",
                ));
            }
            targets.push(target.clone());
        }
        Ok(targets)
    }

    /// Replaces article `a`'s draft and what is indexed from it.
    fn remember(&mut self, a: ArticleIx, draft: Draft) {
        let old = std::mem::replace(&mut self.drafts[a.get()], draft);
        for d in &old.entries {
            if self.declared.get(&d.entry.id).is_some_and(|&(b, _)| b == a) {
                self.declared.remove(&d.entry.id);
                self.anchors.remove(&d.entry.anchor);
            }
        }
        for list in self.attached.values_mut() {
            list.retain(|&(x, _)| x != a);
        }
        let new = &self.drafts[a.get()];
        for (l, d) in new.entries.iter().enumerate() {
            self.declared.insert(d.entry.id.clone(), (a, l));
            self.anchors
                .insert(d.entry.anchor.clone(), d.entry.id.clone());
        }
        for (r, reference) in new.refs.iter().enumerate() {
            let list = self.attached.entry(reference.target.clone()).or_default();
            list.push((a, r));
            list.sort_unstable();
        }
    }

    /// Entry `id` as the full resolve makes it: its declaration, with each
    /// `same_as` entry naming it added in article order.
    fn entry(&self, id: &str) -> Option<Entry> {
        let &(b, l) = self.declared.get(id)?;
        let mut entry = self.drafts[b.get()].entries[l].entry.clone();
        for &(a, r) in self.attached.get(id).into_iter().flatten() {
            self.drafts[a.get()].refs[r].attached.add_to(&mut entry, a);
        }
        Some(entry)
    }
}

/// Each entry's index, by its id.
fn positions_of(entries: &[Entry]) -> HashMap<String, EntryIx> {
    EntryIx::all(entries.len())
        .zip(entries)
        .map(|(i, e)| (e.id.clone(), i))
        .collect()
}

/// An article's path (`content/articles/2022/x.md`) below content/articles.
fn below_articles(path: &Path) -> &Path {
    path.strip_prefix(Path::new("content").join("articles"))
        .unwrap_or(path)
}

/// The problems found with a draft's entries and references.
fn problems_of(draft: &Draft) -> Vec<Diagnostics> {
    draft
        .entries
        .iter()
        .map(|d| d.problems.clone())
        .chain(draft.refs.iter().map(|r| r.problems.clone()))
        .collect()
}
