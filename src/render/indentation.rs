//! Templates are written indented, for their authors; the pages need not
//! be. Every space and tab that begins or ends a line of a template is left
//! out before Tera compiles it, except inside `<pre>`, `<textarea>` and
//! `<script>`, where whitespace is content.
//!
//! A browser shows a page the same either way: outside those elements a
//! newline already stands for any run of whitespace. Newlines are all kept,
//! so an error Tera reports in a template names the line the author wrote.
//! At 10,000 articles this is about a twentieth of the HTML.

/// The elements whose whitespace is kept, by the lower-case tag that opens
/// them and the one that closes them.
const VERBATIM: [(&str, &str); 3] = [
    ("<pre", "</pre"),
    ("<textarea", "</textarea"),
    ("<script", "</script"),
];

/// `text` without the spaces and tabs that begin or end its lines, outside
/// the elements of [`VERBATIM`].
pub(super) fn without_indentation(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut verbatim_until: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let started_verbatim = verbatim_until.is_some();
        verbatim_until = verbatim_state_after(body, verbatim_until);
        if started_verbatim || verbatim_until.is_some() {
            // A line inside or touching a verbatim element keeps its
            // whitespace, but the indentation before an opening tag goes.
            let body = if started_verbatim {
                body
            } else {
                body.trim_start_matches([' ', '\t'])
            };
            out.push_str(body);
        } else {
            out.push_str(body.trim_matches([' ', '\t']));
        }
        out.push_str(newline);
    }
    out
}

/// Which verbatim element is open at the end of `line`, given the one open
/// at its start.
fn verbatim_state_after<'a>(line: &str, mut open: Option<&'a str>) -> Option<&'a str> {
    let lower = line.to_ascii_lowercase();
    let mut at = 0;
    loop {
        match open {
            Some(close) => match lower[at..].find(close) {
                Some(i) => {
                    at += i + close.len();
                    open = None;
                }
                None => return open,
            },
            None => {
                let next = VERBATIM
                    .iter()
                    .filter_map(|&(tag, close)| {
                        let i = find_tag(&lower[at..], tag)?;
                        Some((i, tag, close))
                    })
                    .min_by_key(|&(i, _, _)| i);
                match next {
                    Some((i, tag, close)) => {
                        at += i + tag.len();
                        open = Some(close);
                    }
                    None => return None,
                }
            }
        }
    }
}

/// Where `tag` opens an element in `text`: followed by `>`, whitespace or
/// the end of the line, so that `<prefix>` is not taken for `<pre>`.
fn find_tag(text: &str, tag: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(tag) {
        let start = from + i;
        let after = text[start + tag.len()..].chars().next();
        if matches!(after, None | Some('>' | ' ' | '\t' | '/')) {
            return Some(start);
        }
        from = start + tag.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::without_indentation;

    #[test]
    fn indentation_and_trailing_spaces_go_newlines_stay() {
        let template = "<ul>\n    {% for x in xs %}\n    <li>{{ x }}</li>  \n\t{% endfor %}\n</ul>";
        assert_eq!(
            without_indentation(template),
            "<ul>\n{% for x in xs %}\n<li>{{ x }}</li>\n{% endfor %}\n</ul>"
        );
    }

    #[test]
    fn spaces_inside_a_line_are_kept() {
        assert_eq!(
            without_indentation("  <p>{{ a }} {{ b }}</p>"),
            "<p>{{ a }} {{ b }}</p>"
        );
    }

    #[test]
    fn pre_textarea_and_script_keep_their_whitespace() {
        let template = "<div>\n  <pre>\n    code\n  </pre>\n  <p>x</p>\n<script>\n  let a = `\n    b`;\n</script>\n  <TEXTAREA>\n  t\n  </textarea>\n";
        assert_eq!(
            without_indentation(template),
            "<div>\n<pre>\n    code\n  </pre>\n<p>x</p>\n<script>\n  let a = `\n    b`;\n</script>\n<TEXTAREA>\n  t\n  </textarea>\n"
        );
    }

    #[test]
    fn an_element_named_like_pre_is_not_verbatim() {
        assert_eq!(
            without_indentation("<prefix>\n   a\n</prefix>"),
            "<prefix>\na\n</prefix>"
        );
    }

    #[test]
    fn a_verbatim_element_closed_on_its_line_ends_there() {
        assert_eq!(
            without_indentation("  <pre>a</pre>\n   b\n"),
            "<pre>a</pre>\nb\n"
        );
    }

    #[test]
    fn the_number_of_lines_is_kept() {
        let template = "a\n  \n\t\n  b\n";
        let out = without_indentation(template);
        assert_eq!(out.lines().count(), template.lines().count());
    }
}
