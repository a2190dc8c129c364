//! Saved HTML: the article found in the page, and what the page says about
//! itself in its metadata.
//!
//! The article is found by [`dom_smoothie`], a port of Mozilla's
//! Readability (measured against the alternatives in bench/extract/), then
//! written out as text: a block element is a paragraph, a `<br>` a line
//! break. The text then goes through chronicle's removal rules like any
//! page saved as text. When the page's JSON-LD carries the article's body
//! (`articleBody`) and the extracted text misses much of it, the body is
//! taken instead. A live blog's updates are marked by a line holding the
//! instant of each (`<time datetime>` of the updates, or the JSON-LD
//! `liveBlogUpdate`s), which the stamp reader takes.

use dom_query::{Document, NodeRef};
use serde_json::Value;

/// What was found in a saved HTML page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The article as text: paragraphs separated by blank lines.
    pub text: String,
    pub title: Option<String>,
    /// The outlet (`og:site_name`, JSON-LD `publisher`).
    pub outlet: Option<String>,
    /// The publication time as written in the page (ISO 8601), and where.
    pub published: Option<(String, &'static str)>,
    /// When the page was last changed, as written (`article:modified_time`,
    /// JSON-LD `dateModified`, `og:updated_time`): for a live blog, the
    /// day of its newest update.
    pub modified: Option<String>,
    pub byline: Option<String>,
    /// The page's own address (`<link rel=canonical>`, `og:url`).
    pub canonical: Option<String>,
    /// The page's language (`<html lang>`, JSON-LD `inLanguage`).
    pub language: Option<String>,
    /// Where the text came from: `readability` or `json-ld`.
    pub from: &'static str,
    /// Live-blog updates found (their stamp lines are in the text).
    pub updates: usize,
}

/// The text of an HTML page: by its byte order mark; else as UTF-8 when
/// the bytes are valid UTF-8; else by `transport` (the charset of the
/// HTTP Content-Type it came with), else by the `charset` its first
/// kilobytes declare (`<meta charset>` or `http-equiv="Content-Type"`; a
/// declared UTF-16 is read as UTF-8, as the HTML standard says), else as
/// windows-1252, the web's default for pages that say nothing.
///
/// Valid UTF-8 wins over a declaration because a page saved by a tool
/// (a crawler, "save page" of a browser, an archive) is often re-encoded
/// as UTF-8 with its old `<meta charset=gb2312>` left in place, while text
/// in a legacy charset that happens to be valid UTF-8 is all but unknown.
pub fn decode(bytes: &[u8], transport: Option<&str>) -> String {
    use encoding_rs::{Encoding, WINDOWS_1252};
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_string();
    }
    let declared = transport
        .and_then(|label| Encoding::for_label(label.as_bytes()))
        .or_else(|| declared_charset(bytes).and_then(|label| Encoding::for_label(label.as_bytes())))
        // UTF-16 declared in a page that is read as ASCII cannot be true:
        // encoding_rs's output encoding of it is UTF-8.
        .map(|e| e.output_encoding());
    let encoding = declared.unwrap_or(WINDOWS_1252);
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The `charset` an HTML page declares in its first 4 KiB, lowercased.
fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let head: String = head
        .iter()
        .map(|&b| {
            if b.is_ascii() {
                b.to_ascii_lowercase() as char
            } else {
                ' '
            }
        })
        .collect();
    let mut from = 0;
    while let Some(at) = head[from..].find("<meta") {
        let start = from + at;
        let end = head[start..].find('>').map_or(head.len(), |e| start + e);
        let tag = &head[start..end];
        if let Some(c) = tag.find("charset") {
            let rest = tag[c + "charset".len()..].trim_start();
            if let Some(rest) = rest.strip_prefix('=') {
                let value: String = rest
                    .trim_start()
                    .trim_start_matches(['"', '\''])
                    .chars()
                    .take_while(|c| !matches!(c, '"' | '\'' | ';' | ' ' | '/' | '>'))
                    .collect();
                if !value.is_empty() {
                    return Some(value);
                }
            }
        }
        from = end;
    }
    None
}

/// Whether the bytes are an HTML page rather than text: its first
/// non-blank characters open a doctype, an `<html>`, `<head>` or a
/// comment followed by markup, or the first kilobytes hold `<body` or `<p>`.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let start = head.trim_start_matches('\u{feff}').trim_start();
    start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || start.starts_with("<head")
        || (start.starts_with("<!--") && head.contains("<html"))
        || (start.starts_with('<') && (head.contains("<body") || head.contains("<p>")))
}

/// The prefix of the line that marks a live-blog update in the extracted
/// text; the rest of the line is the update's instant, ISO 8601.
pub const UPDATE_MARK: &str = "Update time:";

