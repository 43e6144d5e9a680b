//! The comment and blank-line conventions all PETRARCH/TABARI dictionary files share.
//!
//! * A line whose first characters are `#` or `<!` is skipped whole.
//! * Otherwise a `#` anywhere ends the line.
//! * `<!-- ... -->` is removed; when the `-->` is on a later line, everything up to it is a
//!   comment. The end marker is looked for before `#` is honoured, so `# -->` closes it.
//! * Lines that are blank after this are skipped.

use std::borrow::Cow;

/// One meaningful line: its 1-based number and its text without comments or trailing blanks.
pub(crate) struct Line<'a> {
    pub(crate) no: u32,
    pub(crate) text: Cow<'a, str>,
    /// What followed a `#` on the line, trimmed (empty when there was none).
    pub(crate) comment: &'a str,
}

/// Iterates over the meaningful lines of a dictionary file.
pub(crate) struct Lines<'a> {
    inner: std::iter::Enumerate<std::str::Lines<'a>>,
    in_comment: bool,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Lines<'a> {
        Lines {
            inner: text.lines().enumerate(),
            in_comment: false,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        for (i, raw) in self.inner.by_ref() {
            let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let mut rest: &'a str = raw.strip_suffix('\r').unwrap_or(raw);
            if self.in_comment {
                match rest.find("-->") {
                    Some(p) => {
                        self.in_comment = false;
                        rest = &rest[p + 3..];
                    }
                    None => continue,
                }
            } else if rest.starts_with('#') {
                continue;
            } else if rest.starts_with("<!") {
                // A one-line XML comment, or the opening of a longer one.
                if rest.starts_with("<!--") && !rest.contains("-->") {
                    self.in_comment = true;
                }
                continue;
            }
            let comment = match (rest.find('#'), rest.find("<!--")) {
                (Some(h), x) if x.is_none() || Some(h) < x => rest[h + 1..].trim(),
                _ => "",
            };
            let text = strip_comments(rest, &mut self.in_comment);
            if text.trim().is_empty() {
                continue;
            }
            return Some(Line { no, text, comment });
        }
        None
    }
}

/// Removes `#` comments and inline XML comments from one line.
fn strip_comments<'a>(line: &'a str, in_comment: &mut bool) -> Cow<'a, str> {
    let hash = line.find('#');
    let xml = line.find("<!--");
    match (hash, xml) {
        (Some(h), x) if x.is_none() || Some(h) < x => Cow::Borrowed(line[..h].trim_end()),
        (_, Some(x)) => {
            let head = &line[..x];
            let after = &line[x + 4..];
            match after.find("-->") {
                Some(e) => {
                    let mut s = head.to_string();
                    s.push_str(&strip_comments(&after[e + 3..], in_comment));
                    Cow::Owned(s.trim_end().to_string())
                }
                None => {
                    *in_comment = true;
                    Cow::Borrowed(head.trim_end())
                }
            }
        }
        _ => Cow::Borrowed(line.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(text: &str) -> Vec<(u32, String)> {
        Lines::new(text)
            .map(|l| (l.no, l.text.into_owned()))
            .collect()
    }

    #[test]
    fn skips_hash_and_xml_comments() {
        let text =
            "# header\nA [X] # note\n<!-- one -->\n\nB <!-- mid --> C\n<!--\n# inner\n# -->\nD\n";
        assert_eq!(
            collect(text),
            vec![(2, "A [X]".into()), (5, "B  C".into()), (9, "D".into())]
        );
    }

    #[test]
    fn keeps_leading_tabs_and_handles_crlf() {
        assert_eq!(
            collect("X\r\n\t[Y 1-2]\r\n"),
            vec![(1, "X".into()), (2, "\t[Y 1-2]".into())]
        );
    }

    #[test]
    fn unterminated_inline_comment_runs_to_its_end_marker() {
        assert_eq!(
            collect("A <!-- open\nstill\nend --> B\n"),
            vec![(1, "A".into()), (3, " B".into())]
        );
    }
}
