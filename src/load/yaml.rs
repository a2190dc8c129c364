//! YAML with positions.
//!
//! serde_yaml gives typed values but no positions for them. To point a
//! diagnostic at `entries[3].actors[1]`, a second, event-level pass with
//! yaml-rust2 records where every node starts, keyed by its path
//! (`entries.3.actors.1`), the same form of path `serde_ignored` reports.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, FileId, Location};

/// Where each node of a YAML document is, by path.
#[derive(Debug, Default, Clone)]
pub struct Positions {
    values: HashMap<String, Range<usize>>,
    keys: HashMap<String, Range<usize>>,
    /// Keys given twice in one mapping: the path, the first and the second.
    pub duplicates: Vec<(String, Range<usize>, Range<usize>)>,
    /// Where nesting first went deeper than [`MAX_DEPTH`].
    pub too_deep: Option<Range<usize>>,
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

/// A YAML document inside a file: where it is, and (worked out on first
/// use, as most documents never need them) where each of its nodes is.
#[derive(Debug, Clone)]
pub struct YamlDoc {
    pub file: FileId,
    /// Byte offset of the document's first byte in the file.
    pub offset: usize,
    /// The file's text; the document is `source[offset..end]`. Empty once
    /// released ([`Self::release`]) until a position is asked for.
    source: OnceLock<Arc<str>>,
    /// Where the file is read again from once its text is released.
    origin: Option<PathBuf>,
    end: usize,
    positions: OnceLock<Positions>,
}

impl YamlDoc {
    /// A document spanning `range` of `source`, the text of `file`.
    pub fn new(file: FileId, source: Arc<str>, range: Range<usize>) -> Self {
        YamlDoc {
            file,
            offset: range.start,
            end: range.end,
            source: OnceLock::from(source),
            origin: None,
            positions: OnceLock::new(),
        }
    }

    /// Where the document ends in its file.
    pub fn end(&self) -> usize {
        self.end
    }

    /// Points the document at another copy of its file's text, which must
    /// hold at least the document's bytes at the same offsets.
    pub fn set_source(&mut self, source: Arc<str>) {
        debug_assert!(source.get(self.offset..self.end).is_some());
        self.source = OnceLock::from(source);
    }

    /// Lets go of the file's text: it is read again from `origin` (the
    /// file's path) if a position is asked for later, as only a document
    /// with a problem ever needs one.
    pub fn release(&mut self, origin: PathBuf) {
        self.source = OnceLock::new();
        self.origin = Some(origin);
    }

    /// The document's text (empty if its file, released, can no longer be
    /// read).
    pub fn text(&self) -> &str {
        let source = self.source.get_or_init(|| {
            self.origin
                .as_deref()
                .and_then(|path| crate::load::read_text(path, path).ok())
                .map_or_else(|| Arc::from(""), Arc::from)
        });
        source.get(self.offset..self.end).unwrap_or("")
    }

    /// Where each node is.
    pub fn positions(&self) -> &Positions {
        self.positions.get_or_init(|| positions(self.text()))
    }

    /// The location of the value at `path`, falling back to its parent paths.
    pub fn value_at(&self, path: &str) -> Option<Location> {
        let mut path = path;
        loop {
            if let Some(range) = self.positions().value(path) {
                return Some(self.location(range));
            }
            path = path.rsplit_once('.')?.0;
        }
    }

