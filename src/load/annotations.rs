//! What editors write: an article's annotations and the registries, as
//! deserialised from YAML, before any checking.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// An article's annotations: its front matter or sidecar `.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Annotations {
    pub title: Option<String>,
    /// The outlet.
    pub source: Option<String>,
    pub url: Option<String>,
    /// RFC 3339 or a date; kept as text, parsed in resolve.
    pub published: Option<Scalar>,
    pub timezone: Option<String>,
    /// Who wrote the report, when known.
    pub author: Option<String>,
    /// The report's language, when not the site's (BCP 47, e.g. `uk`).
    pub language: Option<String>,
    /// When the editors collected the page (RFC 3339 or a date).
    pub retrieved: Option<Scalar>,
    /// A preserved copy of the page (a web archive's URL).
    pub archive: Option<String>,
    /// SHA-256 of the page as collected, in hex.
    pub sha256: Option<String>,
    /// The text is the editors' digest of the outlet's report, in their own
    /// words, not the report's text.
    pub digest: bool,
    pub entries: Vec<RawEntry>,
}

/// One entry as written, or a `same_as` reference to an entry elsewhere.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawEntry {
    pub id: Option<String>,
    pub at: Option<Scalar>,
    pub headline: Option<String>,
    pub summary: Option<String>,
    pub threads: OneOrMany,
    pub thread: Option<String>,
    pub actors: OneOrMany,
    pub topics: OneOrMany,
    pub place: Option<String>,
    pub evidence: Vec<RawEvidence>,
    pub quotes: Vec<RawQuote>,
    pub same_as: Option<String>,
    /// The time (or the date) is approximate.
    pub circa: bool,
    /// The entry reports a claim, not an established fact.
    pub claim: Option<RawClaim>,
    /// What the editors changed after publishing, oldest first.
    pub corrections: Vec<RawCorrection>,
}

/// An entry's `claim`: its status, who makes it and who disputes it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawClaim {
    /// claimed | disputed | denied | confirmed | refuted | retracted
    pub status: Option<String>,
    pub by: OneOrMany,
    pub disputed_by: OneOrMany,
    /// The editors' assessment, Markdown.
    pub review: Option<String>,
}

/// One correction of an entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawCorrection {
    /// A date or RFC 3339; parsed in resolve.
    pub on: Option<Scalar>,
    /// What was changed, Markdown.
    pub text: Option<String>,
}

/// A scalar kept as its text: YAML may type `2022-01-26` or `12:30` as
/// something else, but dates and times are parsed by chronicle's own rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date or time such as \"2022-01-26 18:04\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// A list of names that may also be written as one bare name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a name or a list of names, such as [lavrov, blinken]")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![v.to_string()]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<OneOrMany, E> {
                Ok(OneOrMany::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(name);
                }
                Ok(OneOrMany(names))
            }
        }
        deserializer.deserialize_any(ListVisitor)
    }
}

/// A passage of the article an entry rests on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawEvidence {
    pub exact: String,
    /// Text just before the passage, to tell repeated passages apart.
    pub prefix: Option<String>,
    /// Text just after the passage.
    pub suffix: Option<String>,
}

impl<'de> Deserialize<'de> for RawEvidence {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EvidenceVisitor;
        impl<'de> Visitor<'de> for EvidenceVisitor {
            type Value = RawEvidence;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a passage in quotes, or a mapping with `exact` (and optional `prefix`, `suffix`)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawEvidence, E> {
                Ok(RawEvidence {
                    exact: v.to_string(),
                    ..RawEvidence::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawEvidence, A::Error> {
                let mut evidence = RawEvidence::default();
                let mut exact = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "exact" => exact = Some(map.next_value::<String>()?),
                        "prefix" => evidence.prefix = Some(map.next_value()?),
                        "suffix" => evidence.suffix = Some(map.next_value()?),
                        other => {
                            return Err(de::Error::unknown_field(
                                other,
                                &["exact", "prefix", "suffix"],
                            ))
                        }
                    }
                }
                evidence.exact = exact.ok_or_else(|| de::Error::missing_field("exact"))?;
                Ok(evidence)
            }
        }
        deserializer.deserialize_any(EvidenceVisitor)
    }
}

/// Words attributed to an actor; the text must occur in the article.
#[derive(Debug, Clone, Deserialize)]
pub struct RawQuote {
    pub by: String,
    pub text: String,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
}

/// `content/actors.yaml`: actor id → actor.
pub type ActorRegistry = BTreeMap<String, RawActor>;
/// `content/topics.yaml`: topic id → topic.
pub type TopicRegistry = BTreeMap<String, RawTopic>;
/// `content/threads.yaml`: thread id → thread.
pub type ThreadRegistry = BTreeMap<String, RawThread>;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawActor {
    pub name: Option<String>,
    pub aliases: OneOrMany,
    /// person | state | organisation | group
    pub kind: Option<String>,
    pub role: Option<String>,
    /// Another actor's id or alias.
    pub affiliation: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawTopic {
    pub name: Option<String>,
    pub aliases: OneOrMany,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawThread {
    pub title: Option<String>,
    pub aliases: OneOrMany,
    pub summary: Option<String>,
    pub topics: OneOrMany,
}

/// The fields an annotation mapping accepts, for "did you mean" hints.
pub const ARTICLE_FIELDS: &[&str] = &[
    "title",
    "source",
    "url",
    "published",
    "timezone",
    "author",
    "language",
    "retrieved",
    "archive",
    "sha256",
    "digest",
    "entries",
];
/// The fields an entry accepts.
pub const ENTRY_FIELDS: &[&str] = &[
    "id",
    "at",
    "headline",
    "summary",
    "threads",
    "thread",
    "actors",
    "topics",
    "place",
    "evidence",
    "quotes",
    "same_as",
    "circa",
    "claim",
    "corrections",
];
/// The fields of an entry's `claim`.
pub const CLAIM_FIELDS: &[&str] = &["status", "by", "disputed_by", "review"];
/// The fields of one of an entry's `corrections`.
pub const CORRECTION_FIELDS: &[&str] = &["on", "text"];
