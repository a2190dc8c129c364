//! The removal rules: what counts as debris in a saved page, each rule with
//! a name the `--explain` report cites. Most are regular expressions over
//! one line; a few look at the shape of a paragraph. A site extends them in
//! site.toml's `[import]` table.

use std::ops::Range;
use std::path::Path;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, SourceFiles};

/// What a match removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The matching line.
    Line,
    /// The whole paragraph (run of non-blank lines) holding a matching line.
    Block,
    /// Everything from the matching line to the end: a footer. Applied only
    /// when what it would remove is at most a third of the text; otherwise
    /// the line alone goes.
    Rest,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Line => "line",
            Kind::Block => "block",
            Kind::Rest => "rest",
        }
    }

    fn parse(text: &str) -> Option<Kind> {
        match text {
            "line" => Some(Kind::Line),
            "block" => Some(Kind::Block),
            "rest" => Some(Kind::Rest),
            _ => None,
        }
    }
}

/// How a rule recognises debris.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// A regular expression searched in each line.
    Pattern(Regex),
    /// A line given twice in a row: the repeat goes (the title, kept once).
    RepeatedLine,
    /// A line given twice in a row, not the title: an image's alt text and
    /// its caption; both go.
    DoubledCaption,
    /// A paragraph of three or more short lines, none a sentence: a list of
    /// headlines (related stories, other sections of the site).
    HeadlineList,
}

/// One removal rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub kind: Kind,
    pub description: String,
    pub matcher: Matcher,
    /// Written in site.toml rather than built in.
    pub from_site: bool,
}

/// The name of the rule whose lines are live-blog time stamps: removed from
/// the text, and each one starts an entry of the skeleton.
pub const LIVE_STAMP: &str = "live-stamp";

