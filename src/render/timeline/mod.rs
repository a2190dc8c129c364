//! Timeline graphics as static SVG, with no script: threads as lanes across
//! the days of the chronicle (home and thread pages), and a strip of entries
//! per day (actor and topic pages).
//!
//! [`lanes_svg`] and [`strip_svg`] are pure functions from plain data to an
//! SVG string: every text is escaped, and the same data always gives the
//! same bytes. [`home`], [`thread`] and [`strip`] gather that data from the
//! chronicle.
//!
//! Days are evenly spaced from the first to the last day of the chronicle,
//! so every chart of a site shares one time axis. Each entry is a circle
//! linked to its place on its day's page; entries of one thread on one day
//! are stacked. A day with more than [`MAX_STACK`] entries in a lane, or
//! any day with several entries in a lane of more than
//! [`LANE_AGGREGATE_ABOVE`] entries, is one upright block instead, taller
//! for more entries, linked to the day's page: shape, not colour, tells them
//! apart.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate, Weekday};

use super::views::{time_labels, SharedViews};
use super::words::Words;
use crate::resolve::dates::When;
use crate::resolve::{Chronicle, EntryIx, Thread};

mod lanes;
mod strip;

/// Lanes the home page shows at most: the busiest threads.
pub const MAX_LANES: usize = 30;
/// Entries of one thread on one day drawn one by one; more become one block.
pub const MAX_STACK: usize = 5;
/// A lane with more entries than this draws one mark per day.
pub const LANE_AGGREGATE_ABOVE: usize = 300;

/// Margin around the chart, in SVG units.
const PAD: f64 = 8.0;
/// The plot is at least this wide...
const MIN_PLOT: f64 = 720.0;
/// ...and at most this wide, whatever the number of days.
const MAX_PLOT: f64 = 2400.0;
/// Width of a day, unless the plot would exceed [`MAX_PLOT`].
const MIN_DAY_W: f64 = 10.0;
/// Height of the date axis above the lanes.
const AXIS_H: f64 = 24.0;
/// Height of a lane's label.
const LABEL_H: f64 = 16.0;
/// Vertical distance between stacked marks.
const STEP: f64 = 8.0;
const RADIUS: f64 = 3.0;
/// Space below each lane.
const LANE_GAP: f64 = 10.0;
/// Height of a line of the legend.
const LINE_H: f64 = 18.0;
/// Blocks (several entries of a day) are this tall at least and at most...
const MIN_BLOCK: f64 = 6.0;
const MAX_BLOCK: f64 = 24.0;
/// ...and this wide at most (less when days are narrow, so none overlap).
const BLOCK_W: f64 = 7.0;
/// Rows a lane with a block takes at least, to hold the tallest.
const BLOCK_ROWS: usize = 3;
/// Height of the tallest bar of a strip.
const STRIP_H: f64 = 48.0;
/// Ticks of the date axis are at least this far apart.
const MIN_TICK_GAP: f64 = 64.0;
/// The width of a character of a label, about, in SVG units.
const CHAR_W: f64 = 7.0;
/// Lane labels longer than this are cut (the full title is in the link's title).
const MAX_LABEL_CHARS: usize = 90;
/// The SVG scales with its container down to this share of its natural
/// width; below it the wrapper scrolls sideways.
const MIN_SCALE: f64 = 1.0;

/// The days a chart covers, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Span {
    /// How many days, at least one.
    pub fn days(&self) -> usize {
        (self.last - self.first).num_days().max(0) as usize + 1
    }

    /// The column of `day`, clamped to the span.
    pub fn column(&self, day: NaiveDate) -> usize {
        ((day - self.first).num_days().max(0) as usize).min(self.days() - 1)
    }
}

/// An entry on a lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub day: NaiveDate,
    /// The entry's place on its day's page.
    pub url: String,
    /// Date, time and headline.
    pub title: String,
    /// The day's page, for a block standing for several entries.
    pub day_url: String,
}

