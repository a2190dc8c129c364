//! Applying the rules to a text: which lines go, and by which rule.

use std::ops::Range;

use regex::Regex;

use super::{Kind, Matcher, Rule};

#[cfg(test)]
use super::{built_in, LIVE_STAMP};

/// One line of the input and what became of it.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    pub text: &'a str,
    /// The rule (index into the rules) that removed it.
    pub removed: Option<usize>,
    /// What kept it when a rule (the index) would have removed it.
    pub kept: Option<(Keeper, usize)>,
}

/// What keeps a line a removal rule matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keeper {
    /// A keep rule of the site (index into the rules).
    Rule(usize),
    /// The line is report prose: see [`report_prose`].
    Prose,
}

/// The name `--explain` gives the rule that keeps report prose.
pub const REPORT_PROSE: &str = "report-prose";

/// Whether a line is report text that no rule may remove: it holds two
/// sentences or more of ten words or more, each ending in `.`, `!` or `?`
/// and most of whose words (after the first) start in lower case; they
/// make forty words at least and three fifths of the line's words.
/// Captions (one sentence and a credit), copyright notices, share bars,
/// legends of icons, lists of headlines and stamps fall short of it; a
/// paragraph of a report does not. (A rule that matches a line more than
/// once, such as a gallery's `Hide Caption 1 of 3 … 2 of 3`, removes it
/// all the same: a report paragraph does not repeat debris.)
pub fn report_prose(line: &str) -> bool {
    let mut sentences = 0;
    let mut words_in = 0;
    let mut words_all = 0;
    let mut current: Vec<&str> = Vec::new();
    let mut close = |current: &mut Vec<&str>| {
        if current.len() >= 10 {
            let lower = current[1..]
                .iter()
                .filter(|w| w.chars().next().is_some_and(|c| c.is_lowercase()))
                .count();
            if lower * 2 >= current.len() - 1 {
                sentences += 1;
                words_in += current.len();
            }
        }
        current.clear();
    };
    for word in line.split_whitespace() {
        words_all += 1;
        current.push(word);
        let bare = word.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»']);
        if bare.ends_with(['.', '!', '?']) && bare.chars().filter(|c| c.is_alphabetic()).count() > 1
        {
            close(&mut current);
        }
    }
    close(&mut current);
    sentences >= 2 && words_in >= 40 && words_in * 5 >= words_all * 3
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
            kept: None,
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
            Matcher::Pattern(re) => r.kind != Kind::Keep && re.is_match(lines[i].text),
            Matcher::LiveStamp => crate::import::liveblog::parse(lines[i].text).is_some(),
            _ => false,
        });
        if let Some((r, rule)) = hit {
            match rule.kind {
                Kind::Line | Kind::Keep => lines[i].removed = Some(r),
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
                        && crate::import::meta::dates_in(t).is_empty()
                });
            if list {
                for i in kept {
                    lines[i].removed = Some(r);
                }
            }
        }
    }

    // What no rule removes: lines a keep rule matches, and report prose.
    // A stamp stays a stamp.
    let keeps: Vec<(usize, &Regex)> = rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == Kind::Keep)
        .filter_map(|(k, r)| match &r.matcher {
            Matcher::Pattern(re) => Some((k, re)),
            _ => None,
        })
        .collect();
    for line in &mut lines {
        let Some(r) = line.removed else { continue };
        if matches!(rules[r].matcher, Matcher::LiveStamp) || rules[r].name == super::LIVE_STAMP {
            continue;
        }
        // What is never report text, however it reads: a copyright
        // notice, the author box at the end, and a caption that opens as
        // captions do ("In this photo…", "FILE - ").
        let never_report = !rules[r].from_site
            && (matches!(rules[r].name.as_str(), "copyright" | "author-box")
                || (rules[r].name == "photo-caption" && caption_opening(line.text)));
        let keeper = keeps
            .iter()
            .find(|(_, re)| re.is_match(line.text))
            .map(|(k, _)| Keeper::Rule(*k))
            .or_else(|| {
                if never_report {
                    return None;
                }
                let repeated = match &rules[r].matcher {
                    Matcher::Pattern(re) => re.find_iter(line.text).nth(1).is_some(),
                    _ => false,
                };
                (!repeated && report_prose(line.text)).then_some(Keeper::Prose)
            });
        if let Some(keeper) = keeper {
            line.removed = None;
            line.kept = Some((keeper, r));
        }
    }
    lines
}

/// Whether a line opens as a photo caption does (`In this photo…`,
/// `FILE - `, `File photo: `).
fn caption_opening(line: &str) -> bool {
    static OPENING: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    OPENING
        .get_or_init(|| {
            Regex::new(r"^\s*(?:(?:FILE|File photo)\s*[-–—:]\s|In this (?:handout )?(?:photo|image|picture)\b)")
                .expect("caption opening pattern")
        })
        .is_match(line)
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

    #[test]
    fn report_prose_is_told_from_captions_and_notices() {
        let update = "Rescuers pulled a family of four from the rubble of a block in the old town overnight, the civil defence agency said on Tuesday. The search goes on in three more buildings, where neighbours say at least a dozen people were living when the quake struck. Volunteers from across the region have joined the teams. (Photo: AFP)";
        assert!(report_prose(update));
        for not in [
            "U.S. Defense Secretary Mark Esper, left, and Vietnamese Defense Minister Ngo Xuan Lich shake hands in Hanoi. (AP Photo/Hau Dinh)",
            "Copyright 2022 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
            "Share Facebook Twitter Email",
            "The talks resumed on Monday, officials said, and will go on all week.",
            "date 2022-02-14 Calendar An icon of a wall calendar. Cancel An icon of a crossed circle. Email An icon of a sealed envelope. Facebook An icon of a lower-case f. Speech Bubble Icon A icon showing a speech balloon WhatsApp An icon of a phone in a bubble.",
        ] {
            assert!(!report_prose(not), "{not:?}");
        }
    }

    #[test]
    fn a_photo_credit_never_costs_an_update_its_text() {
        let update = "18:04 GMT Rescuers reach the old town\n\nRescuers pulled a family of four from the rubble of a block in the old town overnight, the civil defence agency said on Tuesday. The search goes on in three more buildings, where neighbours say at least a dozen people were living when the quake struck. Volunteers from across the region have joined the teams, and more are on their way from the capital (AP Photo)\n";
        let lines = removed_by(update);
        assert_eq!(lines[1].1, None, "{lines:?}");
    }

    #[test]
    fn notices_and_captions_that_read_as_prose_still_go() {
        let notice = "All rights reserved. Copyright Example Press Agency. The dispatches, photographs and logos shown on this page are protected by the intellectual property rights of the agency. You may not copy, publish or in any way use any of the content of this page without the written consent of the agency.\n";
        assert_eq!(removed_by(notice)[0].1.as_deref(), Some("copyright"));
        let caption = "In this photo released by the ministry on Wednesday, a frigate of the navy prepares to sail for an exercise in the northern sea. The ministry has launched a series of drills in the region while talks on the dispute go on in the capital of the neighbouring country. (Ministry Press Service via AP)\n";
        assert_eq!(removed_by(caption)[0].1.as_deref(), Some("photo-caption"));
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
