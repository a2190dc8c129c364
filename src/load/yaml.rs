//! YAML with positions.
//!
//! serde_yaml gives typed values but no positions for them. To point a
//! diagnostic at `entries[3].actors[1]`, a second, event-level pass with
//! yaml-rust2 records where every node starts, keyed by its path
//! (`entries.3.actors.1`), the same form of path `serde_ignored` reports.

use std::collections::HashMap;
use std::ops::Range;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::{Diagnostic, FileId, Location};

/// Where each node of a YAML document is, by path.
#[derive(Debug, Default, Clone)]
pub struct Positions {
    values: HashMap<String, Range<usize>>,
    keys: HashMap<String, Range<usize>>,
}

impl Positions {
    /// The span of the value at `path` (`entries.0.at`), if present.
    pub fn value(&self, path: &str) -> Option<Range<usize>> {
        self.values.get(path).cloned()
    }

    /// The span of the key of `path`, else of its value.
    pub fn key(&self, path: &str) -> Option<Range<usize>> {
        self.keys.get(path).cloned().or_else(|| self.value(path))
    }
}

/// A YAML document inside a file: where it starts, and its positions.
#[derive(Debug, Clone)]
pub struct YamlDoc {
    pub file: FileId,
    /// Byte offset of the document's first byte in the file.
    pub offset: usize,
    pub positions: Positions,
}

impl YamlDoc {
    /// The location of the value at `path`, falling back to its parent paths.
    pub fn value_at(&self, path: &str) -> Option<Location> {
        let mut path = path;
        loop {
            if let Some(range) = self.positions.value(path) {
                return Some(self.location(range));
            }
            path = path.rsplit_once('.')?.0;
        }
    }

    /// The location of the key at `path` (for unknown or misplaced fields).
    pub fn key_at(&self, path: &str) -> Option<Location> {
        self.positions
            .key(path)
            .map(|r| self.location(r))
            .or_else(|| self.value_at(path))
    }

    fn location(&self, range: Range<usize>) -> Location {
        Location {
            file: self.file,
            range: range.start + self.offset..range.end + self.offset,
        }
    }
}

/// Parses `text` into `T`, collecting the paths of fields `T` does not know.
/// Errors carry the position serde_yaml reports.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: FileId,
    offset: usize,
) -> Result<(T, YamlDoc, Vec<String>), Box<Diagnostic>> {
    let positions = positions(text);
    let doc = YamlDoc {
        file,
        offset,
        positions,
    };
    // An empty document is an empty mapping, not `null`.
    let source = if text.trim().is_empty() { "{}" } else { text };
    let mut unknown = Vec::new();
    let deserializer = serde_yaml::Deserializer::from_str(source);
    let value = serde_ignored::deserialize(deserializer, |path| unknown.push(path.to_string()))
        .map_err(|e| Box::new(yaml_error(&e, &doc, text)))?;
    Ok((value, doc, unknown))
}

fn yaml_error(e: &serde_yaml::Error, doc: &YamlDoc, text: &str) -> Diagnostic {
    let location = e.location().map(|l| {
        let start = l.index().min(text.len());
        let end = text[start..]
            .find('\n')
            .map(|n| start + n)
            .unwrap_or(text.len())
            .max(start);
        Location {
            file: doc.file,
            range: start + doc.offset..end + doc.offset,
        }
    });
    // serde_yaml appends " at line L column C"; the snippet shows that already.
    let message = e.to_string();
    let message = match message.find(" at line ") {
        Some(cut) => message[..cut].to_string(),
        None => message,
    };
    Diagnostic::error("invalid-yaml", message).at(location)
}

/// Records the span of every node of the first document in `text`.
/// Unparseable YAML gives what was seen before the error; serde_yaml reports
/// the error itself.
pub fn positions(text: &str) -> Positions {
    let mut recorder = Recorder {
        text,
        cursor: CharCursor::default(),
        stack: Vec::new(),
        positions: Positions::default(),
        done: false,
    };
    let _ = Parser::new_from_str(text).load(&mut recorder, false);
    recorder.positions
}

enum Frame {
    Mapping {
        path: String,
        key: Option<String>,
        flow: bool,
    },
    Sequence {
        path: String,
        index: usize,
        flow: bool,
    },
}

struct Recorder<'a> {
    text: &'a str,
    cursor: CharCursor,
    stack: Vec<Frame>,
    positions: Positions,
    done: bool,
}

/// Converts yaml-rust2's character indices to byte offsets, walking forward.
#[derive(Default)]
struct CharCursor {
    chars: usize,
    bytes: usize,
}

impl CharCursor {
    fn byte_of(&mut self, text: &str, char_index: usize) -> usize {
        if char_index < self.chars {
            *self = CharCursor::default();
        }
        for c in text[self.bytes..].chars() {
            if self.chars >= char_index {
                break;
            }
            self.chars += 1;
            self.bytes += c.len_utf8();
        }
        self.bytes
    }
}