/// Extracts the article and the metadata of an HTML page. `url`, when the
/// page was fetched, resolves its relative links (it is not otherwise read).
pub fn extract(html: &str, url: Option<&str>) -> Page {
    let doc = Document::from(html);
    let mut ld = JsonLd::read(&doc);
    ld.live |= mark_microdata_updates(&doc) >= 2;
    let mut page = Page {
        title: title(&doc, &ld),
        outlet: first([
            meta(&doc, "meta[property='og:site_name']"),
            ld.publisher.clone(),
            meta(&doc, "meta[name='application-name']"),
        ]),
        published: published(&doc, &ld).or_else(|| shown_date(&doc, url)),
        modified: first([
            meta(
                &doc,
                "meta[property='article:modified_time'], meta[name='article:modified_time']",
            ),
            ld.modified.clone(),
            meta(&doc, "meta[property='og:updated_time']"),
        ]),
        byline: first([
            ld.author.clone(),
            meta(&doc, "meta[name='author']"),
            meta(&doc, "meta[property='article:author']").filter(|a| !a.starts_with("http")),
        ]),
        canonical: first([
            doc.select("link[rel='canonical']")
                .attr("href")
                .map(|h| h.trim().to_string())
                .filter(|h| h.starts_with("http")),
            meta(&doc, "meta[property='og:url']"),
        ]),
        language: first([
            doc.select("html")
                .attr("lang")
                .map(|l| l.trim().to_string()),
            ld.language.clone(),
            meta(&doc, "meta[http-equiv='content-language']"),
        ])
        .filter(|l| !l.is_empty() && l.len() <= 35),
        ..Page::default()
    };

    // Live blogs: the updates of the JSON-LD, when it lists them.
    if ld.updates.len() >= 2 {
        let mut text = String::new();
        for u in &ld.updates {
            text.push_str(&format!("{UPDATE_MARK} {}\n\n", u.at));
            if let Some(h) = &u.headline {
                text.push_str(h);
                text.push_str("\n\n");
            }
            text.push_str(&ld_text(&u.body));
            text.push_str("\n\n");
        }
        page.updates = ld.updates.len();
        page.text = text;
        page.from = "json-ld";
        return page;
    }

    let cfg = dom_smoothie::Config {
        max_elements_to_parse: 0,
        // The classes tell captions, bylines and share bars (`debris`).
        keep_classes: true,
        ..dom_smoothie::Config::default()
    };
    let reading = doc.clone();
    remove_consent_dialogs(&reading);
    // A page the Readability port cannot read is taken whole.
    let content = dom_smoothie::Readability::with_document(reading, url, Some(cfg))
        .ok()
        .and_then(|mut r| r.parse().ok())
        .map(|a| a.content.to_string());
    let body_html = content.unwrap_or_else(|| doc.select("body").html().to_string());
    let mut fragment = Document::from(body_html.as_str());
    // A page whose article is HTML escaped once more (`&lt;p&gt;`) shows
    // its markup as text: it is read again, unescaped.
    let shown = fragment.root().text();
    if shown.matches("<div").count() + shown.matches("<p>").count() >= 5 {
        fragment = Document::from(shown.as_ref());
    }
    let times = live_times(&fragment.root());
    let live = times >= 2 && (ld.live || times >= 3);
    let mut out = Text::default();
    walk(&fragment.root(), &mut out, live);
    let mut text = out.finish();
    page.updates = if live { times } else { 0 };
    page.from = "readability";
    if let Some(body) = ld.body.as_deref() {
        if page.updates == 0 && prefer_body(&text, body) {
            text = ld_text(body);
            page.from = "json-ld";
        }
    }
    page.text = text;
    page
}

/// Removes the cookie and privacy dialogs a page carries in its markup
/// (OneTrust, Didomi, Quantcast, Sourcepoint, or any element whose `id`
/// or `class` names consent, cookies, GDPR or CCPA, or that is a modal
/// dialog): their paragraphs read as prose, and Readability may take one
/// for the article. An element holding the page's `<h1>` or half its text
/// or more is left: that is the page itself.
fn remove_consent_dialogs(doc: &Document) {
    const NAMES: &[&str] = &[
        "onetrust",
        "didomi",
        "qc-cmp",
        "sp_message",
        "consent",
        "cookie",
        "cookies",
        "gdpr",
        "ccpa",
        "cmp",
        "cookiebanner",
        "usercentrics",
        "truste",
        "trustarc",
    ];
    let body_len = doc.select("body").text().len().max(1);
    let dialogs =
        doc.select("[id], [class], [aria-modal='true'], [role='dialog'], [role='alertdialog']");
    for node in dialogs.nodes() {
        let modal = node
            .attr("aria-modal")
            .is_some_and(|v| v.as_ref() == "true")
            || node
                .attr("role")
                .is_some_and(|r| matches!(r.as_ref(), "dialog" | "alertdialog"));
        let named = name_words(node, &["id", "class"])
            .iter()
            .any(|w| NAMES.contains(&w.as_str()));
        if !(modal || named) {
            continue;
        }
        let sel = dom_query::Selection::from(*node);
        if sel.select("h1").exists() || sel.text().len() * 2 >= body_len {
            continue;
        }
        sel.remove();
    }
}

