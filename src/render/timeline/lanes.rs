//! Threads as lanes across the days: the home and thread pages' graphic.

use std::fmt::Write;

use super::*;

/// The SVG of a chart of lanes; empty when it has no lanes.
pub fn lanes_svg(chart: &LaneChart) -> String {
    if chart.lanes.is_empty() {
        return String::new();
    }
    let span = chart.span;
    let scale = Scale::new(span);
    let layouts: Vec<(usize, Vec<Drawn<'_>>)> =
        chart.lanes.iter().map(|l| layout(l, span)).collect();
    let largest = layouts
        .iter()
        .flat_map(|(_, d)| d)
        .filter_map(|d| match d {
            Drawn::Many { count, .. } => Some(*count),
            Drawn::One { .. } => None,
        })
        .max();
    let lanes_h: f64 = layouts
        .iter()
        .map(|(rows, _)| LABEL_H + *rows as f64 * STEP + LANE_GAP)
        .sum();
    let legend_lines = 1 + usize::from(chart.left_out > 0);
    let plot_bottom = AXIS_H + lanes_h;
    let height = plot_bottom + legend_lines as f64 * LINE_H + PAD;
    let shown = chart.lanes.len();
    let (first, last) = (
        english().short_date_label(span.first),
        english().short_date_label(span.last),
    );
    let blocks = if largest.is_some() {
        "; an upright block stands for several entries on one day, taller for more, linked to the day"
    } else {
        ""
    };
    let desc = if let [lane] = chart.lanes.as_slice() {
        format!(
            "Timeline of the thread “{}” from {first} to {last}: {}, each a circle linked to the entry{blocks}.",
            lane.title,
            plural(lane.marks.len(), "entry", "entries"),
        )
    } else {
        let mut desc = format!(
            "Timeline of {} from {first} to {last}, one row per thread, its number of entries \
             beside its title; each entry is a circle linked to it{blocks}.",
            plural(shown, "thread", "threads"),
        );
        if chart.left_out > 0 {
            let _ = write!(
                desc,
                " The {shown} threads with the most entries are shown; {} more are not.",
                chart.left_out
            );
        }
        desc
    };
    let mut out = String::new();
    open(
        &mut out,
        &chart.id,
        scale.width(),
        height,
        &chart.title,
        &desc,
    );
    axis(&mut out, span, &scale, plot_bottom);
    let mut y = AXIS_H;
    for (lane, (rows, drawn)) in chart.lanes.iter().zip(&layouts) {
        out.push_str("<g class=\"tl-lane\">");
        let label = format!(
            "{} ({})",
            cut(&lane.title, MAX_LABEL_CHARS),
            lane.marks.len()
        );
        link(
            &mut out,
            &lane.url,
            &format!(
                "{}: {}",
                lane.title,
                plural(lane.marks.len(), "entry", "entries")
            ),
            &format!(
                "<text class=\"tl-label\" x=\"{}\" y=\"{}\">{}</text>",
                num(PAD),
                num(y + LABEL_H - 4.0),
                esc(&label)
            ),
        );
        let top = y + LABEL_H;
        let _ = write!(
            out,
            "<line class=\"tl-rule\" x1=\"{x1}\" x2=\"{x2}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"currentColor\" stroke-opacity=\".25\"/>",
            x1 = num(scale.left(0)),
            x2 = num(scale.plot_right()),
            ly = num(top + STEP / 2.0),
        );
        for d in drawn {
            match d {
                Drawn::One { mark, column, row } => {
                    let shape = format!(
                        "<circle class=\"tl-mark\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
                        num(scale.center(*column)),
                        num(top + STEP / 2.0 + *row as f64 * STEP),
                        num(RADIUS)
                    );
                    link(&mut out, &mark.url, &mark.title, &shape);
                }
                Drawn::Many {
                    column,
                    day,
                    count,
                    day_url,
                } => {
                    let h = block_height(*count, largest.unwrap_or(*count));
                    let w = block_width(scale.day_w);
                    let bottom = top + *rows as f64 * STEP;
                    let shape = format!(
                        "<rect class=\"tl-many\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                        num(scale.center(*column) - w / 2.0),
                        num(bottom - h),
                        num(w),
                        num(h),
                    );
                    link(&mut out, day_url, &day_count_title(*count, *day), &shape);
                }
            }
        }
        out.push_str("</g>");
        y = top + *rows as f64 * STEP + LANE_GAP;
    }
    // The legend: what the marks are, drawn with the marks themselves.
    let ly = plot_bottom + LINE_H / 2.0;
    let _ = write!(
        out,
        "<g class=\"tl-legend\"><circle class=\"tl-mark\" cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\"/>\
         <text x=\"{tx}\" y=\"{ty}\">one entry</text>",
        cx = num(PAD + RADIUS),
        cy = num(ly),
        r = num(RADIUS),
        tx = num(PAD + 2.0 * RADIUS + 4.0),
        ty = num(ly + 4.0),
    );
    if largest.is_some() {
        let x = PAD + 90.0;
        let _ = write!(
            out,
            "<rect class=\"tl-many\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\"/>\
             <text x=\"{tx}\" y=\"{ty}\">several entries on one day (taller: more)</text>",
            x = num(x),
            y = num(ly - 6.0),
            w = num(BLOCK_W),
            h = num(12.0),
            tx = num(x + BLOCK_W + 4.0),
            ty = num(ly + 4.0),
        );
    }
    if chart.left_out > 0 {
        let _ = write!(
            out,
            "<text x=\"{x}\" y=\"{y}\">The {shown} threads with the most entries; {} more not shown.</text>",
            chart.left_out,
            x = num(PAD),
            y = num(ly + LINE_H + 4.0),
        );
    }
    out.push_str("</g></svg>");
    out
}

/// The height of a block for `count` entries, the tallest being for
/// `largest`: in proportion above the least height.
pub(super) fn block_height(count: usize, largest: usize) -> f64 {
    let share = (count as f64 / largest.max(1) as f64).min(1.0);
    MIN_BLOCK + (MAX_BLOCK - MIN_BLOCK) * share
}

/// The width of a block: narrower than its day's column.
fn block_width(day_w: f64) -> f64 {
    (day_w * 0.7).clamp(1.0, BLOCK_W)
}
