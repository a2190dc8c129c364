//! Diagnostics on a terminal: codespan-reporting snippets, with what the
//! content puts in them made safe to show.

use std::fmt;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::term;

use super::*;

/// Writes diagnostics as codespan-reporting snippets: the file, line and
/// column, the offending line with the span marked, and the hints.
///
/// What reaches the terminal is made safe to show: control characters from
/// the content (escape sequences among them) are written as `\u{1b}`, a
/// long line is cut around its span, and a long message is shortened.
pub fn emit(
    out: &mut dyn term::termcolor::WriteColor,
    diagnostics: &Diagnostics,
    files: &SourceFiles,
) -> std::io::Result<()> {
    let config = term::Config::default();
    for d in diagnostics.items() {
        let severity = match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
        };
        let mut message = d.message.clone();
        if d.location.is_none() {
            if let Some(file) = &d.file {
                message = format!("{}: {message}", display_path(file));
            }
        }
        let mut excerpts = Excerpts::default();
        let mut labels = Vec::new();
        if let Some(loc) = &d.location {
            let (file, range) = excerpts.show(files, loc);
            let mut label = Label::primary(file, range);
            if let Some(text) = &d.label {
                label = label.with_message(for_terminal(text));
            }
            labels.push(label);
        }
        for (loc, text) in &d.related {
            let (file, range) = excerpts.show(files, loc);
            labels.push(Label::secondary(file, range).with_message(for_terminal(text)));
        }
        let notes = d
            .hints
            .iter()
            .map(|h| format!("help: {}", for_terminal(h)))
            .collect();
        let rendered = CsDiagnostic::new(severity)
            .with_code(d.code.as_str())
            .with_message(for_terminal(&message))
            .with_labels(labels)
            .with_notes(notes);
        term::emit_to_write_style(out, &config, &excerpts, &rendered)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    Ok(())
}

/// The longest message or hint shown whole, in characters.
pub(super) const MAX_MESSAGE: usize = 1000;
/// The longest source line shown whole, in bytes; a longer one is cut to
/// its span and [`CONTEXT`] bytes either side.
const MAX_LINE: usize = 240;
const CONTEXT: usize = 80;
/// The most of one span shown, in bytes.
const MAX_SPAN: usize = 240;

/// `text` safe to print on a terminal: control characters (and the
/// direction overrides that can make a line read differently) escaped as
/// `\u{..}`, and the whole cut to [`MAX_MESSAGE`] characters.
pub fn for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_MESSAGE * 4));
    for (n, c) in text.chars().enumerate() {
        if n == MAX_MESSAGE {
            out.push('…');
            break;
        }
        push_shown(&mut out, c);
    }
    out
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn push_shown(out: &mut String, c: char) {
    if needs_escape(c) {
        use fmt::Write;
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    } else {
        out.push(c);
    }
}

/// What one diagnostic shows of the files it points into: only the lines
/// of its spans, each cut around them if long and escaped for the terminal,
/// with their true line and column numbers. The files of codespan-reporting.
#[derive(Default)]
struct Excerpts {
    files: Vec<Excerpt>,
}

struct Excerpt {
    source: FileId,
    name: String,
    text: String,
    line_starts: Vec<usize>,
    /// The true line number of each line of `text`.
    line_numbers: Vec<usize>,
    /// The true column of each span boundary, by its offset in `text`.
    columns: std::collections::HashMap<usize, usize>,
}

impl Excerpts {
    /// Adds the line of `loc`'s start to the excerpt of its file; returns
    /// the excerpt and the span's range in it (cut to that one line).
    fn show(&mut self, files: &SourceFiles, loc: &Location) -> (usize, Range<usize>) {
        let source = files.get(loc.file);
        let index = match self.files.iter().position(|e| e.source == loc.file) {
            Some(i) => i,
            None => {
                self.files.push(Excerpt {
                    source: loc.file,
                    name: for_terminal(&display_path(&source.path)),
                    text: String::new(),
                    line_starts: Vec::new(),
                    line_numbers: Vec::new(),
                    columns: Default::default(),
                });
                self.files.len() - 1
            }
        };
        let excerpt = &mut self.files[index];
        let text = &*source.text;
        let start = floor_char_boundary(text, loc.range.start.min(text.len()));
        let line = source.line_of(start);
        let line_start = source.line_starts()[line];
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let end = floor_char_boundary(text, loc.range.end.clamp(start, line_end)).min(
            floor_char_boundary(text, start.saturating_add(MAX_SPAN).min(line_end)),
        );
        let (from, to) = if line_end - line_start <= MAX_LINE {
            (line_start, line_end)
        } else {
            (
                floor_char_boundary(text, start.saturating_sub(CONTEXT).max(line_start)),
                floor_char_boundary(text, end.saturating_add(CONTEXT).min(line_end)),
            )
        };
        // Each span gets its own shown line, even when two share a line:
        // simpler than merging windows, and rare.
        let base = excerpt.text.len();
        excerpt.line_starts.push(base);
        excerpt.line_numbers.push(line + 1);
        let mut column = text[line_start..from].chars().count() + 1;
        if from > line_start {
            excerpt.text.push('…');
        }
        let (mut shown_start, mut shown_end) = (None, None);
        for (offset, c) in text[from..to].char_indices() {
            let at = from + offset;
            if at == start {
                shown_start = Some(excerpt.text.len());
                excerpt.columns.insert(excerpt.text.len(), column);
            }
            if at == end {
                shown_end = Some(excerpt.text.len());
            }
            push_shown(&mut excerpt.text, c);
            column += 1;
        }
        let last = excerpt.text.len();
        let shown_start = shown_start.unwrap_or_else(|| {
            excerpt.columns.insert(last, column);
            last
        });
        let shown_end = shown_end.unwrap_or(last);
        if to < line_end {
            excerpt.text.push('…');
        }
        excerpt.text.push('\n');
        (index, shown_start..shown_end.max(shown_start))
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Excerpts {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.excerpt(id)?.name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.excerpt(id)?.text)
    }