/// Built-in pattern rules: name, kind, pattern, description.
const BUILT_IN: &[(&str, Kind, &str, &str)] = &[
    (
        "icon-legend",
        Kind::Line,
        r"(?i)\ban? (?:icon|explanation mark)\b.*\ban? (?:icon|explanation mark)\b",
        "a line of icon descriptions from the page's buttons (\"Facebook An icon of…\")",
    ),
    (
        LIVE_STAMP,
        Kind::Line,
        r"(?i)^\s*(?:(?:updated|posted)\s+)?(?:(?:\d+|an?|one)\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)\s+ago(?:\s*\(\s*\d{1,2}[:.]\d{2}\s*(?:GMT|UTC)?\s*\))?|\d{1,2}[:.]\d{2}\s*(?:GMT|UTC))\s*$",
        "the time stamp of a live-blog update (\"51 seconds ago (18:04 GMT)\"); it becomes the entry's `at`",
    ),
    (
        "advertisement",
        Kind::Line,
        r"(?i)^\s*(?:advertisement|advert|sponsored(?: content)?|story continues below(?: advertisement)?|continue reading (?:the main story|below))\s*$",
        "an advertisement marker (\"ADVERTISEMENT\")",
    ),
    (
        "gallery-caption",
        Kind::Line,
        r"(?i)\bhide caption \d+ of \d+\b|^\s*\d+ of \d+\s*$|^\s*(?:expand|enlarge|view) (?:gallery|image|photo)s?\s*$",
        "photo-gallery captions and counters (\"… Hide Caption 3 of 35\")",
    ),
    (
        "subscriber-prompt",
        Kind::Line,
        r"(?i)^\s*(?:already (?:a subscriber|have an account)\?.*|sign in|log in|sign in to (?:continue|read).*|subscribe(?: now| today)?|subscribe to (?:continue|read).*)\s*$",
        "a sign-in or subscription prompt (\"Already a subscriber? Sign in\")",
    ),
    (
        "template-placeholder",
        Kind::Line,
        r"^\s*(?:\[\[[\w.-]+\]\]|\{\{\s*[\w.-]+\s*\}\}|%%[\w.-]+%%)\s*$",
        "an unfilled template field of the page (\"[[title]]\")",
    ),
    (
        "image-markup",
        Kind::Line,
        r"(?i)^\s*(?:!?\[?img\]|!\[[^\]]*\]\([^)]*\)|\[(?:image|photo|img)\b[^\]]*\])\s*$",
        "what is left of an image (\"img]\", \"![…](…)\")",
    ),
    (
        "featured-image",
        Kind::Line,
        r"(?i)^\s*featured image of (?:post|article)\b",
        "the page's preview image (\"Featured image of post …\")",
    ),
    (
        "photo-caption",
        Kind::Line,
        r"(?:\((?:AP|AFP|Reuters|PA|EPA|Getty Images|Getty|AP Photo|PA Wire|PA Media|Shutterstock|File)(?: Photo)?\)|\[[^\[\]:]*/[^\[\]:]*\]|\[File: [^\[\]]*\])\s*$|^\s*(?:FILE|File photo)\s*[-–—:]\s|^\s*In this (?:handout )?(?:photo|image|picture)\b",
        "a photo caption: ending in a credit (\"(AP)\", \"[File: …/AFP]\") or opening as captions do (\"FILE - \", \"In this photo…\")",
    ),
    (
        "share-bar",
        Kind::Line,
        r"(?i)^\s*(?:share(?: this)?(?: article| story| page)?|tweet|email|e-mail|print|copy link|facebook|twitter|whatsapp|linkedin|linked in|reddit|pinterest|messenger|telegram|flipboard|comments?)(?:\s*[|·•,/]?\s*(?:share(?: this)?(?: article| story| page)?|tweet|email|e-mail|print|copy link|facebook|twitter|whatsapp|linkedin|linked in|reddit|pinterest|messenger|telegram|flipboard|comments?|x))*\s*$|(?i)^\s*share (?:on|via) (?:facebook|twitter|x|whatsapp|linkedin|email)\b.{0,40}$",
        "a share bar (\"Share Facebook Twitter Email\")",
    ),
    (
        "navigation",
        Kind::Line,
        r"(?i)^\s*(?:home|news|world|europe|asia|africa|americas|middle east|politics|business|opinion|sports?|videos?|live|latest|breaking|menu|search|sections|accessibility links|skip to (?:main )?content|updated?|close|top stories)(?:\s*[>›»|/·•]?\s*(?:home|news|world|europe|asia|africa|americas|middle east|politics|business|opinion|sports?|videos?|live|latest|breaking|menu|search|sections|accessibility links|skip to (?:main )?content|updated?|close|top stories)){0,5}\s*$",
        "navigation and section labels (\"Home News World\", \"Accessibility links\")",
    ),
    (
        "masthead",
        Kind::Line,
        r"(?i)^\s*[\w-]+\.(?:com|net|org|info|news|co\.uk)\s+[-–|:]\s+\S.*$",
        "the site's name and motto (\"Example.com - News of the world\")",
    ),
    (
        "source-link",
        Kind::Line,
        r"(?i)^\s*(?:source link|view (?:original|source)(?: article)?|read the original(?: article)?)\s*:?\s*$",
        "a link back to the original (\"Source link\")",
    ),
    (
        "copyright",
        Kind::Line,
        r"(?i)^\s*(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4})|all rights reserved\b|licensed under (?:cc|creative commons)\b)",
        "a copyright or licence notice (\"All rights reserved…\", \"© 2022 …\")",
    ),
    (
        "generator-credit",
        Kind::Line,
        r"(?i)^\s*(?:(?:proudly )?(?:powered by|built with|made with) [\w .-]{1,40}|theme [\w .-]{1,40} (?:designed|developed|made) by [\w .-]{1,40}|使用 \S+ 建立)\s*$",
        "the blog software's credit (\"Powered by …\")",
    ),
    (
        "related-heading",
        Kind::Block,
        r"(?i)^\s*(?:more from (?:the )?\S.*|related(?: (?:stories|articles|content|coverage|news|topics))?|read more|read next|most (?:read|popular|viewed)|recommended(?: for you| stories)?|you may also like|trending(?: now)?|more stories|latest news|editor'?s picks)\s*:?\s*$",
        "the heading of a list of other stories (\"More from …\", \"Related\"), with its paragraph",
    ),
    (
        "author-box",
        Kind::Rest,
        r"^\s*[•·]\s*\d+x\d+ Image\s*$",
        "an author box at the end (an image placeholder, then the byline and a description of the writer or outlet)",
    ),
    (
        "layout-debris",
        Kind::Line,
        r"^\s*(?:(?:[•·]\s*)?\d+x\d+ Image|XXS|XS|SM|MD|LG|XL|XXL)\s*$",
        "labels of the page's layout (\"16x9 Image\", \"XS\", \"LG\")",
    ),
];