/// A thread's row: its title, its page, its entries in time order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    pub title: String,
    pub url: String,
    pub marks: Vec<Mark>,
}

/// A chart of lanes.
#[derive(Debug, Clone)]
pub struct LaneChart {
    /// Prefix of the ids of the SVG's title and description.
    pub id: String,
    /// The SVG's title, its accessible name.
    pub title: String,
    pub span: Span,
    pub lanes: Vec<Lane>,
    /// Threads with entries left out (beyond [`MAX_LANES`]).
    pub left_out: usize,
}

/// How a mark of a lane is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drawn<'a> {
    /// One entry, a circle in day `column`, `row` marks from the top.
    One {
        mark: &'a Mark,
        column: usize,
        row: usize,
    },
    /// Several entries of one day, a block linked to the day's page.
    Many {
        column: usize,
        day: NaiveDate,
        count: usize,
        day_url: &'a str,
    },
}

/// How many rows a lane's marks take, and each mark as drawn, in time order.
pub fn layout(lane: &Lane, span: Span) -> (usize, Vec<Drawn<'_>>) {
    let aggregate_all = lane.marks.len() > LANE_AGGREGATE_ABOVE;
    let mut order: Vec<&Mark> = lane.marks.iter().collect();
    order.sort_by_key(|m| m.day);
    let mut drawn = Vec::new();
    let mut rows = 1;
    for group in order.chunk_by(|a, b| a.day == b.day) {
        let day = group[0].day;
        let column = span.column(day);
        if group.len() > 1 && (aggregate_all || group.len() > MAX_STACK) {
            drawn.push(Drawn::Many {
                column,
                day,
                count: group.len(),
                day_url: &group[0].day_url,
            });
            rows = rows.max(BLOCK_ROWS);
        } else {
            for (row, mark) in group.iter().enumerate() {
                drawn.push(Drawn::One { mark, column, row });
            }
            rows = rows.max(group.len());
        }
    }
    (rows, drawn)
}

/// Horizontal positions: day columns of equal width.
#[derive(Debug, Clone, Copy)]
struct Scale {
    days: usize,
    day_w: f64,
}

impl Scale {
    fn new(span: Span) -> Scale {
        let days = span.days();
        let n = days as f64;
        let mut day_w = (MIN_PLOT / n).max(MIN_DAY_W);
        if day_w * n > MAX_PLOT {
            day_w = MAX_PLOT / n;
        }
        Scale { days, day_w }
    }
    /// The left edge of column `i`.
    fn left(&self, i: usize) -> f64 {
        PAD + i as f64 * self.day_w
    }
    fn center(&self, i: usize) -> f64 {
        self.left(i) + self.day_w / 2.0
    }
    fn plot_right(&self) -> f64 {
        self.left(self.days)
    }
    fn width(&self) -> f64 {
        self.plot_right() + PAD
    }
}

