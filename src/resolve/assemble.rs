//! Putting the drafts together: ids declared once across articles,
//! `same_as` entries attached to the entry they name.

use std::collections::HashMap;

use super::*;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::LoadedArticle;

impl Resolver<'_> {
    /// Drafts every article, in parallel, each into its own diagnostics.
    /// The articles' bodies move into the drafts.
    pub(super) fn assemble(
        &mut self,
        drafts: Vec<(Draft, Diagnostics)>,
        loaded: &[LoadedArticle],
    ) -> (Vec<Article>, Vec<Entry>, Ledger) {
        let mut articles = Vec::with_capacity(drafts.len());
        let mut refs = Vec::with_capacity(drafts.len());
        // Sized once: a vector grown by doubling keeps up to twice the
        // entries' size for the rest of the build.
        let mut entries: Vec<Entry> =
            Vec::with_capacity(drafts.iter().map(|(d, _)| d.entries.len()).sum());
        let mut declared: HashMap<String, Declared> = HashMap::new();
        let mut anchors: HashMap<String, String> = HashMap::new();
        // Where each draft's local passage numbers end up; `None`: dropped.
        let mut index_of: Vec<PerItem<EntryIx, Option<EntryIx>>> = Vec::with_capacity(drafts.len());
        for (a, (draft, problems)) in ArticleIx::all(drafts.len()).zip(drafts) {
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
                    index: EntryIx::new(entries.len()),
                    article: a,
                    place,
                    path,
                };
                if self.declare(&entry, new, loaded, &mut declared, &mut anchors) {
                    local.push(Some(EntryIx::new(entries.len())));
                    entries.push(entry);
                    self.diagnostics.extend(problems);
                } else {
                    local.push(None);
                }
            }
            index_of.push(local.into());
            articles.push(draft.article);
            refs.push(draft.refs);
        }

        // same_as references, once every entry is declared.
        let mut attached: HashMap<String, Vec<(ArticleIx, usize)>> = HashMap::new();
        for (a, article_refs) in ArticleIx::all(refs.len()).zip(refs) {
            for (r, reference) in article_refs.into_iter().enumerate() {
                let index = self.attach(&reference, a, &declared, &mut entries, loaded);
                if index.is_some() {
                    attached.entry(reference.target).or_default().push((a, r));
                }
                index_of[a.get()].push(index);
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
    /// that entry's index, or `None` (with a diagnostic) when it names none.
    pub(super) fn attach(
        &mut self,
        reference: &DraftRef,
        a: ArticleIx,
        declared: &HashMap<String, Declared>,
        entries: &mut [Entry],
        loaded: &[LoadedArticle],
    ) -> Option<EntryIx> {
        let target = &reference.target;
        let at = |field: &str| {
            loaded[a.get()]
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
            self.push(d.with_hint(
                "same_as takes the `id` of an entry declared in this or another article",
            ));
            return None;
        };
        // Named more than once by one article (or declared in it), the
        // entry gets the passages under the article's one source.
        let entry = &mut entries[declared.index];
        reference.attached.add_to(entry, a);
        self.diagnostics.extend(reference.problems.clone());
        Some(declared.index)
    }

    /// Records an entry's id; a duplicate is reported with both places.
    pub(super) fn declare(
        &mut self,
        entry: &Entry,
        new: Declared,
        loaded: &[LoadedArticle],
        declared: &mut HashMap<String, Declared>,
        anchors: &mut HashMap<String, String>,
    ) -> bool {
        let location_of = |d: &Declared| {
            let doc = loaded.get(d.article.get())?.doc.as_ref()?;
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
}
