//! Threads as lanes across the days: the home and thread pages' graphic.

use std::fmt::Write;

use super::*;

/// The chart of lanes and its caption; empty when it has no lanes.
pub fn lanes_svg(chart: &LaneChart) -> Graphic {
    if chart.lanes.is_empty() {
        return Graphic::default();
    }
    let span = chart.span;
    let scale = Scale::new(span);
    let layouts: Vec<Vec<Drawn<'_>>> = chart.lanes.iter().map(|l| layout(l, span)).collect();
    let several = layouts
        .iter()
        .flatten()
        .any(|d| matches!(d, Drawn::Many { .. }));
    let lane_h = LABEL_H + ROW_H + LANE_GAP;
    let plot_bottom = AXIS_H + chart.lanes.len() as f64 * lane_h;
    let height = plot_bottom + PAD;
    let shown = chart.lanes.len();
    let (first, last) = (
        english().short_date_label(span.first),
        english().short_date_label(span.last),
    );
    let discs = if several {
        "; a day with several entries is a larger disc with their number, linked to the day"
    } else {
        ""
    };
    let desc = if let [lane] = chart.lanes.as_slice() {
        format!(
            "Timeline of the thread “{}” from {first} to {last}: {}, each day's a dot linked to the entry{discs}.",
            lane.title,
            plural(lane.marks.len(), "entry", "entries"),
        )
    } else {
        let mut desc = format!(
            "Timeline of {} from {first} to {last}, one row per thread, its number of entries \
             beside its title; a day with one entry is a dot linked to it{discs}.",
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
    for (i, (lane, drawn)) in chart.lanes.iter().zip(&layouts).enumerate() {
        let _ = write!(out, "<g class=\"tl-lane tl-c{}\">", i % LANE_COLOURS);
        if i % 2 == 1 {
            let _ = write!(
                out,
                "<rect class=\"tl-band\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                num(y),
                num(scale.width()),
                num(lane_h),
            );
        }
        let label = format!(
            "{} ({})",
            cut(&lane.title, MAX_LABEL_CHARS),
            lane.marks.len()
        );
        let label_y = num(y + LABEL_H - 3.0);
        link(
            &mut out,
            &lane.url,
            &format!(
                "{}: {}",
                lane.title,
                plural(lane.marks.len(), "entry", "entries")
            ),
            &format!(
                "<circle class=\"tl-swatch\" cx=\"{}\" cy=\"{}\" r=\"4\"/>\
                 <text class=\"tl-label\" x=\"{}\" y=\"{label_y}\">{}</text>",
                num(PAD + 4.0),
                num(y + LABEL_H - 7.0),
                num(PAD + 12.0),
                esc(&label)
            ),
        );
        // The same label at the latest end, where a narrow screen opens the
        // chart; hidden from screen readers, which have the first.
        let label_w = label.chars().count() as f64 * CHAR_W;
        if scale.width() - 2.0 * PAD > 2.0 * label_w + 48.0 {
            let _ = write!(
                out,
                "<text class=\"tl-label tl-label-end\" x=\"{}\" y=\"{label_y}\" text-anchor=\"end\" aria-hidden=\"true\">{}</text>",
                num(scale.width() - PAD),
                esc(&label)
            );
        }
        let row = y + LABEL_H + ROW_H / 2.0;
        let _ = write!(
            out,
            "<line class=\"tl-rule\" x1=\"{x1}\" x2=\"{x2}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"currentColor\" stroke-opacity=\".25\"/>",
            x1 = num(scale.left(0)),
            x2 = num(scale.plot_right()),
            ly = num(row),
        );
        for d in drawn {
            match d {
                Drawn::One { mark, column } => {
                    let shape = mark_shape(scale.center(*column), row, RADIUS, "tl-mark", None);
                    link(&mut out, &mark.url, &mark.title, &shape);
                }
                Drawn::Many {
                    column,
                    day,
                    count,
                    day_url,
                } => {
                    let shape =
                        mark_shape(scale.center(*column), row, DISC, "tl-many", Some(*count));
                    link(&mut out, day_url, &day_count_title(*count, *day), &shape);
                }
            }
        }
        out.push_str("</g>");
        y += lane_h;
    }
    out.push_str("</svg>");
    let mut caption = String::from("A dot is one entry, linked to it");
    if several {
        caption
            .push_str("; a disc with a number is a day with that many entries, linked to the day");
    }
    caption.push('.');
    if chart.left_out > 0 {
        let _ = write!(
            caption,
            " The {shown} threads with the most entries are shown; {} more are not.",
            chart.left_out
        );
    }
    Graphic { svg: out, caption }
}

/// A mark at (`cx`, `cy`): its 24-unit target (transparent, but it takes
/// the pointer), the visible circle of radius `r`, and a count in it.
fn mark_shape(cx: f64, cy: f64, r: f64, class: &str, count: Option<usize>) -> String {
    let mut shape = format!(
        "<circle class=\"tl-hit\" cx=\"{x}\" cy=\"{y}\" r=\"{hit}\" fill-opacity=\"0\"/>\
         <circle class=\"{class}\" cx=\"{x}\" cy=\"{y}\" r=\"{r}\"/>",
        x = num(cx),
        y = num(cy),
        hit = num(HIT),
        r = num(r),
    );
    if let Some(count) = count {
        // Three digits and more would not fit the disc.
        let text = if count > 99 {
            "99+".to_string()
        } else {
            count.to_string()
        };
        let size = if text.len() > 2 { 8 } else { 11 };
        let _ = write!(
            shape,
            "<text class=\"tl-count\" x=\"{x}\" y=\"{y}\" text-anchor=\"middle\" font-size=\"{size}\">{text}</text>",
            x = num(cx),
            y = num(cy + f64::from(size) * 0.36),
        );
    }
    shape
}