/// The labelled ticks of the date axis: each its column and label. Days,
/// Mondays, months, quarters or years, whichever is the finest whose ticks
/// are at least [`MIN_TICK_GAP`] apart; the first day is labelled too when
/// no tick is near it.
fn ticks(span: Span, day_w: f64) -> Vec<(usize, String)> {
    type Rule = (f64, fn(NaiveDate) -> bool, &'static str);
    let rules: [Rule; 5] = [
        (1.0, |_| true, "%-d %b"),
        (7.0, |d| d.weekday() == Weekday::Mon, "%-d %b"),
        (30.0, |d| d.day() == 1, "%b %Y"),
        (91.0, |d| d.day() == 1 && d.month() % 3 == 1, "%b %Y"),
        (365.0, |d| d.ordinal() == 1, "%Y"),
    ];
    let (_, is_tick, format) = rules
        .iter()
        .copied()
        .find(|(days, _, _)| days * day_w >= MIN_TICK_GAP)
        .unwrap_or(rules[4]);
    let mut ticks: Vec<(usize, String)> = span
        .first
        .iter_days()
        .take(span.days())
        .enumerate()
        .filter(|(_, d)| is_tick(*d))
        .map(|(i, d)| (i, d.format(format).to_string()))
        .collect();
    if ticks
        .first()
        .is_none_or(|&(i, _)| i as f64 * day_w >= MIN_TICK_GAP)
    {
        ticks.insert(0, (0, span.first.format("%-d %b %Y").to_string()));
    }
    ticks
}

/// Escapes text for SVG (XML) content and attribute values.
pub fn esc(text: &str) -> String {
    super::html::escape_xml(text)
}

/// A number for an attribute: at most one decimal.
fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "3 entries on 26 January 2022".
fn day_count_title(count: usize, day: NaiveDate) -> String {
    format!(
        "{} on {}",
        plural(count, "entry", "entries"),
        english().short_date_label(day)
    )
}

/// The opening tag of a chart, with its title and description.
fn open(out: &mut String, id: &str, width: f64, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline-chart\" viewBox=\"0 0 {w} {h}\" \
         width=\"100%\" style=\"min-width:{min}px\" fill=\"currentColor\" font-size=\"12\" \
         role=\"group\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\">\
         <title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{desc}</desc>",
        w = num(width),
        h = num(height),
        min = num((width * MIN_SCALE).round()),
        id = esc(id),
        title = esc(title),
        desc = esc(desc),
    );
}

/// The date axis: labelled ticks with grid lines down to `bottom`.
fn axis(out: &mut String, span: Span, scale: &Scale, bottom: f64) {
    out.push_str("<g class=\"tl-axis\">");
    let _ = write!(
        out,
        "<line class=\"tl-rule\" x1=\"{x1}\" x2=\"{x2}\" y1=\"{y}\" y2=\"{y}\" stroke=\"currentColor\" stroke-opacity=\".4\"/>",
        x1 = num(scale.left(0)),
        x2 = num(scale.plot_right()),
        y = num(AXIS_H - 4.0),
    );
    for (i, label) in ticks(span, scale.day_w) {
        let x = scale.left(i);
        let _ = write!(
            out,
            "<line class=\"tl-grid\" x1=\"{x}\" x2=\"{x}\" y1=\"{top}\" y2=\"{bottom}\" stroke=\"currentColor\" stroke-opacity=\".15\"/>",
            x = num(x),
            top = num(AXIS_H - 8.0),
            bottom = num(bottom),
        );
        // A label that would run off the right edge is left out; its line stays.
        if x + 2.0 + label.chars().count() as f64 * CHAR_W <= scale.width() {
            let _ = write!(
                out,
                "<text class=\"tl-tick\" x=\"{}\" y=\"{}\">{}</text>",
                num(x + 2.0),
                num(AXIS_H - 10.0),
                esc(&label),
            );
        }
    }
    out.push_str("</g>");
}

/// A link wrapping a shape, named by `title` for screen readers and hover.
fn link(out: &mut String, url: &str, title: &str, shape: &str) {
    let title = esc(title);
    let _ = write!(
        out,
        "<a href=\"{url}\" aria-label=\"{title}\"><title>{title}</title>{shape}</a>",
        url = esc(url),
    );
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
use lanes::block_height;
pub use lanes::lanes_svg;
pub use strip::{strip_svg, DayCount, Strip};

/// The graphics' words: their captions and descriptions are English for
/// now, their dates with them (docs/reference.md, "Words of a theme").
fn english() -> &'static Words {
    static ENGLISH: std::sync::OnceLock<Words> = std::sync::OnceLock::new();
    ENGLISH.get_or_init(Words::default)
}

/// The span of the chronicle: its first to its last day.
fn span_of(c: &Chronicle) -> Option<Span> {
    Some(Span {
        first: c.days.first()?.date,
        last: c.days.last()?.date,
    })
}