/// The rules that look at more than one line: name, kind, matcher, description.
fn shape_rules() -> Vec<Rule> {
    vec![
        Rule {
            name: "repeated-line".into(),
            kind: Kind::Line,
            description: "a line repeating the line before it (the title given twice); the repeat goes"
                .into(),
            matcher: Matcher::RepeatedLine,
            from_site: false,
        },
        Rule {
            name: "image-caption".into(),
            kind: Kind::Line,
            description: "a line given twice in a row: an image's alt text and its caption; both go"
                .into(),
            matcher: Matcher::DoubledCaption,
            from_site: false,
        },
        Rule {
            name: "headline-list".into(),
            kind: Kind::Block,
            description: "a paragraph of three or more short lines, none a sentence: a list of headlines (related stories, other sections)"
                .into(),
            matcher: Matcher::HeadlineList,
            from_site: false,
        },
    ]
}

/// Every built-in rule, in the order they are tried.
pub fn built_in() -> Vec<Rule> {
    let mut rules: Vec<Rule> = BUILT_IN
        .iter()
        .map(|(name, kind, pattern, description)| Rule {
            name: (*name).to_string(),
            kind: *kind,
            description: (*description).to_string(),
            matcher: Matcher::Pattern(Regex::new(pattern).expect("built-in pattern")),
            from_site: false,
        })
        .collect();
    rules.extend(shape_rules());
    rules
}