/// Whether the JSON-LD `articleBody` is the better text: it is long, and
/// the extraction misses over a fifth of its words.
fn prefer_body(extracted: &str, body: &str) -> bool {
    use std::collections::HashMap;
    let words = |t: &str| -> HashMap<String, usize> {
        let mut m = HashMap::new();
        for w in t
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            *m.entry(w.to_lowercase()).or_insert(0) += 1;
        }
        m
    };
    let b = words(body);
    let total: usize = b.values().sum();
    if total < 80 {
        return false;
    }
    let e = words(extracted);
    let found: usize = b
        .iter()
        .map(|(w, n)| (*n).min(e.get(w).copied().unwrap_or(0)))
        .sum();
    (found as f64) < 0.8 * total as f64
}

/// Gives each schema.org microdata update of a live blog
/// (`itemprop="liveBlogUpdate"`) a `<time datetime>` with its
/// `datePublished` (from a `content` or `datetime` attribute), unless it
/// has one; returns how many updates there are.
fn mark_microdata_updates(doc: &Document) -> usize {
    let updates = doc.select("[itemprop~='liveBlogUpdate']");
    for update in updates.iter() {
        let date = update.select("[itemprop~='datePublished']");
        let at = date.attr("datetime").or_else(|| date.attr("content"));
        let Some(at) = at.filter(|a| a.contains(':')) else {
            continue;
        };
        if !update.select("time[datetime]").exists() {
            let at: String = at
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || "-:+.".contains(*c))
                .collect();
            // With text: Readability drops empty elements.
            update.prepend_html(format!("<time datetime=\"{at}\">{at}</time>"));
        }
    }
    updates.length()
}

/// The first of the candidates that is there.
fn first<const N: usize>(candidates: [Option<String>; N]) -> Option<String> {
    candidates.into_iter().flatten().find(|c| !c.is_empty())
}

/// The `content` of the first element matching `selector`, its white
/// space made single.
fn meta(doc: &Document, selector: &str) -> Option<String> {
    doc.select(selector)
        .iter()
        .filter_map(|m| m.attr("content"))
        .map(|c| one_line(&c))
        .find(|c| !c.is_empty())
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The title: JSON-LD `headline` (or `name`), `og:title`,
/// `twitter:title`, `<title>`, the first found; a site name is cut
/// (`strip_site`; from the headline only when it is the site's name). When the page's first `<h1>` of two
/// words or more is that title or its start, the `<h1>` is the title;
/// with none of these, the `<h1>`.
///
/// JSON-LD comes first because it is where a publisher declares the
/// article's headline; `og:title` is often a variant written for sharing.
/// On 258 real pages of 41 countries (bench/extract, the Fundus
/// suite) the order JSON-LD first was right on more pages than
/// `og:title` first or than a vote among the five.
fn title(doc: &Document, ld: &JsonLd) -> Option<String> {
    let site = meta(doc, "meta[property='og:site_name']").or_else(|| ld.publisher.clone());
    let h1 = doc
        .select("h1")
        .iter()
        .map(|h| one_line(&h.text()))
        .find(|h| h.split_whitespace().count() >= 2);
    let strip = |t: Option<String>| t.map(|t| strip_site(&t, site.as_deref()));
    let candidates = [
        // A JSON-LD headline loses a site name only when it is the site's
        // own (`og:site_name` or publisher): headlines seldom carry one.
        ld.headline.as_deref().map(unescape).map(|h| {
            site.as_deref()
                .map_or(h.clone(), |s| strip_site(&h, Some(s)))
        }),
        strip(meta(doc, "meta[property='og:title']")),
        strip(meta(doc, "meta[name='twitter:title']")),
        strip(
            doc.select("head title")
                .iter()
                .next()
                .map(|t| one_line(&t.text())),
        ),
    ];
    let Some(title) = candidates.into_iter().flatten().find(|c| !c.is_empty()) else {
        return h1;
    };
    match h1 {
        Some(h1) if title_words(&title).starts_with(&title_words(&h1)) => Some(h1),
        _ => Some(title),
    }
}

/// A title's words, lowercased, for comparing two wordings.
fn title_words(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of a JSON-LD `articleBody`, a paragraph per line: sites
/// write it as plain text, with HTML character references left in it
/// (`&quot;`), or as HTML (`<p>…</p>`, links), which is read as the
/// article's markup is.
fn ld_text(body: &str) -> String {
    let markup = ["<p", "<br", "<a ", "</", "<div", "<strong", "<em"]
        .iter()
        .any(|t| body.contains(t));
    if markup {
        let fragment = Document::from(format!("<div>{body}</div>").as_str());
        let mut out = Text::default();
        walk(&fragment.root(), &mut out, false);
        // Plain line breaks between bits of markup part paragraphs too.
        let text = out.finish();
        if text.contains("\n\n") || !body.contains('\n') {
            return text;
        }
    }
    body.lines()
        .map(unescape)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A JSON-LD string with the HTML character references some sites leave
/// in it (`&quot;`, `&#039;`) decoded.
fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return one_line(text);
    }
    one_line(
        &Document::from(format!("<p>{}</p>", text.replace('<', "&lt;")))
            .select("p")
            .text(),
    )
}

/// A title less the site's name at its end (or start): after the last
/// ` | `, ` - `, ` – `, ` — ` or ` :: `, when that part is the site's name
/// or short (four words or fewer) and the rest longer.
fn strip_site(title: &str, site: Option<&str>) -> String {
    let title = title.trim();
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let tail_t = tail.trim();
            let is_site = site.is_some_and(|s| {
                let s = s.trim().to_lowercase();
                let t = tail_t.to_lowercase();
                s == t || t.contains(&s) || s.contains(&t)
            });
            if is_site
                || (tail_t.split_whitespace().count() <= 3
                    && head.split_whitespace().count() > 3
                    && site.is_none())
            {
                return strip_site(head, site);
            }
        }
        if let Some((head, tail)) = title.split_once(sep) {
            let (h, t) = (
                head.split_whitespace().count(),
                tail.split_whitespace().count(),
            );
            // The site's name before the title: named so, or (with no
            // name known) four words or fewer before ` | ` and a longer
            // title.
            if site.is_some_and(|s| s.trim().eq_ignore_ascii_case(head.trim()))
                || (site.is_none() && sep == " | " && h <= 4 && t > h.max(4))
            {
                return tail.trim().to_string();
            }
        }
    }
    title.to_string()
}

