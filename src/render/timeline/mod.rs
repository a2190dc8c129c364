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
//! so every chart of a site shares one time axis: months and years in its
//! upper row, weeks in its lower. A lane has one mark per day with entries:
//! a dot linked to the entry for one, a larger disc with the count, linked
//! to the day's page, for several, so every lane is as tall as the next and
//! a busy day stays readable. Each mark is a target of at least 24 pixels
//! (WCAG 2.2), which is why a day is at least [`MIN_DAY_W`] wide and the
//! chart scrolls sideways on narrow screens; the theme opens it at its
//! latest days. Lanes alternate their background and each has a colour of
//! its own; shape and count, not colour, carry the meaning. Captions are
//! given apart from the SVG ([`Graphic::caption`]) so a narrow screen never
//! cuts them.

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
/// Colours of lanes, in turn (`tl-c0` ... in the theme's style sheet).
pub const LANE_COLOURS: usize = 8;

/// Margin around the chart, in SVG units.
const PAD: f64 = 8.0;
/// Half of a mark's target: a target is 24 units wide and tall.
const HIT: f64 = 12.0;
/// The plot is at least this wide...
const MIN_PLOT: f64 = 720.0;
/// ...and at most this wide, whatever the number of days.
const MAX_PLOT: f64 = 4800.0;
/// Width of a day, unless the plot would exceed [`MAX_PLOT`]: a mark's
/// whole target.
const MIN_DAY_W: f64 = 2.0 * HIT;
/// Height of the date axis above the lanes: months, then weeks.
const AXIS_H: f64 = 40.0;
/// Height of a lane's label.
const LABEL_H: f64 = 16.0;
/// Height of a lane's row of marks.
const ROW_H: f64 = 2.0 * HIT + 4.0;
/// A dot (one entry) and a disc (several, with their count).
const RADIUS: f64 = 5.0;
const DISC: f64 = 10.0;
/// Space below each lane.
const LANE_GAP: f64 = 6.0;
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

/// A drawn graphic and its caption, which the theme prints under it as
/// text (`timeline_svg`, `timeline_caption`); both empty when there is
/// nothing to draw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graphic {
    pub svg: String,
    pub caption: String,
}

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
    /// One entry that day, a dot in day `column` linked to the entry.
    One { mark: &'a Mark, column: usize },
    /// Several entries that day, a disc with their count linked to the
    /// day's page.
    Many {
        column: usize,
        day: NaiveDate,
        count: usize,
        day_url: &'a str,
    },
}