/// "Wednesday 26 January 2022, 20:04 EET: headline".
fn mark_title(c: &Chronicle, e: EntryIx) -> String {
    let entry = &c.entries[e];
    let time = match entry.when {
        When::DateOnly(_) => "all day".to_string(),
        When::At { .. } => time_labels(&entry.when, c.config.timezone).1,
    };
    format!(
        "{}, {}: {}",
        english().date_label(entry.day),
        time,
        entry.headline
    )
}

fn lane(c: &Chronicle, shared: &SharedViews, thread: &Thread) -> Lane {
    Lane {
        title: thread.title.clone(),
        url: shared.urls.thread(&thread.slug),
        marks: thread
            .entries
            .iter()
            .map(|&e| Mark {
                day: c.entries[e].day,
                url: shared.entry_urls[e].clone(),
                title: mark_title(c, e),
                day_url: shared.urls.day(c.entries[e].day),
            })
            .collect(),
    }
}

/// Which threads get a lane, given each thread's number of entries, first
/// entry and title: the `max` with the most entries (of equal counts, by
/// title), in order of their first entry; and how many with entries are
/// left out.
pub fn busiest(threads: &[(usize, Option<EntryIx>, &str)], max: usize) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..threads.len()).filter(|&t| threads[t].0 > 0).collect();
    order.sort_by(|&a, &b| {
        threads[b]
            .0
            .cmp(&threads[a].0)
            .then_with(|| threads[a].2.cmp(threads[b].2))
    });
    let left_out = order.len().saturating_sub(max);
    order.truncate(max);
    order.sort_by_key(|&t| (threads[t].1, t));
    (order, left_out)
}

/// The home page's chart: the [`MAX_LANES`] threads with the most entries,
/// in order of their first entry. Empty for a chronicle without entries.
pub fn home(c: &Chronicle, shared: &SharedViews) -> String {
    let Some(span) = span_of(c) else {
        return String::new();
    };
    let threads: Vec<(usize, Option<EntryIx>, &str)> = c
        .threads
        .iter()
        .map(|t| {
            (
                t.entries.len(),
                t.entries.iter().min().copied(),
                t.title.as_str(),
            )
        })
        .collect();
    let (order, left_out) = busiest(&threads, MAX_LANES);
    lanes_svg(&LaneChart {
        id: "timeline".into(),
        title: "Timeline of the threads".into(),
        span,
        lanes: order
            .into_iter()
            .map(|t| lane(c, shared, &c.threads[t]))
            .collect(),
        left_out,
    })
}

/// A thread page's chart: the thread's own lane across the chronicle.
pub fn thread(c: &Chronicle, shared: &SharedViews, thread: &Thread) -> String {
    let Some(span) = span_of(c) else {
        return String::new();
    };
    let lane = lane(c, shared, thread);
    if lane.marks.is_empty() {
        return String::new();
    }
    lanes_svg(&LaneChart {
        id: "timeline".into(),
        title: format!("Timeline of {}", thread.title),
        span,
        lanes: vec![lane],
        left_out: 0,
    })
}

