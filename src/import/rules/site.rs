//! A site's own rules: site.toml's `[import]` table, read and checked.

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, SourceFiles};

use super::{built_in, built_in_names, Kind, Matcher, Rule};
use regex::Regex;

/// site.toml, as far as import reads it: only the `[import]` table.
#[derive(Debug, Deserialize)]
struct SiteToml {
    import: Option<ImportTable>,
}

/// `[import]` in site.toml.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ImportTable {
    /// Built-in rules to switch off, by name.
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    rules: Vec<RuleSpec>,
    /// The most bytes an input may have: a number, or a string with a unit.
    max_size: Option<Spanned<toml::Value>>,
}

/// `[[import.rules]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    name: Spanned<String>,
    pattern: Spanned<String>,
    kind: Option<Spanned<String>>,
    description: Option<String>,
}

/// What site.toml's `[import]` table sets.
#[derive(Debug, Clone)]
pub struct SiteImport {
    /// The rules in force: see [`for_site`].
    pub rules: Vec<Rule>,
    /// `max_size`: the most bytes an input may have, when the site says.
    pub max_size: Option<u64>,
}

/// What a site sets for import. The rules in force are its own (from
/// site.toml's `[import]` table) first, in the order written, then the
/// built-ins it has not disabled or replaced (a site rule with a built-in's
/// name replaces it). Problems in the table are reported in `diagnostics`,
/// located in site.toml.
pub fn for_site(root: &Path, files: &mut SourceFiles, diagnostics: &mut Diagnostics) -> SiteImport {
    let mut builtins = built_in();
    let path = root.join("site.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return SiteImport {
            rules: builtins,
            max_size: None,
        };
    };
    let file = files.add(crate::import::from_cwd(&path), text);
    let text = &files.get(file).text;
    let at = |range: Range<usize>| Some(Location { file, range });
    let table = match toml::from_str::<SiteToml>(text) {
        Ok(site) => site.import.unwrap_or_default(),
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(Code::InvalidImportRule, e.message().to_string())
                    .at(e.span().and_then(&at))
                    .in_file(crate::import::from_cwd(&path))
                    .with_hint(
                        "[import] takes `disable = [\"rule-name\", ...]`, `max_size` (such as \
                         \"64MiB\") and [[import.rules]] tables with `name`, `pattern` (a regular \
                         expression), `kind` (\"line\", \"block\", \"rest\" or \"keep\") and an optional \
                         `description`",
                    ),
            );
            return SiteImport {
                rules: builtins,
                max_size: None,
            };
        }
    };
    let max_size = table.max_size.as_ref().and_then(|value| {
        let read = match value.get_ref() {
            toml::Value::Integer(n) => u64::try_from(*n)
                .map_err(|_| format!("{n} is not a size"))
                .and_then(|n| crate::import::parse_size(&n.to_string())),
            toml::Value::String(text) => crate::import::parse_size(text),
            other => Err(format!("a {} is not a size", other.type_str())),
        };
        match read {
            Ok(n) => Some(n),
            Err(e) => {
                diagnostics.push(
                    Diagnostic::error(Code::InvalidMaxSize, format!("`max_size`: {e}"))
                        .at(at(value.span()))
                        .with_label("not a size")
                        .with_hint(
                            "give a number of bytes, or a string with a unit: \
                             max_size = \"64MiB\"",
                        ),
                );
                None
            }
        }
    });
    let names = built_in_names();
    for name in &table.disable {
        if !names.iter().any(|n| n == name.get_ref()) {
            let near =
                crate::resolve::names::nearest(name.get_ref(), names.iter().map(String::as_str), 1);
            let mut d = Diagnostic::warning(
                Code::InvalidImportRule,
                format!(
                    "there is no built-in import rule `{}` to disable",
                    name.get_ref()
                ),
            )
            .at(at(name.span()))
            .with_label("not a built-in rule");
            if !near.is_empty() {
                d = d.with_hint(format!(
                    "did you mean {}?",
                    crate::resolve::names::or_list(&near)
                ));
            }
            diagnostics.push(d.with_hint(format!("built-in rules: {}", names.join(", "))));
        }
    }
    let mut own = Vec::new();
    for spec in &table.rules {
        let name = spec.name.get_ref().trim().to_string();
        if name.is_empty() {
            diagnostics.push(
                Diagnostic::error(Code::InvalidImportRule, "an import rule needs a `name`")
                    .at(at(spec.name.span()))
                    .with_hint(
                        "the name is what `--explain` cites, e.g. name = \"newsletter-box\"",
                    ),
            );
            continue;
        }
        if own.iter().any(|r: &Rule| r.name == name) {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidImportRule,
                    format!("two import rules are named `{name}`"),
                )
                .at(at(spec.name.span()))
                .with_hint("give each rule its own name"),
            );
            continue;
        }
        let kind = match &spec.kind {
            None => Kind::Line,
            Some(kind) => match Kind::parse(kind.get_ref()) {
                Some(k) => k,
                None => {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::InvalidImportRule,
                            format!("`{}` is not a kind of import rule", kind.get_ref()),
                        )
                        .at(at(kind.span()))
                        .with_label("expected \"line\", \"block\", \"rest\" or \"keep\"")
                        .with_hint(
                            "\"line\" removes the matching line, \"block\" its whole paragraph, \
                             \"rest\" everything from it to the end (a footer); \"keep\" keeps \
                             the matching line whatever removes it",
                        ),
                    );
                    continue;
                }
            },
        };
        let regex = match Regex::new(spec.pattern.get_ref()) {
            Ok(r) => r,
            Err(e) => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidImportRule,
                        format!("the pattern of import rule `{name}` is not a regular expression"),
                    )
                    .at(at(spec.pattern.span()))
                    .with_label("does not parse")
                    .with_hint(e.to_string())
                    .with_hint("patterns use Rust's regex syntax; in a TOML string, write \\\\ for a backslash or use 'single quotes'"),
                );
                continue;
            }
        };
        own.push(Rule {
            description: spec
                .description
                .clone()
                .unwrap_or_else(|| format!("site rule: /{}/", spec.pattern.get_ref())),
            name,
            kind,
            matcher: Matcher::Pattern(regex),
            from_site: true,
        });
    }
    builtins.retain(|b| {
        !table.disable.iter().any(|d| d.get_ref() == &b.name)
            && !own.iter().any(|o| o.name == b.name)
    });
    own.extend(builtins);
    SiteImport {
        rules: own,
        max_size,
    }
}