impl Recorder<'_> {
    /// The path a node now starting would have, and whether it is a key.
    fn next_path(&mut self) -> (String, bool) {
        match self.stack.last_mut() {
            None => (String::new(), false),
            Some(Frame::Mapping { path, key, .. }) => match key {
                None => (path.clone(), true),
                Some(k) => (join(path, k), false),
            },
            Some(Frame::Sequence { path, index, .. }) => {
                let p = join(path, &index.to_string());
                *index += 1;
                (p, false)
            }
        }
    }

    /// After a value ends, its mapping waits for the next key.
    fn value_done(&mut self) {
        if let Some(Frame::Mapping { key, .. }) = self.stack.last_mut() {
            *key = None;
        }
    }

    fn span(&mut self, mark: Marker, flow: bool) -> Range<usize> {
        let start = self.cursor.byte_of(self.text, mark.index());
        start..scalar_end(self.text, start, flow)
    }

    /// Whether the innermost collection is a flow one (`[...]`, `{...}`),
    /// where a plain scalar ends at `,` `]` `}`.
    fn in_flow(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Mapping { flow: true, .. } | Frame::Sequence { flow: true, .. })
        )
    }
}

fn join(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.to_string()
    } else {
        format!("{path}.{segment}")
    }
}

/// Where a scalar that starts at `start` ends in the source: its closing
/// quote, or the end of its line without a trailing comment, or (in flow
/// context) the next `,` `]` `}`.
fn scalar_end(text: &str, start: usize, flow: bool) -> usize {
    let rest = &text[start..];
    let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    let line = &rest[..line_end];
    let mut chars = line.char_indices();
    match chars.next() {
        Some((_, quote @ ('"' | '\''))) => {
            let mut escaped = false;
            for (i, c) in chars {
                if quote == '"' && c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == quote && !escaped {
                    return start + i + 1;
                }
                escaped = false;
            }
            start + line_end
        }
        Some((_, '[' | '{' | '|' | '>')) => start + line.trim_end().len(),
        _ => {
            let mut end = line.len();
            if let Some(i) = line.find(" #") {
                end = i;
            }
            if flow {
                if let Some(i) = line[..end].find([',', ']', '}']) {
                    end = i;
                }
            }
            start + line[..end].trim_end().len()
        }
    }
}

/// A plain key ends before its `:`.
fn key_end(text: &str, span: Range<usize>) -> usize {
    let slice = &text[span.clone()];
    if slice.starts_with(['"', '\'']) {
        return span.end;
    }
    let bytes = slice.as_bytes();
    (0..bytes.len())
        .find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()))
        .map(|i| span.start + i)
        .unwrap_or(span.end)
}

impl MarkedEventReceiver for Recorder<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.done {
            return;
        }
        match event {
            Event::Scalar(value, ..) => {
                let (path, is_key) = self.next_path();
                let flow = self.in_flow();
                let mut span = self.span(mark, flow);
                if is_key {
                    span.end = key_end(self.text, span.clone());
                    let key_path = match self.stack.last() {
                        Some(Frame::Mapping { path, .. }) => join(path, &value),
                        _ => value.clone(),
                    };
                    self.positions.keys.insert(key_path, span);
                    if let Some(Frame::Mapping { key, .. }) = self.stack.last_mut() {
                        *key = Some(value);
                    }
                } else {
                    self.positions.values.insert(path, span);
                    self.value_done();
                }
            }
            Event::Alias(_) => {
                let (path, is_key) = self.next_path();
                if !is_key {
                    let span = self.span(mark, false);
                    self.positions.values.insert(path, span);
                    self.value_done();
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let (path, _) = self.next_path();
                let flow_parent = self.in_flow();
                let span = self.span(mark, flow_parent);
                let flow = self.text[span.start..].starts_with(['[', '{']);
                self.positions.values.entry(path.clone()).or_insert(span);
                self.stack
                    .push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Mapping {
                            path,
                            key: None,
                            flow,
                        }
                    } else {
                        Frame::Sequence {
                            path,
                            index: 0,
                            flow,
                        }
                    });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.value_done();
            }
            Event::DocumentEnd => self.done = true,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_at<'a>(text: &'a str, p: &Positions, path: &str) -> &'a str {
        &text[p.value(path).unwrap()]
    }

    #[test]
    fn records_nested_paths() {
        let text = "title: Hello\nentries:\n  - id: a\n    actors: [Blinken, \"Lavrov\"]\n  - at: \"2022-01-26\" # c\n";
        let p = positions(text);
        assert_eq!(text_at(text, &p, "title"), "Hello");
        assert_eq!(text_at(text, &p, "entries.0.id"), "a");
        assert_eq!(text_at(text, &p, "entries.0.actors.0"), "Blinken");
        assert_eq!(text_at(text, &p, "entries.0.actors.1"), "\"Lavrov\"");
        assert_eq!(text_at(text, &p, "entries.1.at"), "\"2022-01-26\"");
        assert_eq!(&text[p.key("entries.1.at").unwrap()], "at");
    }

    #[test]
    fn offsets_are_bytes_after_multibyte_text() {
        let text = "title: Zelenskyy – Kyiv\nplace: Kyiv\n";
        let p = positions(text);
        assert_eq!(text_at(text, &p, "place"), "Kyiv");
    }
}