/// An actor's or topic's strip: its `entries` per day across the chronicle.
pub fn strip(c: &Chronicle, shared: &SharedViews, entries: &[EntryIx], title: String) -> String {
    let Some(span) = span_of(c) else {
        return String::new();
    };
    let mut days: Vec<NaiveDate> = entries.iter().map(|&e| c.entries[e].day).collect();
    days.sort();
    let days = days
        .chunk_by(|a, b| a == b)
        .map(|g| DayCount {
            day: g[0],
            count: g.len(),
            url: shared.urls.day(g[0]),
        })
        .collect();
    strip_svg(&Strip {
        id: "activity".into(),
        title,
        span,
        days,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn span(a: &str, b: &str) -> Span {
        Span {
            first: day(a),
            last: day(b),
        }
    }

    fn mark(d: &str, n: usize) -> Mark {
        Mark {
            day: day(d),
            url: format!("/days/{d}/#e{n}"),
            title: format!("{d}: entry {n}"),
            day_url: format!("/days/{d}/"),
        }
    }

    fn lane(title: &str, marks: Vec<Mark>) -> Lane {
        Lane {
            title: title.into(),
            url: format!("/threads/{}/", title.len()),
            marks,
        }
    }

    fn chart(lanes: Vec<Lane>) -> LaneChart {
        LaneChart {
            id: "t".into(),
            title: "Timeline".into(),
            span: span("2022-01-01", "2022-02-28"),
            lanes,
            left_out: 0,
        }
    }

    /// Values of attribute `name` in order of appearance, for elements `tag`.
    fn attrs(svg: &str, tag: &str, name: &str) -> Vec<String> {
        let open = format!("<{tag} ");
        svg.match_indices(&open)
            .map(|(i, _)| {
                let rest = &svg[i..];
                let end = rest.find('>').unwrap();
                let element = &rest[..end];
                let key = format!(" {name}=\"");
                let j = element.find(&key).unwrap() + key.len();
                element[j..j + element[j..].find('"').unwrap()].to_string()
            })
            .collect()
    }

    #[test]
    fn one_group_per_lane_with_label_and_rule() {
        let svg = lanes_svg(&chart(vec![
            lane("A", vec![mark("2022-01-03", 1)]),
            lane("B", vec![mark("2022-01-05", 2)]),
            lane("C", vec![mark("2022-02-05", 3)]),
        ]));
        assert_eq!(svg.matches("<g class=\"tl-lane\">").count(), 3);
        assert_eq!(svg.matches("class=\"tl-label\"").count(), 3);
        assert_eq!(svg.matches("<circle class=\"tl-mark\"").count(), 3 + 1); // + legend
        assert!(svg.contains("Timeline of 3 threads from 1 January 2022 to 28 February 2022"));
        assert!(lanes_svg(&chart(Vec::new())).is_empty());
    }

    #[test]
    fn marks_go_right_in_time_and_down_in_a_day() {
        let marks = vec![
            mark("2022-01-02", 1),
            mark("2022-01-02", 2),
            mark("2022-01-10", 3),
            mark("2022-02-27", 4),
        ];
        let svg = lanes_svg(&chart(vec![lane("A", marks)]));
        let xs: Vec<f64> = attrs(&svg, "circle", "cx")
            .iter()
            .map(|x| x.parse().unwrap())
            .collect();
        let ys: Vec<f64> = attrs(&svg, "circle", "cy")
            .iter()
            .map(|y| y.parse().unwrap())
            .collect();
        // The last circle is the legend's.
        assert_eq!(xs.len(), 5);
        assert_eq!(xs[0], xs[1], "same day, same column");
        assert!(ys[1] > ys[0], "the second of a day is below the first");
        assert!(xs[1] < xs[2] && xs[2] < xs[3], "{xs:?}");
        // Evenly spaced days: 8 days from the 2nd to the 10th of January.
        let scale = Scale::new(span("2022-01-01", "2022-02-28"));
        assert!((xs[2] - xs[0] - 8.0 * scale.day_w).abs() < 0.11);
        // The links follow the marks, in order.
        let hrefs = attrs(&svg, "a", "href");
        assert_eq!(
            &hrefs[1..],
            [
                "/days/2022-01-02/#e1",
                "/days/2022-01-02/#e2",
                "/days/2022-01-10/#e3",
                "/days/2022-02-27/#e4"
            ]
        );
    }

    #[test]
    fn busy_days_and_busy_lanes_become_blocks() {
        // MAX_STACK entries on a day stay single; one more makes a block.
        let at_limit: Vec<Mark> = (0..MAX_STACK).map(|n| mark("2022-01-04", n)).collect();
        let at_limit = lane("A", at_limit);
        let (rows, drawn) = layout(&at_limit, chart(vec![]).span);
        assert_eq!(rows, MAX_STACK);
        assert_eq!(drawn.len(), MAX_STACK);
        assert!(drawn.iter().all(|d| matches!(d, Drawn::One { .. })));

        let over: Vec<Mark> = (0..=MAX_STACK).map(|n| mark("2022-01-04", n)).collect();
        let l = lane("A", over);
        let (_, drawn) = layout(&l, chart(vec![]).span);
        assert_eq!(
            drawn,
            [Drawn::Many {
                column: 3,
                day: day("2022-01-04"),
                count: MAX_STACK + 1,
                day_url: "/days/2022-01-04/"
            }]
        );
        let svg = lanes_svg(&chart(vec![l]));
        assert!(svg.contains("<title>6 entries on 4 January 2022</title>"));
        assert!(svg.contains("href=\"/days/2022-01-04/\""));

        // Blocks grow taller with the count; the tallest is for the most.
        let mut two: Vec<Mark> = (0..6).map(|n| mark("2022-01-04", n)).collect();
        two.extend((0..12).map(|n| mark("2022-01-05", n)));
        let svg = lanes_svg(&chart(vec![lane("A", two)]));
        let heights: Vec<String> = attrs(&svg, "rect", "height");
        // The last rect is the legend's.
        assert_eq!(heights.len(), 3);
        assert_eq!(heights[..2], [num(block_height(6, 12)), num(MAX_BLOCK)]);
        assert_eq!(num(block_height(6, 12)), "15");

        // A lane over the threshold draws at most one mark a day.
        let days = 100;
        let long = span("2022-01-01", "2022-04-30");
        let per_day = LANE_AGGREGATE_ABOVE / days + 1;
        let first = day("2022-01-01");
        let marks: Vec<Mark> = (0..days)
            .flat_map(|d| {
                let date = (first + chrono::Days::new(d as u64)).to_string();
                (0..per_day).map(move |n| mark(&date, n))
            })
            .collect();
        assert!(marks.len() > LANE_AGGREGATE_ABOVE);
        assert!(per_day <= MAX_STACK);
        let busy = lane("Busy", marks.clone());
        let (_, drawn) = layout(&busy, long);
        assert_eq!(drawn.len(), days);
        assert!(drawn.iter().all(|d| matches!(d, Drawn::Many { .. })));
        // One entry fewer and the lane is drawn entry by entry.
        let under: Vec<Mark> = marks[..LANE_AGGREGATE_ABOVE].to_vec();
        let under = lane("Busy", under);
        let (_, drawn) = layout(&under, long);
        assert_eq!(drawn.len(), LANE_AGGREGATE_ABOVE);
    }

    #[test]
    fn text_is_escaped() {
        let mut m = mark("2022-01-03", 1);
        m.title = "Talks <resume> & \"go on\"".into();
        m.url = "/days/2022-01-03/#a&b".into();
        let svg = lanes_svg(&chart(vec![lane("Gas & <oil>", vec![m])]));
        assert!(svg.contains("<title>Talks &lt;resume&gt; &amp; &quot;go on&quot;</title>"));
        assert!(svg.contains("Gas &amp; &lt;oil&gt; (1)"));
        assert!(svg.contains("href=\"/days/2022-01-03/#a&amp;b\""));
        assert!(!svg.contains("<oil>") && !svg.contains("<resume>"));
        let strip = strip_svg(&Strip {
            id: "s".into(),
            title: "Entries per day: A & <B>".into(),
            span: span("2022-01-01", "2022-01-31"),
            days: vec![DayCount {
                day: day("2022-01-02"),
                count: 1,
                url: "/days/2022-01-02/".into(),
            }],
        });
        assert!(strip.contains("<title id=\"s-title\">Entries per day: A &amp; &lt;B&gt;</title>"));
    }

    #[test]
    fn a_strip_has_one_bar_per_day_with_entries_by_height() {
        let s = Strip {
            id: "s".into(),
            title: "Entries per day".into(),
            span: span("2022-01-01", "2022-01-31"),
            days: vec![
                DayCount {
                    day: day("2022-01-02"),
                    count: 1,
                    url: "/d/2/".into(),
                },
                DayCount {
                    day: day("2022-01-05"),
                    count: 4,
                    url: "/d/5/".into(),
                },
                DayCount {
                    day: day("2022-01-09"),
                    count: 0,
                    url: "/d/9/".into(),
                },
            ],
        };
        let svg = strip_svg(&s);
        let heights: Vec<f64> = attrs(&svg, "rect", "height")
            .iter()
            .map(|h| h.parse().unwrap())
            .collect();
        assert_eq!(heights, [STRIP_H / 4.0, STRIP_H]);
        assert!(svg.contains("<title>1 entry on 2 January 2022</title>"));
        assert!(svg.contains("<title>4 entries on 5 January 2022</title>"));
        assert!(svg.contains("5 entries on 2 days; the most, 4, on 5 January 2022"));
        assert!(
            svg.contains("role=\"group\" aria-labelledby=\"s-title\" aria-describedby=\"s-desc\"")
        );
        assert!(strip_svg(&Strip { days: vec![], ..s }).is_empty());
    }

    #[test]
    fn axis_ticks_suit_the_span() {
        // Three months: Mondays, the first 6 days after the first day.
        let s = span("2021-11-09", "2022-02-15");
        let t = ticks(s, Scale::new(s).day_w);
        assert_eq!(t.len(), 14);
        assert_eq!(t[0], (6, "15 Nov".to_string()));
        assert_eq!(t[13], (97, "14 Feb".to_string()));
        // A year: months.
        let s = span("2022-01-01", "2022-12-31");
        let t = ticks(s, Scale::new(s).day_w);
        assert_eq!(t.len(), 12);
        assert_eq!(t[0], (0, "Jan 2022".to_string()));
        assert_eq!(t[1], (31, "Feb 2022".to_string()));
        // Months starting well after the first day: it is labelled too.
        let s = span("2022-01-15", "2022-12-31");
        let t = ticks(s, Scale::new(s).day_w);
        assert_eq!(t[0], (0, "15 Jan 2022".to_string()));
        assert_eq!(t[1], (17, "Feb 2022".to_string()));
        // A week: every day.
        let s = span("2022-01-01", "2022-01-07");
        assert_eq!(ticks(s, Scale::new(s).day_w).len(), 7);
        // Ten years stay within bounds.
        let s = span("2010-01-01", "2019-12-31");
        let scale = Scale::new(s);
        assert!(scale.width() <= MAX_PLOT + 2.0 * PAD);
        let labels: Vec<String> = ticks(s, scale.day_w).into_iter().map(|t| t.1).collect();
        assert_eq!(labels.first().map(String::as_str), Some("2010"));
        assert_eq!(labels.len(), 10);
    }

    #[test]
    fn the_busiest_threads_get_lanes_in_order_of_their_first_entry() {
        let e = |i| Some(EntryIx::new(i));
        let threads = [
            (3, e(10), "c"),
            (0, None, "empty"),
            (5, e(20), "b"),
            (3, e(0), "d"),
            (1, e(5), "a"),
        ];
        assert_eq!(busiest(&threads, 30), (vec![3, 4, 0, 2], 0));
        // Of the three kept: 5 entries, then 3 and 3 (by title: c before d).
        assert_eq!(busiest(&threads, 3), (vec![3, 0, 2], 1));
        let mut c = chart(vec![
            lane("A", vec![mark("2022-01-03", 1)]),
            lane("B", vec![mark("2022-01-04", 2)]),
        ]);
        assert!(!lanes_svg(&c).contains("more not shown"));
        c.left_out = 7;
        let svg = lanes_svg(&c);
        assert!(svg.contains("The 2 threads with the most entries; 7 more not shown."));
        assert!(svg.contains("The 2 threads with the most entries are shown; 7 more are not."));
    }

    #[test]
    fn output_is_deterministic() {
        let c = || {
            chart(vec![lane(
                "A",
                vec![mark("2022-01-03", 1), mark("2022-01-03", 2)],
            )])
        };
        assert_eq!(lanes_svg(&c()), lanes_svg(&c()));
    }
}