/// The publication time as written, and where it was found.
fn published(doc: &Document, ld: &JsonLd) -> Option<(String, &'static str)> {
    let metas: [(&str, &'static str); 9] = [
        (
            "meta[property='article:published_time'], meta[name='article:published_time'], meta[property='article:published:time']",
            "article:published_time",
        ),
        ("meta[itemprop='datePublished']", "itemprop datePublished"),
        ("meta[name='parsely-pub-date']", "parsely-pub-date"),
        (
            "meta[name='pubdate' i], meta[name='publishdate' i], meta[name='publish_date' i], meta[name='publication_date' i]",
            "meta pubdate",
        ),
        ("meta[name='publish-date' i]", "meta publish-date"),
        ("meta[name='date' i]", "meta date"),
        ("meta[name='dc.date' i]", "meta dc.date"),
        ("meta[name='dc.date.issued' i], meta[name='dcterms.date' i]", "meta DC.date.issued"),
        ("meta[name='sailthru.date']", "meta sailthru.date"),
    ];
    // In order: article:published_time, JSON-LD, the other meta tags, the
    // first <time datetime>; a value that is no date of this era (such as
    // `0001-01-01`, which some sites write) is passed over.
    let mut candidates: Vec<(String, &'static str)> = Vec::new();
    candidates.extend(meta(doc, metas[0].0).map(|v| (v, metas[0].1)));
    candidates.extend(ld.published.clone().map(|d| (d, "JSON-LD datePublished")));
    for (sel, from) in &metas[1..] {
        candidates.extend(meta(doc, sel).map(|v| (v, *from)));
    }
    candidates.extend(
        doc.select("time[datetime]")
            .iter()
            .filter_map(|t| t.attr("datetime"))
            .map(|d| (d.trim().to_string(), "<time datetime>")),
    );
    candidates.into_iter().find(|(d, _)| {
        d.get(..4)
            .and_then(|y| y.parse::<u32>().ok())
            .is_some_and(|y| (1990..=2100).contains(&y))
            && d.len() >= 10
    })
}

/// A publication date the page shows rather than declares, for a page
/// whose metadata gives none: the first date (`meta::dates_in`) in a
/// short element whose `class`, `id` or `itemprop` names a date (`date`,
/// `datum`, `time`, `published`, `posted`, `dateline`, `meta`, …), in a
/// `<time>` element's text, or after a date's label (`Datum:`,
/// `Published`, `Publié le`) in a short element or its parent, in the
/// order of the page; else in the
/// `<title>`; else in the page's address (`/2022/02/14/`, `-2022-02-14-`),
/// its canonical URL or the URL it was fetched from. Written as
/// `YYYY-MM-DD`.
fn shown_date(doc: &Document, url: Option<&str>) -> Option<(String, &'static str)> {
    // A class word holding one of the first, or being one of the second.
    const HOLDING: &[&str] = &[
        "date",
        "datum",
        "publish",
        "publication",
        "posted",
        "authored",
        "fecha",
        "tarih",
    ];
    const BEING: &[&str] = &[
        "time",
        "timestamp",
        "meta",
        "byline",
        "dateline",
        "data",
        "author",
    ];
    // The label of a date a page shows as text: `Datum: 03.11.2021`.
    static LABEL: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let label = LABEL.get_or_init(|| {
        regex::Regex::new(
            r"(?i)^(?:date|dated|datum|published|posted|veröffentlicht|erschienen|publié(?:e)?|publicado|pubblicato|gepubliceerd)\b",
        )
        .expect("built-in pattern")
    });
    let iso = |text: &str| {
        crate::import::meta::dates_in(text)
            .first()
            .map(|(d, _)| d.format("%Y-%m-%d").to_string())
    };
    let dated = doc.select("body *").nodes().iter().find_map(|el| {
        let named = el.node_name().as_deref() == Some("time")
            || name_words(el, &["class", "id", "itemprop"])
                .iter()
                .any(|w| BEING.contains(&w.as_str()) || HOLDING.iter().any(|h| w.contains(h)));
        if named {
            let text = one_line(&el.text());
            return (text.len() <= 160).then(|| iso(&text)).flatten();
        }
        // A label is looked for only in an element holding text alone, so
        // no element's text is taken whole but a date's; the date is in it
        // (`<p>Published 3 May 2021</p>`) or beside it in its parent
        // (`<div><h5>Datum:</h5>03.11.2021</div>`).
        if el.children().iter().any(NodeRef::is_element) || !label.is_match(el.text().trim()) {
            return None;
        }
        [Some(*el), el.parent()]
            .into_iter()
            .flatten()
            .find_map(|holder| {
                let text = one_line(&holder.text());
                (text.len() <= 60).then(|| iso(&text)).flatten()
            })
    });
    if let Some(d) = dated {
        return Some((d, "date shown by the headline"));
    }
    if let Some(d) = doc
        .select("head title")
        .iter()
        .next()
        .and_then(|t| iso(&t.text()))
    {
        return Some((d, "<title>"));
    }
    let addresses = [
        url.map(str::to_string),
        doc.select("link[rel='canonical']")
            .attr("href")
            .map(|h| h.to_string()),
        meta(doc, "meta[property='og:url']"),
    ];
    addresses
        .iter()
        .flatten()
        .find_map(|a| date_in_address(a))
        .map(|d| (d, "address"))
}

/// A date in a page's address: `/2022/02/14/` or `2022-02-14` between
/// separators, as `YYYY-MM-DD`.
fn date_in_address(address: &str) -> Option<String> {
    static DATE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = DATE.get_or_init(|| {
        regex::Regex::new(r"[/_-]((?:19|20)\d\d)[/-](\d\d)[/-](\d\d)(?:[/_.-]|$)")
            .expect("built-in pattern")
    });
    let c = re.captures(address)?;
    let date = chrono::NaiveDate::from_ymd_opt(
        c[1].parse().ok()?,
        c[2].parse().ok()?,
        c[3].parse().ok()?,
    )?;
    Some(date.format("%Y-%m-%d").to_string())
}

/// What the page's JSON-LD says about the article.
#[derive(Debug, Default)]
struct JsonLd {
    headline: Option<String>,
    published: Option<String>,
    modified: Option<String>,
    publisher: Option<String>,
    author: Option<String>,
    body: Option<String>,
    language: Option<String>,
    updates: Vec<LdUpdate>,
    /// The page is a `LiveBlogPosting`.
    live: bool,
}

#[derive(Debug)]
struct LdUpdate {
    at: String,
    headline: Option<String>,
    body: String,
}

const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
    "WebPage",
];

impl JsonLd {
    fn read(doc: &Document) -> JsonLd {
        let mut objects: Vec<Value> = Vec::new();
        for script in doc.select("script[type='application/ld+json']").iter() {
            let text = script.text();
            let Ok(v) = serde_json::from_str::<Value>(text.trim()) else {
                continue;
            };
            flatten(v, &mut objects);
        }
        let mut ld = JsonLd::default();
        // Articles first, then a web page.
        let mut ranked: Vec<&Value> = objects
            .iter()
            .filter(|o| ARTICLE_TYPES.iter().any(|t| has_type(o, t)))
            .collect();
        ranked.sort_by_key(|o| usize::from(has_type(o, "WebPage")));
        for o in ranked {
            ld.live |= has_type(o, "LiveBlogPosting");
            let s = |k: &str| o.get(k).and_then(string);
            if ld.headline.is_none() {
                ld.headline = s("headline").or_else(|| s("name")).map(|h| one_line(&h));
            }
            if ld.published.is_none() {
                ld.published = s("datePublished");
            }
            if ld.modified.is_none() {
                ld.modified = s("dateModified");
            }
            if ld.publisher.is_none() {
                ld.publisher = o.get("publisher").and_then(name);
            }
            if ld.author.is_none() {
                ld.author = o.get("author").and_then(name);
            }
            if ld.body.is_none() {
                ld.body = s("articleBody").filter(|b| !b.trim().is_empty());
            }
            if ld.language.is_none() {
                ld.language = s("inLanguage");
            }
            if ld.updates.is_empty() {
                if let Some(Value::Array(updates)) = o.get("liveBlogUpdate") {
                    ld.updates = updates
                        .iter()
                        .filter_map(|u| {
                            let at = u.get("datePublished").and_then(string)?;
                            let body = u
                                .get("articleBody")
                                .and_then(string)
                                .or_else(|| u.get("text").and_then(string))
                                .unwrap_or_default();
                            Some(LdUpdate {
                                at,
                                headline: u
                                    .get("headline")
                                    .and_then(string)
                                    .map(|h| unescape(&h))
                                    .filter(|h| !h.is_empty()),
                                body,
                            })
                        })
                        .collect();
                }
            }
        }
        ld
    }
}

/// Every object of a JSON-LD value: itself, the items of an array, the
/// members of an `@graph`.
fn flatten(v: Value, out: &mut Vec<Value>) {
    match v {
        Value::Array(items) => items.into_iter().for_each(|i| flatten(i, out)),
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                flatten(graph, out);
            }
            out.push(Value::Object(map));
        }
        _ => {}
    }
}

