//! The removal rules: what counts as debris in a saved page, each rule with
//! a name the `--explain` report cites. Most are regular expressions over
//! one line; a few look at the shape of a paragraph. A site extends them in
//! site.toml's `[import]` table.

use regex::Regex;

mod apply;
mod site;

pub use apply::*;
pub use site::*;

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
    /// Nothing: a matching line is kept whatever removal rule matches it
    /// (a site's keep rule).
    Keep,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Line => "line",
            Kind::Block => "block",
            Kind::Rest => "rest",
            Kind::Keep => "keep",
        }
    }

    fn parse(text: &str) -> Option<Kind> {
        match text {
            "line" => Some(Kind::Line),
            "block" => Some(Kind::Block),
            "rest" => Some(Kind::Rest),
            "keep" => Some(Kind::Keep),
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
    /// A live-blog time stamp ([`crate::import::liveblog::parse`]).
    LiveStamp,
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
        "advertisement",
        Kind::Line,
        r"(?i)^\s*(?:advertisement|advert|sponsored(?: content)?|story continues below(?: advertisement)?|continue reading (?:the main story|below))\s*$",
        "an advertisement marker (\"ADVERTISEMENT\")",
    ),
    (
        "gallery-caption",
        Kind::Line,
        r"(?i)\bhide caption \d+ of \d+\b|^\s*\d+ of \d+\s*$|^\s*(?:expand|enlarge|view) (?:gallery|image|photo)s?\s*$|^\s*(?:image|photo|picture|slide) \d+ (?:of|/) ?/? ?\d+\s*$|^\s*(?:caption|close caption|hide caption|show caption)\s*$",
        "photo-gallery captions and counters (\"… Hide Caption 3 of 35\", \"Image 1 of 8\", \"Caption\")",
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
        r"(?:\((?:AP|AFP|Reuters|PA|EPA|Getty Images|Getty|AP Photo|PA Wire|PA Media|Shutterstock|File)(?: Photo)?\)|\((?i:image|photo|picture|pic)s?: [^()]{1,60}\)|\[[^\[\]:]*/[^\[\]:]*\]|\[File: [^\[\]]*\])\s*$|^\s*(?:FILE|File photo)\s*[-–—:]\s|^\s*In this (?:handout )?(?:photo|image|picture)\b|^\s*(?i:photo|image|picture)s?(?: credit)?:\s+\S(?:\S*\s?){0,7}$",
        "a photo caption: ending in a credit (\"(AP)\", \"(Image: GETTY)\", \"[File: …/AFP]\"), a credit alone (\"Photo: Jane Roe, AP\") or opening as captions do (\"FILE - \", \"In this photo…\")",
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
        "dateline",
        Kind::Line,
        r"(?i)^\s*[|·•]?\s*(?:published|updated|posted|last updated|first published)\s*:?\s+(?:on\s+)?(?:\S+\s+){0,9}?\S*\d\S*(?:\s+\S+){0,9}\s*$",
        "the page's own publication or update time (\"PUBLISHED: 10:48, Tue, Nov 19, 2019\", \"Updated: Nov. 19\")",
    ),
    (
        "promo-line",
        Kind::Line,
        r"(?i)^\s*(?:see more|read more|more|don'?t miss|also read|read also|watch|watch now|listen|related)\s*:.{0,120}$|^\s*(?:\S+\s+){0,3}click(?:ing)? here\.?\s*$|(?-i:^\s*[^a-z]{0,100}CLICK(?:ING)? HERE\.?\s*$)|^\s*don'?t miss\s*$|^\s*(?:you have been successfully subscribed!?|there was a problem subscribing you.*|(?:subscribe|sign up)(?: now)? (?:to|for) (?:\S+\s+){0,6}newsletters?\.?(?:\s+(?:subscribe|sign up|sign-up|join)(?: now| here)?\.?)?|want more stories like this\??|open in app|open app|get the app|download the app)\s*$",
        "a pointer to other stories, a newsletter or the app (\"SEE MORE: …\", \"… BY CLICKING HERE\", \"Sign up for our newsletter\", \"Open in App\")",
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
            name: LIVE_STAMP.into(),
            kind: Kind::Line,
            description: "the time stamp of a live-blog update (\"51 seconds ago (18:04 GMT)\", \"11.10am GMT\", \"3:44 p.m. ET, February 6, 2023\"); it becomes the entry's `at`".into(),
            matcher: Matcher::LiveStamp,
            from_site: false,
        },
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
    let mut rules: Vec<Rule> = Vec::new();
    let shapes = shape_rules();
    // The stamps first, as before: a stamp line is explained as a stamp.
    rules.extend(shapes.iter().filter(|r| r.name == LIVE_STAMP).cloned());
    rules.extend(
        BUILT_IN
            .iter()
            .map(|(name, kind, pattern, description)| Rule {
                name: (*name).to_string(),
                kind: *kind,
                description: (*description).to_string(),
                matcher: Matcher::Pattern(Regex::new(pattern).expect("built-in pattern")),
                from_site: false,
            }),
    );
    rules.extend(shapes.into_iter().filter(|r| r.name != LIVE_STAMP));
    rules
}

/// The names of the built-in rules, in order.
pub fn built_in_names() -> Vec<String> {
    built_in().into_iter().map(|r| r.name).collect()
}