    /// The location of the key at `path` (for unknown or misplaced fields).
    pub fn key_at(&self, path: &str) -> Option<Location> {
        self.positions()
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

/// Parses `range` of `source` (the text of `file`) into `T`, collecting
/// the paths of fields `T` does not know. Errors carry positions.
pub fn parse<T: DeserializeOwned>(
    source: &Arc<str>,
    range: Range<usize>,
    file: FileId,
) -> Result<(T, YamlDoc, Vec<String>), Box<Diagnostic>> {
    let doc = YamlDoc::new(file, source.clone(), range);
    let text = doc.text();
    // serde_yaml takes minutes over a document nested 100,000 deep before
    // refusing it; a cheap count of brackets decides whether to look closer.
    if max_bracket_depth(text) > MAX_DEPTH {
        if let Some(d) = structural_error(&doc) {
            return Err(Box::new(d));
        }
    }
    // An empty document is an empty mapping, not `null`.
    let yaml = if text.trim().is_empty() { "{}" } else { text };
    let mut unknown = Vec::new();
    let deserializer = serde_yaml::Deserializer::from_str(yaml);
    let value = serde_ignored::deserialize(deserializer, |path| unknown.push(path.to_string()))
        // A duplicate struct field is a serde error placed at its mapping;
        // the position pass places it at the second use.
        .map_err(|e| {
            Box::new(structural_error(&doc).unwrap_or_else(|| yaml_error(&e, &doc, text)))
        })?;
    Ok((value, doc, unknown))
}

/// Like [`parse`], and also refuses a key given twice in a mapping, which
/// serde_yaml merges silently into a map (registries are maps of ids).
pub fn parse_map<T: DeserializeOwned>(
    source: &Arc<str>,
    range: Range<usize>,
    file: FileId,
) -> Result<(T, YamlDoc, Vec<String>), Box<Diagnostic>> {
    let parsed = parse(source, range, file)?;
    match structural_error(&parsed.1) {
        Some(d) => Err(Box::new(d)),
        None => Ok(parsed),
    }
}

/// The deepest nesting of `[` and `{`, counting every bracket: an upper
/// bound of the flow nesting, in one pass without allocating.
fn max_bracket_depth(text: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for b in text.bytes() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Nesting too deep, or a key given twice, found by the position pass.
fn structural_error(doc: &YamlDoc) -> Option<Diagnostic> {
    let positions = doc.positions();
    if let Some(at) = positions.too_deep.clone() {
        return Some(
            Diagnostic::error(
                Code::InvalidYaml,
                format!("nested more than {MAX_DEPTH} levels deep"),
            )
            .at(Some(doc.location(at)))
            .with_label("too deep from here")
            .with_hint("annotations need a few levels: a list of entries, each with its lists"),
        );
    }
    let (path, first, second) = positions.duplicates.first()?;
    let name = path.rsplit('.').next().unwrap_or(path);
    Some(
        Diagnostic::error(Code::DuplicateKey, format!("`{name}` is given twice"))
            .at(Some(doc.location(second.clone())))
            .with_label("given again here")
            .with_related(Some(doc.location(first.clone())), "first given here")
            .with_hint("keep one of them; a later value would silently replace the earlier"),
    )
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
    let mut d = Diagnostic::error(Code::InvalidYaml, message.clone()).at(location);
    if message.contains("mapping values are not allowed") {
        let mut at = e.location().map_or(0, |l| l.index().min(text.len()));
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
        d = d.with_hint(quote_hint(&text[start..end]));
    }
    d
}

/// What to write for a line whose value holds `: ` unquoted, as
/// `headline: Oktay: 284 dead`: the value in double quotes.
fn quote_hint(line: &str) -> String {
    let general = "a value holding \": \" must be quoted: put it in double quotes";
    let trimmed = line.trim_end();
    let Some(colon) = trimmed.find(": ") else {
        return general.to_string();
    };
    let (key, value) = (&trimmed[..colon], trimmed[colon + 2..].trim());
    let key_ok = key
        .trim_start_matches([' ', '-'])
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !key_ok || value.is_empty() || value.starts_with(['"', '\'']) {
        return general.to_string();
    }
    let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "{general}, so that the first \": \" alone separates name and value: `{}: \"{quoted}\"`",
        key.trim_start()
    )
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
    if let Err(e) = Parser::new_from_str(text).load(&mut recorder, false) {
        // yaml-rust2's scanner gives up at 255 open brackets, ahead of the parser.
        if e.info().contains("recursion limit") && recorder.positions.too_deep.is_none() {
            let at = recorder.cursor.byte_of(text, e.marker().index());
            recorder.positions.too_deep = Some(at..at + 1);
        }
    }
    recorder.positions
}

/// The deepest nesting a document may have; annotations need about five.
pub const MAX_DEPTH: usize = 64;

enum Frame {
    Mapping {
        path: String,
        key: Option<String>,
        flow: bool,
        seen: HashMap<String, Range<usize>>,
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
        // Markers mostly move forward, but a key's comes after its mapping's:
        // step back from here rather than from the start.
        if char_index < self.chars {
            for c in text[..self.bytes].chars().rev() {
                if self.chars == char_index {
                    break;
                }
                self.chars -= 1;
                self.bytes -= c.len_utf8();
            }
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

/// Where a node that starts at `start` ends in the source: a quoted
/// scalar at its closing quote; a plain one before a comment, a `: `, the
/// line's end or (in flow context) `,` `]` `}`; a collection or block
/// scalar just after its opening character. Scans only the node itself, so
/// a long line of many nodes costs linear time.
fn scalar_end(text: &str, start: usize, flow: bool) -> usize {
    let bytes = text.as_bytes();
    let Some(&first) = bytes.get(start) else {
        return start;
    };
    match first {
        b'"' | b'\'' => {
            let mut i = start + 1;
            while i < bytes.len() && bytes[i] != b'\n' {
                if first == b'"' && bytes[i] == b'\\' {
                    i += 2;
                    continue;
                }
                if bytes[i] == first {
                    return i + 1;
                }
                i += 1;
            }
            i.min(bytes.len())
        }
        b'[' | b'{' | b'|' | b'>' => start + 1,
        _ => {
            let mut end = start;
            for (i, &b) in bytes.iter().enumerate().skip(start) {
                let before_space = i > start && bytes[i - 1] == b' ';
                let after_space = bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace());
                if b == b'\n'
                    || b == b'\r'
                    || (b == b'#' && before_space)
                    || (b == b':' && after_space)
                {
                    break;
                }
                if flow && matches!(b, b',' | b']' | b'}') {
                    break;
                }
                // Bytes of a multi-byte character are never white space, so
                // `end` always lands after a whole character.
                if !b.is_ascii_whitespace() {
                    end = i + 1;
                }
            }
            end
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
                    if let Some(Frame::Mapping { key, seen, .. }) = self.stack.last_mut() {
                        if let Some(first) = seen.get(&value) {
                            self.positions.duplicates.push((
                                key_path.clone(),
                                first.clone(),
                                span.clone(),
                            ));
                        } else {
                            seen.insert(value.clone(), span.clone());
                        }
                        *key = Some(value);
                    }
                    self.positions.keys.entry(key_path).or_insert(span);
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
            // Paths repeat their parents', so they cost depth² memory; serde_yaml
            // refuses such depth anyway (its recursion limit is 128).
            Event::MappingStart(..) | Event::SequenceStart(..) if self.stack.len() >= MAX_DEPTH => {
                let at = self.span(mark, false);
                self.positions.too_deep = Some(at);
                self.done = true;
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
                            seen: HashMap::new(),
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
    fn a_released_document_reads_its_file_again_for_a_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        let text = "\u{feff}title: T\nentries:\n  - id: x\n    at: 2022-01-26\n";
        std::fs::write(&path, text).unwrap();
        // As load reads it: without the byte-order mark.
        let source: Arc<str> = Arc::from(&text[3..]);
        let (_, mut doc, _) =
            parse::<serde_yaml::Value>(&source, 0..source.len(), 0).expect("valid YAML");
        // Positions asked of a copy: the document itself has none yet.
        let before = doc.clone().value_at("entries.0.at").unwrap();
        doc.release(path.clone());
        drop(source);
        assert_eq!(doc.value_at("entries.0.at").unwrap().range, before.range);
        assert_eq!(&doc.text()[before.range.clone()], "2022-01-26");
        // A file gone by then gives no position, and no panic.
        let mut gone = doc.clone();
        gone.release(dir.path().join("missing.yaml"));
        assert_eq!(gone.text(), "");
        assert!(gone.value_at("entries.0.at").is_some(), "positions kept");
        let mut fresh = YamlDoc::new(0, Arc::from(""), 0..0);
        fresh.release(dir.path().join("missing.yaml"));
        assert!(fresh.value_at("entries.0.at").is_none());
    }

    #[test]
    fn a_value_holding_a_colon_is_told_to_be_quoted() {
        let text = "title: T\nentries:\n  - headline: Oktay: 284 dead\n";
        let source: Arc<str> = Arc::from(text);
        let mut files = crate::diagnostics::SourceFiles::default();
        let file = files.add("a.yaml".into(), text.to_string());
        let Err(d) = parse::<serde_yaml::Value>(&source, 0..text.len(), file) else {
            panic!("not valid YAML");
        };
        assert!(d.message.contains("mapping values"), "{d:?}");
        assert_eq!(
            files.get(file).line_col(d.location.unwrap().range.start).0,
            3
        );
        assert!(
            d.hints
                .iter()
                .any(|h| h.contains("`- headline: \"Oktay: 284 dead\"`")),
            "{:?}",
            d.hints
        );
        assert_eq!(
            quote_hint("summary: He said \"no: never\""),
            "a value holding \": \" must be quoted: put it in double quotes, so that the first \
             \": \" alone separates name and value: `summary: \"He said \\\"no: never\\\"\"`"
        );
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
    fn duplicate_keys_are_found_at_their_second_use() {
        let text = "lavrov:\n  name: A\nblinken:\n  name: B\nlavrov:\n  name: C\n";
        let p = positions(text);
        let (path, first, second) = &p.duplicates[0];
        assert_eq!(path, "lavrov");
        assert_eq!(
            (first.start, second.start),
            (0, text.rfind("lavrov").unwrap())
        );
        assert!(
            positions("a: 1\nb: {a: 2}\n").duplicates.is_empty(),
            "same key in another mapping"
        );
    }

    #[test]
    fn long_lines_and_deep_nesting_are_positioned() {
        // Both once took minutes, when every node scanned the rest of its line.
        let list = format!(
            "aliases: [{}]\n",
            (0..20_000)
                .map(|i| format!("a{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let p = positions(&list);
        assert_eq!(&list[p.value("aliases.19999").unwrap()], "a19999");
        assert_eq!(&list[p.value("aliases").unwrap()], "[");
        let deep = format!("x: {}y{}\n", "[".repeat(50), "]".repeat(50));
        let p = positions(&deep);
        assert_eq!(
            &deep[p.value(&format!("x{}", ".0".repeat(50))).unwrap()],
            "y"
        );
        // Deeper than anyone writes: noticed, so it is refused before serde_yaml
        // spends minutes on it.
        for depth in [MAX_DEPTH + 1, 300, 100_000] {
            let abyss = format!("x: {}y{}\n", "[".repeat(depth), "]".repeat(depth));
            assert!(positions(&abyss).too_deep.is_some(), "{depth}");
        }
        assert!(positions(&deep).too_deep.is_none());
    }

    #[test]
    fn offsets_are_bytes_after_multibyte_text() {
        let text = "title: Zelenskyy – Kyiv\nplace: Kyiv\n";
        let p = positions(text);
        assert_eq!(text_at(text, &p, "place"), "Kyiv");
    }
}