fn has_type(v: &Value, wanted: &str) -> bool {
    match v.get("@type") {
        Some(Value::String(t)) => t == wanted,
        Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str() == Some(wanted)),
        _ => false,
    }
}

fn string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Array(items) => items.iter().find_map(string),
        _ => None,
    }
}

/// The name of a person or organisation: a string, `{name}`, or the first
/// of a list.
fn name(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() && !s.starts_with("http") => Some(one_line(s)),
        Value::Object(o) => o.get("name").and_then(string).map(|n| one_line(&n)),
        Value::Array(items) => items.iter().find_map(name),
        _ => None,
    }
}

/// How many `<time datetime>` elements with a clock time the content has
/// (two or more: a live blog's update stamps).
fn live_times(root: &NodeRef) -> usize {
    root.descendants_it()
        .filter(|n| n.node_name().as_deref() == Some("time"))
        .filter(|n| n.attr("datetime").is_some_and(|d| d.contains(':')))
        .count()
}

/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "figure",
    "figcaption",
    "table",
    "tr",
    "pre",
    "hr",
    "address",
    "details",
    "summary",
];

/// Elements whose content is never text of the article.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "button", "form", "iframe", "select",
    "input", "textarea", "nav", "object", "canvas",
];

/// Whether an element is debris by its name, class or id: a caption, a
/// credit, a byline or dateline, a share bar, a list of related stories, a
/// newsletter or subscription box, an advertisement. (Readability keeps
/// some of these; the extractors that score best drop them.) An element of
/// more than 1500 bytes of text is never debris by its class: it wraps
/// the article.
fn debris(node: &NodeRef, name: &str) -> bool {
    if name == "figcaption" {
        return true;
    }
    let words = name_words(node, &["class", "id", "data-component", "itemprop"]);
    if words.is_empty() {
        return false;
    }
    // A wrapper of the article, whatever its class, is not debris.
    if node.text().len() > 1500 {
        return false;
    }
    words.iter().any(|w| {
        matches!(
            w.as_str(),
            "caption"
                | "captions"
                | "credit"
                | "credits"
                | "byline"
                | "dateline"
                | "timestamp"
                | "share"
                | "sharing"
                | "social"
                | "related"
                | "newsletter"
                | "subscribe"
                | "subscription"
                | "promo"
                | "advert"
                | "advertisement"
                | "ad"
                | "ads"
                | "sponsored"
                | "breadcrumb"
                | "breadcrumbs"
                | "recirc"
                | "outbrain"
                | "taboola"
                | "signup"
                | "paywall"
                | "sronly"
                | "tags"
                | "author"
                | "copyright"
        )
    })
}

