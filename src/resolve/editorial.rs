//! What the editors assert about an entry: whether it is a claim (and whose),
//! and what they corrected after publishing.

use chrono_tz::Tz;
use serde::Serialize;

use super::article::date_error;
use super::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::load::annotations::{RawClaim, RawCorrection};

/// An entry that reports a claim rather than an established fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub status: ClaimStatus,
    /// Who makes the claim.
    pub by: Vec<ActorIx>,
    /// Who disputes or denies it.
    pub disputed_by: Vec<ActorIx>,
    /// The editors' assessment, Markdown; may be empty.
    pub review: String,
}

/// Where a claim stands, as the editors judge it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimStatus {
    /// Made, not yet assessed.
    Claimed,
    /// Others contest it.
    Disputed,
    /// Those it concerns say it is false.
    Denied,
    /// Borne out: an established fact.
    Confirmed,
    /// Shown to be false.
    Refuted,
    /// Withdrawn by whoever made it.
    Retracted,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 6] = [
        ClaimStatus::Claimed,
        ClaimStatus::Disputed,
        ClaimStatus::Denied,
        ClaimStatus::Confirmed,
        ClaimStatus::Refuted,
        ClaimStatus::Retracted,
    ];

    /// The word editors write in `claim.status`.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Claimed => "claimed",
            ClaimStatus::Disputed => "disputed",
            ClaimStatus::Denied => "denied",
            ClaimStatus::Confirmed => "confirmed",
            ClaimStatus::Refuted => "refuted",
            ClaimStatus::Retracted => "retracted",
        }
    }

    /// Reads a status as written, ignoring case and surrounding space.
    pub fn parse(text: &str) -> Option<ClaimStatus> {
        let text = text.trim().to_lowercase();
        ClaimStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether an entry with this status reads as an established fact.
    pub fn is_established(self) -> bool {
        self == ClaimStatus::Confirmed
    }

    /// Whether the editors' review is a verdict published as a schema.org
    /// `ClaimReview`: true or false, not still open.
    pub fn is_verdict(self) -> bool {
        matches!(self, ClaimStatus::Confirmed | ClaimStatus::Refuted)
    }
}

/// Something the editors changed in an entry after publishing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// When, as a date with the time when given.
    pub on: Published,
    /// What was changed, Markdown.
    pub text: String,
}

impl Correction {
    /// The correction's instant, for ordering and feeds: its time, or the
    /// start of its date in `zone`.
    pub fn instant(&self, zone: Tz) -> chrono::DateTime<chrono::FixedOffset> {
        dates::instant_of(&self.on, zone)
    }
}

impl Resolver<'_> {
    /// An entry's `claim` at `path` (`entries.3.claim`); `None`, with an
    /// error, when its status is missing or unknown.
    pub(super) fn claim(&mut self, raw: &RawClaim, doc: &YamlDoc, path: &str) -> Option<Claim> {
        let by = self.lookup_all(&raw.by.0, doc, &format!("{path}.by"));
        let disputed_by = self.lookup_all(&raw.disputed_by.0, doc, &format!("{path}.disputed_by"));
        let statuses = || {
            ClaimStatus::ALL
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        };
        let status = match raw.status.as_deref() {
            None => {
                self.push(
                    Diagnostic::error(Code::MissingField, "this claim has no `status`")
                        .at(doc.key_at(path))
                        .with_hint(format!("add `status:`, one of {}", statuses())),
                );
                return None;
            }
            Some(written) => match ClaimStatus::parse(written) {
                Some(status) => status,
                None => {
                    let near =
                        names::nearest(written, ClaimStatus::ALL.iter().map(|s| s.as_str()), 1);
                    let mut d = Diagnostic::error(
                        Code::UnknownStatus,
                        format!("`{}` is not a claim status", written.trim()),
                    )
                    .at(doc.value_at(&format!("{path}.status")))
                    .with_label("not a status");
                    if !near.is_empty() {
                        d = d.with_hint(format!("did you mean {}?", names::or_list(&near)));
                    }
                    self.push(d.with_hint(format!("a claim's status is one of {}", statuses())));
                    return None;
                }
            },
        };
        if raw.by.0.is_empty() {
            self.push(
                Diagnostic::warning(Code::MissingField, "this claim does not say who makes it")
                    .at(doc.key_at(path))
                    .with_hint("add `by:` with the actors making the claim, e.g. `by: [Russia]`"),
            );
        }
        Some(Claim {
            status,
            by,
            disputed_by,
            review: raw.review.clone().unwrap_or_default().trim().to_string(),
        })
    }

    /// An entry's `corrections` at `path` (`entries.3.corrections`), oldest
    /// first; a correction without a readable date or without text is an
    /// error and left out.
    pub(super) fn corrections(
        &mut self,
        raw: &[RawCorrection],
        doc: &YamlDoc,
        path: &str,
        zone: Tz,
    ) -> Vec<Correction> {
        let mut corrections = Vec::with_capacity(raw.len());
        for (i, correction) in raw.iter().enumerate() {
            let here = format!("{path}.{i}");
            let text = correction
                .text
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty());
            if text.is_none() {
                self.push(
                    Diagnostic::error(
                        Code::MissingField,
                        "this correction does not say what was changed",
                    )
                    .at(doc.value_at(&here))
                    .with_hint("add `text:` with what the earlier version said and what changed"),
                );
            }
            let on = match &correction.on {
                None => {
                    self.push(
                        Diagnostic::error(Code::MissingField, "this correction has no date")
                            .at(doc.value_at(&here))
                            .with_hint(format!(
                                "add `on:` with when it was made: {}",
                                dates::PUBLISHED_FORMS
                            )),
                    );
                    None
                }
                Some(written) => match dates::parse_published(&written.0, zone) {
                    Ok(on) => Some(on),
                    Err(e) => {
                        self.push(date_error(
                            &e,
                            &written.0,
                            doc.value_at(&format!("{here}.on")),
                            dates::PUBLISHED_FORMS,
                        ));
                        None
                    }
                },
            };
            if let (Some(on), Some(text)) = (on, text) {
                corrections.push(Correction {
                    on,
                    text: text.to_string(),
                });
            }
        }
        corrections.sort_by_key(|c| c.instant(zone));
        corrections
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_in_any_case_and_only_the_six() {
        assert_eq!(ClaimStatus::parse(" Denied "), Some(ClaimStatus::Denied));
        for status in ClaimStatus::ALL {
            assert_eq!(ClaimStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(ClaimStatus::parse("false"), None);
        assert_eq!(ClaimStatus::parse(""), None);
    }

    #[test]
    fn only_confirmed_is_established_and_only_verdicts_are_reviews() {
        let established: Vec<_> = ClaimStatus::ALL
            .into_iter()
            .filter(|s| s.is_established())
            .collect();
        assert_eq!(established, [ClaimStatus::Confirmed]);
        let verdicts: Vec<_> = ClaimStatus::ALL
            .into_iter()
            .filter(|s| s.is_verdict())
            .collect();
        assert_eq!(verdicts, [ClaimStatus::Confirmed, ClaimStatus::Refuted]);
    }
}
