//! `chronicle new actor|topic|thread`: an item appended to its registry.

use crate::diagnostics::Diagnostic;
use crate::diagnostics::SourceFiles;
use crate::import::skeleton::quote;
use crate::load::annotations::{OneOrMany, RawActor, RawThread, RawTopic};
use crate::load::{parse_registry, Registry};
use crate::resolve::ActorKind;
use crate::resolve::{ids, names};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::*;

/// A new registry item.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub registry: RegistryKind,
    pub id: String,
    pub name: String,
    /// An actor's kind: person, state, organisation or group.
    pub kind: Option<String>,
    pub aliases: Vec<String>,
    /// An actor's role ("Foreign minister of Russia").
    pub role: Option<String>,
    /// An actor's affiliation: another actor's id or name.
    pub affiliation: Option<String>,
}

/// The item as YAML, a top-level mapping key and its fields, every string
/// double-quoted.
pub fn item_text(item: &NewItem) -> String {
    let mut y = format!(
        "{}:\n  {}: {}\n",
        yaml_key(&item.id),
        item.registry.name_field(),
        quote(&item.name)
    );
    if !item.aliases.is_empty() {
        let aliases: Vec<String> = item.aliases.iter().map(|a| quote(a)).collect();
        y.push_str(&format!("  aliases: [{}]\n", aliases.join(", ")));
    }
    if let Some(kind) = item.kind.as_deref().and_then(ActorKind::parse) {
        y.push_str(&format!("  kind: {}\n", kind.as_str()));
    }
    if let Some(role) = &item.role {
        y.push_str(&format!("  role: {}\n", quote(role)));
    }
    if let Some(affiliation) = &item.affiliation {
        y.push_str(&format!("  affiliation: {}\n", quote(affiliation)));
    }
    y
}

/// An id as a YAML key: bare when it is plainly a string, else quoted.
pub(super) fn yaml_key(id: &str) -> String {
    let plain = id.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !matches!(
            id.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        id.to_string()
    } else {
        quote(id)
    }
}

/// Each item's id and its names (name or title, aliases).
type Names = BTreeMap<String, Vec<String>>;

pub(super) fn registry_names(text: &str, registry: RegistryKind) -> Result<Names, String> {
    fn names<T>(
        parsed: Result<(Registry<T>, crate::diagnostics::Diagnostics), Box<Diagnostic>>,
        names_of: impl Fn(&T) -> (&Option<String>, &OneOrMany),
    ) -> Result<BTreeMap<String, Vec<String>>, Box<Diagnostic>> {
        let (registry, _) = parsed?;
        Ok(registry
            .items
            .iter()
            .map(|(id, item)| {
                let (name, aliases) = names_of(item);
                (
                    id.clone(),
                    name.iter().chain(aliases.0.iter()).cloned().collect(),
                )
            })
            .collect())
    }
    let mut files = SourceFiles::default();
    let file = files.add(registry.file(), text.to_string());
    let source: Arc<str> = Arc::from(text);
    let read = match registry {
        RegistryKind::Actor => names(parse_registry::<RawActor>(registry, &source, file), |a| {
            (&a.name, &a.aliases)
        }),
        RegistryKind::Topic => names(parse_registry::<RawTopic>(registry, &source, file), |t| {
            (&t.name, &t.aliases)
        }),
        RegistryKind::Thread => names(parse_registry::<RawThread>(registry, &source, file), |t| {
            (&t.title, &t.aliases)
        }),
    };
    read.map_err(|d| {
        let p = d.positioned(&files);
        match p.line {
            Some(line) => format!("line {line}: {}", p.message),
            None => p.message,
        }
    })
}