    fn line_index(
        &'a self,
        id: usize,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let starts = &self.excerpt(id)?.line_starts;
        Ok(starts.partition_point(|&s| s <= byte).saturating_sub(1))
    }

    fn line_number(
        &'a self,
        id: usize,
        line: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let numbers = &self.excerpt(id)?.line_numbers;
        numbers
            .get(line)
            .copied()
            .ok_or(codespan_reporting::files::Error::LineTooLarge {
                given: line,
                max: numbers.len(),
            })
    }

    fn column_number(
        &'a self,
        id: usize,
        line: usize,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let excerpt = self.excerpt(id)?;
        if let Some(&column) = excerpt.columns.get(&byte) {
            return Ok(column);
        }
        let range = self.line_range(id, line)?;
        Ok(codespan_reporting::files::column_index(&excerpt.text, range, byte) + 1)
    }

    fn line_range(
        &'a self,
        id: usize,
        line: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        let excerpt = self.excerpt(id)?;
        let start = *excerpt.line_starts.get(line).ok_or(
            codespan_reporting::files::Error::LineTooLarge {
                given: line,
                max: excerpt.line_starts.len(),
            },
        )?;
        let end = excerpt
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(excerpt.text.len());
        Ok(start..end)
    }
}

impl Excerpts {
    fn excerpt(&self, id: usize) -> Result<&Excerpt, codespan_reporting::files::Error> {
        self.files
            .get(id)
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emitted(diagnostics: &Diagnostics, files: &SourceFiles) -> String {
        let mut out = term::termcolor::NoColor::new(Vec::new());
        emit(&mut out, diagnostics, files).unwrap();
        String::from_utf8(out.into_inner()).unwrap()
    }

    #[test]
    fn terminals_see_no_control_characters_from_the_content() {
        let mut files = SourceFiles::default();
        let text = "kind: \"\u{1b}]2;PWNED\u{7}\"\nname: x\u{202e}y\n";
        let id = files.add("content/actors.yaml".into(), text.into());
        let mut all = Diagnostics::default();
        all.push(
            Diagnostic::error(Code::UnknownKind, "unknown kind `\u{1b}]2;PWNED\u{7}`")
                .at(Some(Location {
                    file: id,
                    range: 6..18,
                }))
                .with_label("not \u{1b}[31mred")
                .with_hint("pick one \u{9b}of these"),
        );
        all.push(
            Diagnostic::warning(Code::UnknownField, "y").at(Some(Location {
                file: id,
                range: 25..27,
            })),
        );
        let shown = emitted(&all, &files);
        assert!(
            !shown.contains(|c: char| c.is_control() && c != '\n'),
            "{shown:?}"
        );
        assert!(!shown.contains('\u{202e}'));
        assert!(shown.contains("\\u{1b}]2;PWNED\\u{7}"), "{shown}");
        assert!(shown.contains("content/actors.yaml:1:7"), "{shown}");
        assert!(shown.contains("content/actors.yaml:2:7"), "{shown}");
    }

    #[test]
    fn a_long_line_is_cut_around_its_span_with_true_positions() {
        let mut files = SourceFiles::default();
        let mut text = "first: line\n".to_string();
        let start = text.len() + 3_000_000;
        text.push_str(&"é".repeat(1_500_000));
        text.push_str("BAD");
        text.push_str(&"a".repeat(2_000_000));
        text.push('\n');
        let id = files.add("content/articles/long.md".into(), text);
        let mut all = Diagnostics::default();
        all.push(
            Diagnostic::error(Code::InvalidYaml, "this is bad").at(Some(Location {
                file: id,
                range: start..start + 3,
            })),
        );
        all.push(
            Diagnostic::error(Code::InvalidYaml, "a span of the whole line").at(Some(Location {
                file: id,
                range: 12..start + 2_000_000,
            })),
        );
        let shown = emitted(&all, &files);
        assert!(shown.len() < 3_000, "{} bytes shown", shown.len());
        assert!(
            shown.contains("content/articles/long.md:2:1500001"),
            "{shown}"
        );
        assert!(shown.contains("…ééé"), "{shown}");
        assert!(shown.contains("BADaaa"), "{shown}");
        assert!(shown.contains("content/articles/long.md:2:1"), "{shown}");
    }

    #[test]
    fn long_messages_are_shortened() {
        let long = "x".repeat(50_000);
        assert!(for_terminal(&long).chars().count() <= MAX_MESSAGE + 1);
        let d = Diagnostic::error(Code::InvalidYaml, long.clone()).with_hint(long);
        let p = d.positioned(&SourceFiles::default());
        assert!(p.message.len() < 4 * MAX_MESSAGE && p.hints[0].len() < 4 * MAX_MESSAGE);
    }
}