/// A lane's marks as drawn: one per day with entries, in time order.
pub fn layout(lane: &Lane, span: Span) -> Vec<Drawn<'_>> {
    let mut order: Vec<&Mark> = lane.marks.iter().collect();
    order.sort_by_key(|m| m.day);
    order
        .chunk_by(|a, b| a.day == b.day)
        .map(|group| {
            let column = span.column(group[0].day);
            match group {
                [mark] => Drawn::One { mark, column },
                _ => Drawn::Many {
                    column,
                    day: group[0].day,
                    count: group.len(),
                    day_url: &group[0].day_url,
                },
            }
        })
        .collect()
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
    /// The left edge of column `i`: the first leaves room for half a
    /// target, so no mark reaches past the chart.
    fn left(&self, i: usize) -> f64 {
        PAD + HIT + i as f64 * self.day_w
    }
    fn center(&self, i: usize) -> f64 {
        self.left(i) + self.day_w / 2.0
    }
    fn plot_right(&self) -> f64 {
        self.left(self.days)
    }
    fn width(&self) -> f64 {
        self.plot_right() + HIT + PAD
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

/// The months (with their year) of the span: each its first column and
/// label, the first day's month included; `%b %Y` when a month is too
/// narrow for its full name, years alone when too narrow for that.
fn months(span: Span, day_w: f64) -> Vec<(usize, String)> {
    let starts: Vec<(usize, NaiveDate)> = span
        .first
        .iter_days()
        .take(span.days())
        .enumerate()
        .filter(|(i, d)| *i == 0 || d.day() == 1)
        .collect();
    let fits = |format: &str| {
        starts.windows(2).all(|w| {
            let label = w[0].1.format(format).to_string();
            (w[1].0 - w[0].0) as f64 * day_w >= label.chars().count() as f64 * CHAR_W + 8.0
        })
    };
    let format = ["%B %Y", "%b %Y"].into_iter().find(|f| fits(f));
    match format {
        Some(format) => starts
            .into_iter()
            .map(|(i, d)| (i, d.format(format).to_string()))
            .collect(),
        None => starts
            .into_iter()
            .filter(|(i, d)| *i == 0 || d.ordinal() == 1)
            .map(|(i, d)| (i, d.format("%Y").to_string()))
            .collect(),
    }
}

/// The date axis, months above weeks, with grid lines down to `bottom`.
/// The lines of a kind share their stroke through a group, which a chart
/// drawn on every actor page repeats thousands of times.
fn axis(out: &mut String, span: Span, scale: &Scale, bottom: f64) {
    out.push_str("<g class=\"tl-axis\">");
    let _ = write!(
        out,
        "<line class=\"tl-rule\" x1=\"{x1}\" x2=\"{x2}\" y1=\"{y}\" y2=\"{y}\" stroke=\"currentColor\" stroke-opacity=\".4\"/>",
        x1 = num(scale.left(0)),
        x2 = num(scale.plot_right()),
        y = num(AXIS_H - 4.0),
    );
    let (mut month_xs, mut tick_xs, mut labels) = (Vec::new(), Vec::new(), String::new());
    let right = scale.width() - PAD;
    let months = months(span, scale.day_w);
    for (k, (i, label)) in months.iter().enumerate() {
        let x = scale.left(*i);
        month_xs.push(x);
        // The last month's label may not fit after its line: it then ends
        // at the chart's edge, before which it stays whole.
        let width = label.chars().count() as f64 * CHAR_W;
        let next = months.get(k + 1).map_or(right, |(j, _)| scale.left(*j));
        let x = if x + 4.0 + width <= next {
            x + 4.0
        } else {
            (right - width).max(scale.left(0))
        };
        let _ = write!(
            labels,
            "<text class=\"tl-month-label\" x=\"{}\" y=\"14\">{}</text>",
            num(x),
            esc(label),
        );
    }
    for (i, label) in ticks(span, scale.day_w) {
        let x = scale.left(i);
        tick_xs.push(x);
        // A label that would run off the right edge is left out; its line stays.
        if x + 2.0 + label.chars().count() as f64 * CHAR_W <= right {
            let _ = write!(
                labels,
                "<text class=\"tl-tick\" x=\"{}\" y=\"{}\">{}</text>",
                num(x + 2.0),
                num(AXIS_H - 10.0),
                esc(&label),
            );
        }
    }
    // Each set of grid lines is one path of vertical moves, not a `<line>`
    // apiece: the axis is drawn on every actor page.
    let _ = write!(
        out,
        "<path class=\"tl-grid tl-month\" d=\"{}\" stroke=\"currentColor\" stroke-opacity=\".3\"/>\
         <path class=\"tl-grid\" d=\"{}\" stroke=\"currentColor\" stroke-opacity=\".12\"/>{labels}</g>",
        vertical_lines(&month_xs, 2.0, bottom),
        vertical_lines(&tick_xs, AXIS_H - 8.0, bottom),
    );
}

/// A path's data drawing a vertical line from `top` to `bottom` at each
/// of `xs`.
fn vertical_lines(xs: &[f64], top: f64, bottom: f64) -> String {
    let (top, bottom) = (num(top), num(bottom));
    xs.iter()
        .map(|&x| format!("M{} {top}V{bottom}", num(x)))
        .collect()
}

/// A link wrapping a shape, named by `title` for screen readers and hover.
/// The `<title>` child is the link's accessible name (SVG-AAM), so no
/// `aria-label` repeats it: on a large chronicle the home page's chart
/// holds thousands of marks.
fn link(out: &mut String, url: &str, title: &str, shape: &str) {
    let _ = write!(
        out,
        "<a href=\"{url}\"><title>{title}</title>{shape}</a>",
        url = esc(url),
        title = esc(title),
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

pub use lanes::lanes_svg;
pub use strip::{strip_svg, DayCount, Strip};

/// The graphics' words: their captions and descriptions are English for
/// now, their dates with them (docs/reference.md, "Words of a theme").
fn english() -> &'static Words {
    static ENGLISH: std::sync::OnceLock<Words> = std::sync::OnceLock::new();
    ENGLISH.get_or_init(Words::default)
}

/// The span a chart of the chronicle covers; `None` when there is nothing
/// to draw (no entries) or the site draws no charts (`timeline_graphics =
/// false`).
fn drawn_span(c: &Chronicle) -> Option<Span> {
    if !c.config.timeline_graphics {
        return None;
    }
    // The chronicle's first to its last day.
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
pub fn home(c: &Chronicle, shared: &SharedViews) -> Graphic {
    let Some(span) = drawn_span(c) else {
        return Graphic::default();
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
pub fn thread(c: &Chronicle, shared: &SharedViews, thread: &Thread) -> Graphic {
    let Some(span) = drawn_span(c) else {
        return Graphic::default();
    };
    let lane = lane(c, shared, thread);
    if lane.marks.is_empty() {
        return Graphic::default();
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
pub fn strip(c: &Chronicle, shared: &SharedViews, entries: &[EntryIx], title: String) -> Graphic {
    let Some(span) = drawn_span(c) else {
        return Graphic::default();
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
    fn one_group_per_lane_with_label_rule_and_colour() {
        let svg = lanes_svg(&chart(vec![
            lane("A", vec![mark("2022-01-03", 1)]),
            lane("B", vec![mark("2022-01-05", 2)]),
            lane("C", vec![mark("2022-02-05", 3)]),
        ]))
        .svg;
        for (i, class) in ["tl-c0", "tl-c1", "tl-c2"].iter().enumerate() {
            assert!(
                svg.contains(&format!("<g class=\"tl-lane {class}\">")),
                "lane {i}"
            );
        }
        // Every other lane has a band behind it.
        assert_eq!(svg.matches("class=\"tl-band\"").count(), 1);
        assert_eq!(svg.matches("<circle class=\"tl-mark\"").count(), 3);
        assert!(svg.contains("Timeline of 3 threads from 1 January 2022 to 28 February 2022"));
        let empty = lanes_svg(&chart(Vec::new()));
        assert!(empty.svg.is_empty() && empty.caption.is_empty());
    }

    #[test]
    fn lanes_are_equal_whatever_their_busiest_day() {
        let quiet = lane("Quiet", vec![mark("2022-01-02", 1)]);
        let busy = lane("Busy", (0..40).map(|n| mark("2022-01-02", n)).collect());
        let one = lanes_svg(&chart(vec![quiet.clone()])).svg;
        let other = lanes_svg(&chart(vec![busy])).svg;
        assert_eq!(
            attrs(&one, "svg", "viewBox"),
            attrs(&other, "svg", "viewBox")
        );
        // Forty entries on a day are one disc with their count.
        assert!(other.contains(">40</text>"), "{other}");
        assert!(other.contains("<title>40 entries on 2 January 2022</title>"));
        let hundreds = lane(
            "Hundreds",
            (0..120).map(|n| mark("2022-01-02", n)).collect(),
        );
        assert!(lanes_svg(&chart(vec![hundreds]))
            .svg
            .contains(">99+</text>"));
    }

    #[test]
    fn marks_go_right_in_time_one_per_day() {
        let marks = vec![
            mark("2022-01-02", 1),
            mark("2022-01-02", 2),
            mark("2022-01-10", 3),
            mark("2022-02-27", 4),
        ];
        let l = lane("A", marks);
        let drawn = layout(&l, chart(vec![]).span);
        assert_eq!(
            drawn[0],
            Drawn::Many {
                column: 1,
                day: day("2022-01-02"),
                count: 2,
                day_url: "/days/2022-01-02/"
            }
        );
        assert!(matches!(drawn[1], Drawn::One { column: 9, .. }));
        assert!(matches!(drawn[2], Drawn::One { column: 57, .. }));
        let svg = lanes_svg(&chart(vec![l])).svg;
        let xs: Vec<f64> = attrs(&svg, "circle", "cx")
            .iter()
            .map(|x| x.parse().unwrap())
            .collect();
        // Swatch, then a target and a circle for each of three marks.
        assert_eq!(xs.len(), 1 + 3 * 2);
        let marks: Vec<f64> = xs[1..].iter().step_by(2).copied().collect();
        assert!(marks.windows(2).all(|w| w[0] < w[1]), "{marks:?}");
        // Evenly spaced days: 8 days from the 2nd to the 10th of January.
        let scale = Scale::new(span("2022-01-01", "2022-02-28"));
        assert!((marks[1] - marks[0] - 8.0 * scale.day_w).abs() < 0.11);
        // The links: the lane's page, the day of two, then the entries.
        let hrefs = attrs(&svg, "a", "href");
        assert_eq!(
            &hrefs[1..],
            [
                "/days/2022-01-02/",
                "/days/2022-01-10/#e3",
                "/days/2022-02-27/#e4"
            ]
        );
    }

    #[test]
    fn every_mark_is_a_target_of_24_units_inside_the_chart() {
        let s = span("2021-11-09", "2022-02-15");
        let scale = Scale::new(s);
        assert!(scale.day_w >= 24.0, "{}", scale.day_w);
        let first = lane("A", vec![mark("2021-11-09", 1), mark("2022-02-15", 2)]);
        let svg = lanes_svg(&LaneChart {
            span: s,
            ..chart(vec![first])
        })
        .svg;
        let radii = attrs(&svg, "circle", "r");
        assert_eq!(radii.iter().filter(|r| *r == "12").count(), 2);
        let xs: Vec<f64> = attrs(&svg, "circle", "cx")
            .iter()
            .map(|x| x.parse().unwrap())
            .collect();
        let width: f64 = attrs(&svg, "svg", "viewBox")[0]
            .split(' ')
            .nth(2)
            .unwrap()
            .parse()
            .unwrap();
        // The first and last targets stay inside the chart.
        assert!(
            xs.iter().all(|&x| x - 12.0 >= 0.0 && x + 12.0 <= width),
            "{xs:?} {width}"
        );
    }

    #[test]
    fn the_axis_names_months_and_years() {
        let s = span("2021-11-09", "2022-02-15");
        let m = months(s, Scale::new(s).day_w);
        let labels: Vec<&str> = m.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            labels,
            [
                "November 2021",
                "December 2021",
                "January 2022",
                "February 2022"
            ]
        );
        assert_eq!(m[1].0, 22);
        // Narrow months are abbreviated, narrower still give years.
        let long = span("2010-01-01", "2019-12-31");
        let years = months(long, Scale::new(long).day_w);
        assert_eq!(years.len(), 10);
        assert_eq!(years[0].1, "2010");
        let svg = lanes_svg(&LaneChart {
            span: s,
            ..chart(vec![lane("A", vec![mark("2022-01-03", 1)])])
        })
        .svg;
        assert!(svg.contains(">November 2021</text>") && svg.contains(">February 2022</text>"));
    }

    #[test]
    fn the_caption_says_what_the_marks_are() {
        let one = lanes_svg(&chart(vec![lane("A", vec![mark("2022-01-03", 1)])]));
        assert_eq!(one.caption, "A dot is one entry, linked to it.");
        let two = lanes_svg(&chart(vec![lane(
            "A",
            vec![mark("2022-01-03", 1), mark("2022-01-03", 2)],
        )]));
        assert!(two
            .caption
            .contains("a disc with a number is a day with that many entries"));
    }

    #[test]
    fn text_is_escaped() {
        let mut m = mark("2022-01-03", 1);
        m.title = "Talks <resume> & \"go on\"".into();
        m.url = "/days/2022-01-03/#a&b".into();
        let svg = lanes_svg(&chart(vec![lane("Gas & <oil>", vec![m])])).svg;
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
        })
        .svg;
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
        let strip = strip_svg(&s);
        let svg = strip.svg;
        // The target, the day's whole column, drawn once.
        let heights: Vec<f64> = attrs(&svg, "rect", "height")
            .iter()
            .map(|h| h.parse().unwrap())
            .collect();
        assert_eq!(heights, [STRIP_H]);
        let widths: Vec<f64> = attrs(&svg, "rect", "width")
            .iter()
            .map(|h| h.parse().unwrap())
            .collect();
        assert!(widths[0] >= 24.0, "{widths:?}");
        // The bars: strokes from the base, as high as their share of the
        // busiest day, as wide as the group says.
        let group = &svg[svg.find("<g class=\"tl-bars\"").unwrap()..];
        let bars: Vec<(f64, f64)> = attrs(group, "path", "d")
            .iter()
            .filter_map(|d| {
                let (from, to) = d.strip_prefix('M')?.split_once('V')?;
                let base: f64 = from.split_once(' ')?.1.parse().ok()?;
                Some((base, to.parse::<f64>().ok()?))
            })
            .collect();
        let rises: Vec<f64> = bars.iter().map(|(base, top)| base - top).collect();
        assert_eq!(rises, [STRIP_H / 4.0, STRIP_H], "{bars:?}");
        let stroke = group.split("stroke-width=\"").nth(1).unwrap();
        let stroke: f64 = stroke[..stroke.find('"').unwrap()].parse().unwrap();
        assert!(stroke > 1.0, "{stroke}");
        // Placed once per bar, at its day's column.
        assert_eq!(attrs(&svg, "use", "href"), ["#s-hit", "#s-hit"]);
        let xs: Vec<f64> = attrs(&svg, "use", "x")
            .iter()
            .map(|x| x.parse().unwrap())
            .collect();
        assert!(xs[0] < xs[1], "{xs:?}");
        assert!(strip.caption.contains("(the most: 4)"));
        assert!(svg.contains("<title>1 entry on 2 January 2022</title>"));
        assert!(svg.contains("<title>4 entries on 5 January 2022</title>"));
        assert!(svg.contains("5 entries on 2 days; the most, 4, on 5 January 2022"));
        assert!(
            svg.contains("role=\"group\" aria-labelledby=\"s-title\" aria-describedby=\"s-desc\"")
        );
        assert_eq!(strip_svg(&Strip { days: vec![], ..s }), Graphic::default());
    }

    #[test]
    fn axis_ticks_suit_the_span() {
        // Three months: Mondays, and the first day, 6 days before the first.
        let s = span("2021-11-09", "2022-02-15");
        let t = ticks(s, Scale::new(s).day_w);
        assert_eq!(t.len(), 15);
        assert_eq!(t[0], (0, "9 Nov 2021".to_string()));
        assert_eq!(t[1], (6, "15 Nov".to_string()));
        assert_eq!(t[14], (97, "14 Feb".to_string()));
        // A year: still weeks (the chart scrolls).
        let s = span("2022-01-01", "2022-12-31");
        let t = ticks(s, Scale::new(s).day_w);
        assert_eq!(t[0], (2, "3 Jan".to_string()));
        assert_eq!(t.len(), 52);
        // Three years: months; the first day is labelled when no tick is near.
        let s = span("2020-01-15", "2022-12-31");
        let t = ticks(s, Scale::new(s).day_w);
        assert_eq!(t[0], (0, "15 Jan 2020".to_string()));
        assert_eq!(t[1], (17, "Feb 2020".to_string()));
        // A week: every day.
        let s = span("2022-01-01", "2022-01-07");
        assert_eq!(ticks(s, Scale::new(s).day_w).len(), 7);
        // Ten years stay within bounds.
        let s = span("2010-01-01", "2019-12-31");
        let scale = Scale::new(s);
        assert!(scale.width() <= MAX_PLOT + 2.0 * (PAD + HIT));
        let labels: Vec<String> = ticks(s, scale.day_w).into_iter().map(|t| t.1).collect();
        assert_eq!(labels.first().map(String::as_str), Some("Jan 2010"));
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
        assert!(!lanes_svg(&c).caption.contains("more are not"));
        c.left_out = 7;
        let graphic = lanes_svg(&c);
        let said = "The 2 threads with the most entries are shown; 7 more are not.";
        assert!(graphic.caption.contains(said));
        assert!(graphic.svg.contains(said), "the description says it too");
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