/// The words naming an element in its `attrs` (`class`, `id`, …),
/// lowercased: each token, and the parts of a token between separators
/// (`share-bar` gives `share-bar`, `share` and `bar`).
fn name_words(node: &NodeRef, attrs: &[&str]) -> Vec<String> {
    let mut words = Vec::new();
    for attr in attrs {
        let Some(value) = node.attr(attr) else {
            continue;
        };
        for token in value.to_lowercase().split_whitespace() {
            let parts: Vec<&str> = token
                .split(|c: char| !c.is_alphanumeric())
                .filter(|p| !p.is_empty())
                .collect();
            if parts.len() != 1 || parts[0] != token {
                words.push(token.to_string());
            }
            words.extend(parts.into_iter().map(str::to_string));
        }
    }
    words
}

/// Text being written: paragraphs, each its lines.
#[derive(Default)]
struct Text {
    paragraphs: Vec<String>,
    current: String,
}

impl Text {
    fn push(&mut self, text: &str) {
        let mut words = text.split_whitespace().peekable();
        if words.peek().is_none() {
            if !text.is_empty() && !self.current.ends_with([' ', '\n']) && !self.current.is_empty()
            {
                self.current.push(' ');
            }
            return;
        }
        if text.starts_with(char::is_whitespace)
            && !self.current.is_empty()
            && !self.current.ends_with([' ', '\n'])
        {
            self.current.push(' ');
        }
        let joined = words.collect::<Vec<_>>().join(" ");
        self.current.push_str(&joined);
        if text.ends_with(char::is_whitespace) {
            self.current.push(' ');
        }
    }

    fn line_break(&mut self) {
        let trimmed = self.current.trim_end_matches(' ').len();
        self.current.truncate(trimmed);
        if !self.current.is_empty() && !self.current.ends_with('\n') {
            self.current.push('\n');
        }
    }

    fn paragraph(&mut self) {
        let p: Vec<&str> = self
            .current
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if !p.is_empty() {
            self.paragraphs.push(p.join("\n"));
        }
        self.current.clear();
    }

    fn finish(mut self) -> String {
        self.paragraph();
        let mut out = self.paragraphs.join("\n\n");
        out.push('\n');
        out
    }
}