/// The names of the built-in rules, in order.
pub fn built_in_names() -> Vec<String> {
    built_in().into_iter().map(|r| r.name).collect()
}

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
    let file = files.add(super::from_cwd(&path), text);
    let text = &files.get(file).text;
    let at = |range: Range<usize>| Some(Location { file, range });
    let table = match toml::from_str::<SiteToml>(text) {
        Ok(site) => site.import.unwrap_or_default(),
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(Code::InvalidImportRule, e.message().to_string())
                    .at(e.span().and_then(&at))
                    .in_file(super::from_cwd(&path))
                    .with_hint(
                        "[import] takes `disable = [\"rule-name\", ...]`, `max_size` (such as \
                         \"64MiB\") and [[import.rules]] tables with `name`, `pattern` (a regular \
                         expression), `kind` (\"line\", \"block\" or \"rest\") and an optional \
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
                .and_then(|n| super::parse_size(&n.to_string())),
            toml::Value::String(text) => super::parse_size(text),
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
                        .with_label("expected \"line\", \"block\" or \"rest\"")
                        .with_hint(
                            "\"line\" removes the matching line, \"block\" its whole paragraph, \
                             \"rest\" everything from it to the end (a footer)",
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

/// One line of the input and what became of it.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    pub text: &'a str,
    /// The rule (index into the rules) that removed it.
    pub removed: Option<usize>,
}

/// Whether a line reads like a headline: a few words, not a sentence.
pub fn headline_like(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().count();
    (2..=20).contains(&words) && !ends_sentence(line) && !line.ends_with(':')
}

/// Whether a line ends as a sentence does (closing quotes and brackets aside).
pub fn ends_sentence(line: &str) -> bool {
    let trimmed = line
        .trim_end()
        .trim_end_matches(['"', '\'', '”', '’', ')', ']', '»']);
    trimmed.ends_with(['.', '!', '?', '…', ';'])
}

/// Whether a line is prose: a sentence of some length.
pub fn prose_like(line: &str) -> bool {
    line.split_whitespace().count() >= 12 && ends_sentence(line)
}

/// Applies the rules to the lines of a text. Returns each line with the
/// rule that removed it, if any.
pub fn apply<'a>(text: &'a str, rules: &[Rule]) -> Vec<Line<'a>> {
    let mut lines: Vec<Line> = text
        .split('\n')
        .map(|l| Line {
            text: l.strip_suffix('\r').unwrap_or(l),
            removed: None,
        })
        .collect();
    let blocks = blocks(&lines);
    let total: usize = lines.iter().map(|l| l.text.len() + 1).sum();

    // Pattern rules, line by line; the first that matches explains the line.
    // As the lines are gone through, `before` is the length of the text
    // before line i, and `block` the first block not ending before it.
    let mut before = 0;
    let mut block = 0;
    let mut i = 0;
    while i < lines.len() {
        if i > 0 {
            before += lines[i - 1].text.len() + 1;
        }
        while blocks.get(block).is_some_and(|b| b.end <= i) {
            block += 1;
        }
        if lines[i].removed.is_some() || lines[i].text.trim().is_empty() {
            i += 1;
            continue;
        }
        let hit = rules.iter().enumerate().find(|(_, r)| match &r.matcher {
            Matcher::Pattern(re) => re.is_match(lines[i].text),
            _ => false,
        });
        if let Some((r, rule)) = hit {
            match rule.kind {
                Kind::Line => lines[i].removed = Some(r),
                Kind::Block => {
                    let paragraph = blocks
                        .get(block)
                        .filter(|b| b.contains(&i))
                        .cloned()
                        .unwrap_or(i..i + 1);
                    for j in paragraph {
                        if lines[j].removed.is_none() {
                            lines[j].removed = Some(r);
                        }
                    }
                }
                Kind::Rest => {
                    if (total - before) * 3 <= total {
                        for line in &mut lines[i..] {
                            if line.removed.is_none() && !line.text.trim().is_empty() {
                                line.removed = Some(r);
                            }
                        }
                    } else {
                        lines[i].removed = Some(r);
                    }
                }
            }
        }
        i += 1;
    }

    // Lines given twice in a row.
    let repeated = rules
        .iter()
        .position(|r| matches!(r.matcher, Matcher::RepeatedLine));
    let doubled = rules
        .iter()
        .position(|r| matches!(r.matcher, Matcher::DoubledCaption));
    if repeated.is_some() || doubled.is_some() {
        let title = lines
            .iter()
            .position(|l| l.removed.is_none() && headline_like(l.text));
        let kept: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].removed.is_none() && !lines[i].text.trim().is_empty())
            .collect();
        for pair in kept.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if lines[a].text.trim() != lines[b].text.trim() {
                continue;
            }
            let caption = Some(a) != title
                && (lines[a].removed.is_none() || lines[a].removed == doubled)
                && (!prose_like(lines[a].text) || ends_with_date(lines[a].text));
            if !caption {
                if let Some(r) = repeated {
                    lines[b].removed = Some(r);
                }
            } else if let Some(r) = doubled {
                if lines[a].removed.is_none() {
                    lines[a].removed = Some(r);
                }
                lines[b].removed = Some(r);
            }
        }
    }

    // Lists of headlines; never the block with the title, a byline or a
    // date (a page's head: title, byline, dateline).
    if let Some(r) = rules
        .iter()
        .position(|r| matches!(r.matcher, Matcher::HeadlineList))
    {
        let title = lines
            .iter()
            .position(|l| l.removed.is_none() && headline_like(l.text));
        for block in &blocks {
            let kept: Vec<usize> = block
                .clone()
                .filter(|&i| lines[i].removed.is_none())
                .collect();
            let list = kept.len() >= 3
                && !kept.iter().any(|&i| Some(i) == title)
                && kept.iter().all(|&i| {
                    let t = lines[i].text.trim();
                    headline_like(t)
                        && t.split_whitespace().count() <= 16
                        && !list_marker(t)
                        && !t.starts_with("By ")
                        && super::meta::dates_in(t).is_empty()
                });
            if list {
                for i in kept {
                    lines[i].removed = Some(r);
                }
            }
        }
    }
    lines
}

