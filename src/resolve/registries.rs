//! Registries: each item's id, slug and names indexed, and names looked up
//! through them (an unknown name is a warning offering the nearest).

use std::collections::HashMap;
use std::sync::Arc;

use super::*;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::load::annotations::OneOrMany;
use crate::load::yaml::YamlDoc;
use crate::load::{Registry, RegistryKind};

impl Resolver<'_> {
    pub(super) fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Indexes a registry item's id and names; reports clashes and unusable ids.
    pub(super) fn register<T>(
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

    pub(super) fn topics(
        &mut self,
        registry: &Registry<crate::load::annotations::RawTopic>,
    ) -> Vec<Topic> {
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

    pub(super) fn actors(
        &mut self,
        registry: &Registry<crate::load::annotations::RawActor>,
    ) -> Vec<Actor> {
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
            let affiliation = raw
                .affiliation
                .as_deref()
                .and_then(|name| self.lookup(name, || registry.location(id, "affiliation")));
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

    pub(super) fn threads(
        &mut self,
        registry: &Registry<crate::load::annotations::RawThread>,
    ) -> Vec<Thread> {
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
                    self.lookup(name, || registry.location(id, &format!("topics.{i}")))
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
    pub(super) fn names(&self, kind: RegistryKind) -> &NameIndex {
        match kind {
            RegistryKind::Actor => &self.context.actor_names,
            RegistryKind::Topic => &self.context.topic_names,
            RegistryKind::Thread => &self.context.thread_names,
        }
    }

    /// The names of the registry of `kind`, to add to (while registries are
    /// read, before any thread shares them).
    pub(super) fn names_mut(&mut self, kind: RegistryKind) -> &mut NameIndex {
        Arc::make_mut(match kind {
            RegistryKind::Actor => &mut self.context.actor_names,
            RegistryKind::Topic => &mut self.context.topic_names,
            RegistryKind::Thread => &mut self.context.thread_names,
        })
    }

    /// A resolver for one article's work on another thread, reporting into
    /// `diagnostics`.
    pub(super) fn fork<'d>(&self, diagnostics: &'d mut Diagnostics) -> Resolver<'d> {
        Resolver {
            context: self.context.clone(),
            diagnostics,
        }
    }

    /// Resolves a name through the registry of `I`'s kind; an unknown name
    /// is a warning offering the nearest known names.
    pub(super) fn lookup<I: RegistryIx>(
        &mut self,
        name: &str,
        location: impl FnOnce() -> Option<Location>,
    ) -> Option<I> {
        let kind = I::KIND;
        if let Some(i) = self.names(kind).get(name) {
            return Some(I::new(i));
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

    /// Resolves each of `names` (at `path` in `doc`), without repeats.
    pub(super) fn lookup_all<I: RegistryIx + Eq + std::hash::Hash>(
        &mut self,
        names: &[String],
        doc: &YamlDoc,
        path: &str,
    ) -> Vec<I> {
        let found = names
            .iter()
            .enumerate()
            .filter_map(|(i, name)| self.lookup(name, || doc.value_at(&format!("{path}.{i}"))))
            .collect();
        dedup(found)
    }
}

/// An item's name (under `name_field`) and aliases, each with its YAML path.
pub(super) fn names_of(
    name: Option<&str>,
    name_field: &str,
    aliases: &OneOrMany,
) -> Vec<(String, String)> {
    let name = name.map(|n| (n.to_string(), name_field.to_string()));
    let aliases = aliases
        .0
        .iter()
        .enumerate()
        .map(|(i, a)| (a.clone(), format!("aliases.{i}")));
    name.into_iter().chain(aliases).collect()
}