/// The registry's text with `item` appended at its end: the text before is
/// kept byte for byte (a final newline added if it lacked one). Refuses an
/// unusable id, an id the registry has (or one making the same page
/// address), a name or alias another item has, and a text that does not
/// parse, before or after.
pub fn append_item(existing: &str, item: &NewItem) -> Result<String, Error> {
    let file = item.registry.file();
    let registry_error = |why: String| Error::Registry {
        file: file.clone(),
        why,
    };
    let slug = ids::slugify(&item.id);
    if slug.is_empty() || item.id.trim() != item.id {
        return Err(Error::UnusableId(item.id.clone()));
    }
    // The build takes any id with letters or digits (its page address is
    // its slug); `new` writes only ids that are what their address shows.
    if !item.id.chars().all(|c| c.is_alphanumeric() || c == '-') {
        return Err(Error::BadId {
            id: item.id.clone(),
            suggestion: slug,
        });
    }
    for (flag, given) in [("--role", &item.role), ("--affiliation", &item.affiliation)] {
        if given.is_some() && item.registry != RegistryKind::Actor {
            return Err(Error::Invalid(format!(
                "{flag} is for actors; a {} has none",
                item.registry.word()
            )));
        }
        if given.as_deref().is_some_and(|g| g.trim().is_empty()) {
            return Err(Error::Invalid(format!("{flag} must not be empty")));
        }
    }
    if item.name.trim().is_empty() {
        return Err(Error::Invalid("--name must not be empty".into()));
    }
    if let Some(kind) = &item.kind {
        if item.registry != RegistryKind::Actor {
            return Err(Error::Invalid(format!(
                "--kind is for actors; a {} has none",
                item.registry.word()
            )));
        }
        if ActorKind::parse(kind).is_none() {
            let names: Vec<&str> = ActorKind::ALL
                .iter()
                .filter(|k| **k != ActorKind::Other)
                .map(ActorKind::as_str)
                .collect();
            return Err(Error::Invalid(format!(
                "--kind {kind:?} is not one of: {}",
                names.join(", ")
            )));
        }
    }
    let before = registry_names(existing, item.registry)
        .map_err(|why| registry_error(format!("{why}; fix it before adding to it")))?;
    let word = item.registry.word();
    for (id, names) in &before {
        if ids::slugify(id) == slug {
            // The registry has `id`; the new one clashes with it.
            let what = format!("the {word} `{id}`");
            let other = if *id == item.id {
                "pick another id".to_string()
            } else {
                format!(
                    "`{}` would share its page /{word}s/{slug}/; pick another id",
                    item.id
                )
            };
            return Err(Error::Taken { file, what, other });
        }
        let mine = std::iter::once(&item.id)
            .chain(std::iter::once(&item.name))
            .chain(&item.aliases);
        for name in mine {
            let key = names::key(name);
            if std::iter::once(id)
                .chain(names)
                .any(|n| names::key(n) == key)
            {
                return Err(Error::Taken {
                    file,
                    what: format!("the name `{name}`"),
                    other: format!("{word} `{id}` is called so; a name must point to one {word}"),
                });
            }
        }
    }
    let mut text = existing.to_string();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.trim().is_empty() && !text.ends_with("\n\n") {
        text.push('\n');
    }
    text.push_str(&item_text(item));
    // The new text must hold every earlier item and the new one, as given.
    let after = registry_names(&text, item.registry).map_err(|why| {
        registry_error(format!(
            "appending at the end would not give valid YAML ({why}); add the {word} by hand"
        ))
    })?;
    let mut expected = before;
    let mut mine = vec![item.name.clone()];
    mine.extend(item.aliases.iter().cloned());
    expected.insert(item.id.clone(), mine);
    if after != expected {
        return Err(registry_error(format!(
            "appending at the end would change the file's other items; add the {word} by hand"
        )));
    }
    Ok(text)
}

/// Appends `item` to its registry in the site at `root` (which must hold
/// site.toml), creating the file if missing. Returns the file, relative to `root`.
pub fn new_item(root: &Path, item: &NewItem) -> Result<PathBuf, Error> {
    require_site(root)?;
    let rel = item.registry.file();
    let path = root.join(&rel);
    let existing = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| Error::Registry {
            file: rel.clone(),
            why: "not UTF-8 text".into(),
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(io(&path)(e)),
    };
    let text = append_item(&existing, item)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    std::fs::write(&path, text).map_err(io(&path))?;
    Ok(rel)
}