/// Runs of non-blank lines, as ranges of line indices.
pub fn blocks(lines: &[Line]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, line) in lines.iter().enumerate() {
        let blank = line.text.trim().is_empty();
        match (blank, start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..lines.len());
    }
    out
}

/// Whether a sentence ends with a date, as captions do ("…, Dec. 1, 2021.").
fn ends_with_date(line: &str) -> bool {
    static DATE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    DATE.get_or_init(|| {
        Regex::new(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:, \d{4})?\.?\s*$|\b\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* \d{4}\.?\s*$")
            .expect("date pattern")
    })
    .is_match(line.trim_end())
}

/// Whether a line starts as an item of a bulleted or numbered list.
fn list_marker(line: &str) -> bool {
    line.starts_with(['•', '-', '*', '–', '·'])
        || line
            .split_once(['.', ')'])
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn removed_by(text: &str) -> Vec<(String, Option<String>)> {
        static RULES: std::sync::OnceLock<Vec<Rule>> = std::sync::OnceLock::new();
        let rules = RULES.get_or_init(built_in);
        apply(text, rules)
            .into_iter()
            .filter(|l| !l.text.trim().is_empty())
            .map(|l| (l.text.to_string(), l.removed.map(|r| rules[r].name.clone())))
            .collect()
    }

    fn rule_for(line: &str) -> Option<String> {
        removed_by(&format!("{line}\n"))[0].1.clone()
    }

    #[test]
    fn each_built_in_rule_recognises_its_debris() {
        for (line, rule) in [
            (
                "Mail An icon of an envelope. Print An icon of a printer.",
                "icon-legend",
            ),
            ("51 seconds ago (18:04 GMT)", LIVE_STAMP),
            ("2 hours ago (16:20 GMT)", LIVE_STAMP),
            ("1 hour ago", LIVE_STAMP),
            ("ADVERTISEMENT", "advertisement"),
            (
                "A harbour at dawn. Hide Caption 2 of 9 Photos: Next",
                "gallery-caption",
            ),
            ("Already a subscriber? Sign in", "subscriber-prompt"),
            ("[[title]]", "template-placeholder"),
            ("img]", "image-markup"),
            ("Featured image of post Talks resume", "featured-image"),
            ("The minister arrives in the capital (AP)", "photo-caption"),
            (
                "Soldiers at a checkpoint [File: Jane Roe/Reuters]",
                "photo-caption",
            ),
            ("Facebook Twitter Email", "share-bar"),
            ("Home News World", "navigation"),
            ("Accessibility links", "navigation"),
            ("Example.com - News from everywhere", "masthead"),
            ("Source link", "source-link"),
            ("© 2022 Example Media Ltd", "copyright"),
            ("Licensed under CC BY 4.0", "copyright"),
            ("Powered by Hugo", "generator-credit"),
            ("More from the Daily Example", "related-heading"),
            ("LG", "layout-debris"),
        ] {
            assert_eq!(rule_for(line).as_deref(), Some(rule), "{line:?}");
        }
    }

    #[test]
    fn report_sentences_are_left_alone() {
        for line in [
            "The minister said the talks would resume on Monday.",
            "Officials shared the figures by email with reporters.",
            "World leaders met in the capital to discuss the news.",
            "MOSCOW (AP) — The ministry said the reply had arrived.",
            "Copyright law was not discussed at the summit.",
            "Home",
        ] {
            let got = rule_for(line);
            if line == "Home" {
                assert_eq!(got.as_deref(), Some("navigation"));
            } else {
                assert_eq!(got, None, "{line:?}");
            }
        }
    }

    #[test]
    fn a_doubled_line_is_a_caption_but_a_doubled_title_is_kept_once() {
        let got = removed_by(
            "Talks resume in the capital\n\nTalks resume in the capital\n\nA minister at a podium\nA minister at a podium\n\nThe talks resumed on Monday, officials said.\n",
        );
        let rules: Vec<_> = got.iter().map(|(_, r)| r.as_deref()).collect();
        assert_eq!(
            rules,
            [
                None,
                Some("repeated-line"),
                Some("image-caption"),
                Some("image-caption"),
                None
            ]
        );
    }

    #[test]
    fn a_list_of_headlines_goes_but_a_bulleted_list_stays() {
        let got = removed_by(
            "Talks resume\n\nThe talks resumed on Monday, officials said.\n\nOther news\nA comet passes close to the sun\nMarkets slip on Monday\n\n- sanctions on banks\n- export limits\n- travel bans\n",
        );
        assert!(got[..2].iter().all(|(_, r)| r.is_none()));
        assert!(got[2..5]
            .iter()
            .all(|(_, r)| r.as_deref() == Some("headline-list")));
        assert!(got[5..].iter().all(|(_, r)| r.is_none()));
    }

    #[test]
    fn the_head_of_a_page_is_not_a_list_of_headlines() {
        let got = removed_by(
            "Talks resume in the capital\nBy Jane Roe\nMarch 2, 2022\n\nThe talks resumed on Monday, officials said.\n",
        );
        assert!(got.iter().all(|(_, r)| r.is_none()), "{got:?}");
    }

    #[test]
    fn a_footer_rule_removes_to_the_end_only_near_the_end() {
        let rules = vec![Rule {
            name: "end".into(),
            kind: Kind::Rest,
            description: String::new(),
            matcher: Matcher::Pattern(Regex::new("^END$").unwrap()),
            from_site: true,
        }];
        let long = "A sentence of the report that goes on for a while.\n".repeat(5);
        let text = format!("{long}END\nfooter one\nfooter two\n");
        let lines = apply(&text, &rules);
        assert_eq!(lines.iter().filter(|l| l.removed.is_some()).count(), 3);
        let text = format!("END\n{long}");
        let lines = apply(&text, &rules);
        assert_eq!(lines.iter().filter(|l| l.removed.is_some()).count(), 1);
    }

    #[test]
    fn many_block_and_rest_matches_take_one_pass() {
        // Each match looked for its paragraph among all paragraphs, and
        // each footer match measured the rest of the text again.
        let rules = vec![
            Rule {
                name: "end".into(),
                kind: Kind::Rest,
                description: String::new(),
                matcher: Matcher::Pattern(Regex::new("^END$").unwrap()),
                from_site: true,
            },
            Rule {
                name: "box".into(),
                kind: Kind::Block,
                description: String::new(),
                matcher: Matcher::Pattern(Regex::new("^Box$").unwrap()),
                from_site: true,
            },
        ];
        // 60,000 times: a paragraph for the block rule, then a footer line.
        let text = "Box\nin the box\n\nEND\n\n".repeat(60_000);
        let lines = apply(&text, &rules);
        let by = |name: &str| {
            lines
                .iter()
                .filter(|l| l.removed.is_some_and(|r| rules[r].name == name))
                .count()
        };
        // A footer match takes the rest once that is a third of the text at
        // most: from the 40,001st footer line, with the 19,999 paragraphs
        // and footer lines after it. Before it, each takes its own line.
        assert_eq!(by("end"), 40_000 + 1 + 3 * 19_999);
        assert_eq!(by("box"), 2 * 40_001);
    }
}