/// Writes the text of a node: a block element a paragraph of its own, a
/// `<br>` a line break; with `live`, each `<time datetime>` a stamp line.
fn walk(node: &NodeRef, out: &mut Text, live: bool) {
    for child in node.children_it(false) {
        if child.is_text() {
            out.push(&child.text());
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let name = child.node_name().map(|n| n.to_ascii_lowercase());
        let name = name.as_deref().unwrap_or("");
        if SKIPPED.contains(&name) || child.has_attr("hidden") || debris(&child, name) {
            continue;
        }
        if name == "br" {
            out.line_break();
            continue;
        }

        if name == "time" && live {
            if let Some(at) = child.attr("datetime").filter(|d| d.contains(':')) {
                out.paragraph();
                out.push(&format!("{UPDATE_MARK} {}", at.trim()));
                out.paragraph();
                continue;
            }
        }
        let block = BLOCKS.contains(&name);
        if block {
            out.paragraph();
        }
        if name == "td" || name == "th" {
            out.push(" ");
        }
        walk(&child, out, live);
        if block {
            out.paragraph();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_decoded_by_their_declared_charset() {
        let mut page = b"<!DOCTYPE html><html><head><meta charset=\"windows-1252\"><title>T</title></head><body><p>Caf".to_vec();
        page.extend([0xE9, b' ', 0x96, b' ', b'n', b'a', 0xEF, b'v', b'e']);
        page.extend(b"</p></body></html>");
        assert!(decode(&page, None).contains("Café – naïve"));
        // http-equiv, single quotes and upper case.
        let mut equiv = b"<html><head><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=ISO-8859-1'></head><body><p>".to_vec();
        equiv.extend([0xC4, b'r', b'z', b't', b'e']);
        equiv.extend(b"</p></body></html>");
        assert!(decode(&equiv, None).contains("Ärzte"));
        // Nothing declared: UTF-8 when valid, else windows-1252.
        assert!(decode("<html><body><p>Київ</p></body></html>".as_bytes(), None).contains("Київ"));
        let mut bare = b"<html><body><p>".to_vec();
        bare.extend([0x93, b'h', b'i', 0x94]);
        assert!(decode(&bare, None).contains("\u{201c}hi\u{201d}"));
        // A byte order mark wins over a declaration.
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend("<html><head><meta charset=latin1></head><p>ü</p>".as_bytes());
        assert!(decode(&bom, None).contains("<p>ü</p>"));
        // Valid UTF-8 wins over a legacy declaration left in a page that
        // was re-encoded when it was saved.
        let resaved = "<html><head><meta charset=gb2312></head><p>人民网 für</p>";
        assert!(decode(resaved.as_bytes(), None).contains("人民网 für"));
        assert!(decode(resaved.as_bytes(), Some("iso-8859-1")).contains("人民网 für"));
        // The server's charset wins over the page's declaration.
        let mut latin = b"<html><head><meta charset=utf-8></head><p>".to_vec();
        latin.push(0xFC);
        assert!(decode(&latin, Some("iso-8859-1")).contains("<p>ü"));
        // UTF-16 declared in an ASCII-readable page is read as UTF-8.
        let utf16 = "<html><head><meta charset=utf-16></head><p>ü</p>".as_bytes();
        assert!(decode(utf16, None).contains("<p>ü</p>"));
    }

    #[test]
    fn html_is_told_from_text() {
        assert!(looks_like_html(b"  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"<html lang=en>"));
        assert!(looks_like_html(b"\xEF\xBB\xBF<!doctype HTML>"));
        assert!(!looks_like_html(b"Talks resume\n\n<b> is a tag"));
        assert!(!looks_like_html(b"Plain text of a report."));
    }

    #[test]
    fn a_site_name_is_cut_from_the_title() {
        assert_eq!(
            strip_site(
                "Talks resume in Vienna | Example Herald",
                Some("Example Herald")
            ),
            "Talks resume in Vienna"
        );
        assert_eq!(
            strip_site(
                "Example Herald - Talks resume in Vienna",
                Some("Example Herald")
            ),
            "Talks resume in Vienna"
        );
        assert_eq!(
            strip_site("Talks resume in Vienna as envoys meet - EH", None),
            "Talks resume in Vienna as envoys meet"
        );
        assert_eq!(
            strip_site("Ceasefire - what it means", Some("Example Herald")),
            "Ceasefire - what it means"
        );
        assert_eq!(
            strip_site(
                "Jane Roe's Notebook | Why the talks stalled in the end",
                None
            ),
            "Why the talks stalled in the end"
        );
    }

    fn page(head: &str, body: &str) -> Page {
        extract(
            &format!("<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"),
            None,
        )
    }

    #[test]
    fn the_json_ld_headline_comes_before_og_title() {
        let ld = r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Envoys agree to meet again in Geneva &quot;soon&quot;","publisher":{"name":"Example Herald"}}</script>"#;
        let og = r#"<meta property="og:title" content="Talks: what happens next">"#;
        let p = page(&format!("{ld}{og}"), "<h1>Something else entirely</h1>");
        assert_eq!(
            p.title.as_deref(),
            Some("Envoys agree to meet again in Geneva \"soon\"")
        );
        // Without JSON-LD, og:title; the <h1> when the title begins with it.
        let p = page(og, "<h1>Talks: what happens</h1>");
        assert_eq!(p.title.as_deref(), Some("Talks: what happens"));
        // A headline loses the site's name only when it is the site's.
        let named = r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Envoys meet in Geneva again | Example Herald","publisher":{"name":"Example Herald"}}</script>"#;
        assert_eq!(
            page(named, "").title.as_deref(),
            Some("Envoys meet in Geneva again")
        );
        let kept = r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Envoys meet in Geneva again - a first"}</script>"#;
        assert_eq!(
            page(kept, "").title.as_deref(),
            Some("Envoys meet in Geneva again - a first")
        );
    }

    #[test]
    fn a_date_the_page_only_shows_is_found() {
        let date = |p: Page| p.published.map(|(d, from)| format!("{d} ({from})"));
        // Declared metadata wins over what is shown.
        let p = page(
            r#"<meta name="article:published_time" content="2022-02-14T10:00:00+01:00">"#,
            r#"<span class="_publishingdate">07.11.2023</span>"#,
        );
        assert_eq!(
            date(p).as_deref(),
            Some("2022-02-14T10:00:00+01:00 (article:published_time)")
        );
        // An element named for a date (a word of its class holding one).
        let p = page(
            "",
            r#"<ul class="nav"><li>Home</li></ul><h1>A title</h1><span class="_publishingdate">07.11.2023</span><p>Text of 2 March 2020.</p>"#,
        );
        assert_eq!(
            date(p).as_deref(),
            Some("2023-11-07 (date shown by the headline)")
        );
        // Meta names in any case; a date beside the author's name.
        let p = page(r#"<meta name="DC.Date" content="2006-12-16">"#, "");
        assert_eq!(date(p).as_deref(), Some("2006-12-16 (meta dc.date)"));
        let p = page(
            "",
            r#"<p class="single-line author"><span>Jane Roe</span> <em>31.10.2023</em></p>"#,
        );
        assert_eq!(
            date(p).as_deref(),
            Some("2023-10-31 (date shown by the headline)")
        );
        // A short element that starts with a date's label.
        let p = page("", "<div><h5>Datum:</h5>03.11.2021</div>");
        assert_eq!(
            date(p).as_deref(),
            Some("2021-11-03 (date shown by the headline)")
        );
        let p = page("", "<p class=\"meta\">Publié le 23 mai 2019</p>");
        assert_eq!(
            date(p).as_deref(),
            Some("2019-05-23 (date shown by the headline)")
        );
        // The <title>, then the address.
        let p = page("<title>Talks resume | Herald | 28.04.2023</title>", "");
        assert_eq!(date(p).as_deref(), Some("2023-04-28 (<title>)"));
        let p = page(
            r#"<link rel="canonical" href="https://example.org/news/2019/11/18/talks/">"#,
            "",
        );
        assert_eq!(date(p).as_deref(), Some("2019-11-18 (address)"));
        // A long paragraph's date is the report's, not the page's.
        let long = format!(
            "<p class=\"date-note\">{} 2 March 2020</p>",
            "word ".repeat(40)
        );
        assert_eq!(date(page("", &long)), None);
    }

    #[test]
    fn a_consent_dialog_is_never_taken_for_the_article() {
        let policy = "You have the right, at any time, to tell a business that sells your personal information to third parties not to sell it, and we explain here how you may do so. ".repeat(6);
        let report = "Ferry services across the strait resumed on Tuesday morning after two days of gales, the port authority said in a statement. ".repeat(3);
        let links = "<li><a href=\"/a\">Another story from the region today</a></li>".repeat(60);
        let body = format!(
            r#"<div id="onetrust-consent-sdk"><div aria-modal="true"><h2>Your privacy choices</h2><p>{policy}</p><p>{policy}</p></div></div>
            <main><h1>Ferries sail again</h1><div><p>{report}</p></div></main><footer><ul>{links}</ul></footer>"#
        );
        let p = page("", &body);
        assert!(
            p.text.contains("Ferry services across the strait"),
            "{}",
            p.text
        );
        assert!(!p.text.contains("personal information"), "{}", p.text);
        // A page whose consent-named wrapper holds the article keeps it.
        let wrapped = format!(
            r#"<div class="cookie-wall-wrapper"><h1>Ferries sail again</h1><p>{report}</p></div>"#
        );
        assert!(page("", &wrapped)
            .text
            .contains("Ferry services across the strait"));
    }

    #[test]
    fn dates_in_addresses() {
        assert_eq!(
            date_in_address("https://x.org/2019/11/18/a").as_deref(),
            Some("2019-11-18")
        );
        assert_eq!(
            date_in_address("https://x.org/a-2021-03-09-b.html").as_deref(),
            Some("2021-03-09")
        );
        assert_eq!(date_in_address("https://x.org/2019/13/18/a"), None);
        assert_eq!(date_in_address("https://x.org/item/120191118"), None);
    }
}
