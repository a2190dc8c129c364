//! Entries per day as a strip: the actor and topic pages' graphic.

use std::fmt::Write;

use super::*;

/// Entries of a day, for a strip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCount {
    pub day: NaiveDate,
    pub count: usize,
    /// The day's page.
    pub url: String,
}

/// A strip of entries per day.
#[derive(Debug, Clone)]
pub struct Strip {
    /// Prefix of the ids of the SVG's title and description.
    pub id: String,
    /// The SVG's title, its accessible name ("Entries per day: NATO").
    pub title: String,
    pub span: Span,
    /// Days with entries, in date order.
    pub days: Vec<DayCount>,
}

/// The SVG of a strip and its caption: one bar per day with entries, its
/// height by count, each linked to the day's page (its target the day's
/// whole column); empty when no day has entries.
pub fn strip_svg(strip: &Strip) -> Graphic {
    let days: Vec<&DayCount> = strip.days.iter().filter(|d| d.count > 0).collect();
    let Some(busiest) = days.iter().copied().max_by(|a, b| {
        // The most entries; of equal counts, the earliest day.
        a.count.cmp(&b.count).then_with(|| b.day.cmp(&a.day))
    }) else {
        return Graphic::default();
    };
    let span = strip.span;
    let scale = Scale::new(span);
    let base = AXIS_H + STRIP_H;
    let height = base + PAD;
    let total: usize = days.iter().map(|d| d.count).sum();
    let desc = format!(
        "{} from {} to {}: {} on {}; the most, {}, on {}.",
        strip.title,
        english().short_date_label(span.first),
        english().short_date_label(span.last),
        plural(total, "entry", "entries"),
        plural(days.len(), "day", "days"),
        busiest.count,
        english().short_date_label(busiest.day),
    );
    let mut out = String::new();
    open(
        &mut out,
        &strip.id,
        scale.width(),
        height,
        &strip.title,
        &desc,
    );
    axis(&mut out, span, &scale, base);
    let _ = write!(
        out,
        "<line class=\"tl-rule\" x1=\"{x1}\" x2=\"{x2}\" y1=\"{y}\" y2=\"{y}\" stroke=\"currentColor\" stroke-opacity=\".4\"/>",
        x1 = num(scale.left(0)),
        x2 = num(scale.plot_right()),
        y = num(base),
    );
    // Every day's target has the same size: drawn once, then placed by
    // `<use>` (a rect of its own per bar was a tenth of an actor's page).
    let hit_w = scale.day_w.max(2.0 * HIT);
    let hit_id = format!("{}-hit", strip.id);
    let _ = write!(
        out,
        "<defs><rect id=\"{}\" class=\"tl-hit\" y=\"{}\" width=\"{}\" height=\"{}\" fill-opacity=\"0\" stroke=\"none\"/></defs>",
        esc(&hit_id),
        num(base - STRIP_H.max(2.0 * HIT)),
        num(hit_w),
        num(STRIP_H.max(2.0 * HIT)),
    );
    // Each bar is a vertical stroke of the group's width, rising from the
    // base: a third of the bytes of a rect, on thousands of actors' pages.
    let bar_w = (scale.day_w * 0.8).max(1.0);
    let _ = write!(
        out,
        "<g class=\"tl-bars\" stroke=\"currentColor\" stroke-width=\"{}\">",
        num(bar_w)
    );
    for d in &days {
        let h = (STRIP_H * d.count as f64 / busiest.count as f64).max(2.0);
        let center = scale.center(span.column(d.day));
        let shape = format!(
            "<use href=\"#{}\" x=\"{}\"/><path d=\"M{} {}V{}\"/>",
            esc(&hit_id),
            num(center - hit_w / 2.0),
            num(center),
            num(base),
            num(base - h),
        );
        link(&mut out, &d.url, &day_count_title(d.count, d.day), &shape);
    }
    out.push_str("</g></svg>");
    Graphic {
        svg: out,
        caption: format!(
            "One bar per day with entries, linked to the day; its height is their number (the most: {}).",
            busiest.count
        ),
    }
}
