//! A small, tolerant scanner for XML-ish markup.
//!
//! It knows start tags (with `name="value"` or `name='value'` attributes, self-closing or
//! not), end tags, comments, processing instructions and text. It never fails: markup it
//! cannot understand is reported as [`Item::Malformed`] or kept as text, and scanning goes
//! on. Every item carries the 1-based line where it starts.

use std::borrow::Cow;

/// One piece of scanned markup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Item<'a> {
    /// `<name attr="v" ...>` or `<name ... />`.
    Start {
        name: &'a str,
        attrs: Vec<(&'a str, String)>,
        self_closing: bool,
        /// Text inside the tag that is not an attribute (for `<PLEvent {...}>`).
        rest: &'a str,
        line: usize,
    },
    /// `</name>`.
    End { name: &'a str, line: usize },
    /// Character data, raw (entities not yet decoded).
    Text { text: &'a str, line: usize },
    /// `<!-- ... -->`.
    Comment { line: usize },
    /// Markup that could not be read.
    Malformed { reason: String, line: usize },
}

/// Scans `src` into items.
pub(crate) fn scan(src: &str) -> Vec<Item<'_>> {
    let mut sc = Scanner {
        src,
        pos: 0,
        line: 1,
        items: Vec::new(),
    };
    sc.run();
    sc.items
}

struct Scanner<'a> {
    src: &'a str,
    pos: usize,
    line: usize,
    items: Vec<Item<'a>>,
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b':'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'-' | b'.')
}

impl<'a> Scanner<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    /// Advances to byte `to`, counting newlines.
    fn advance(&mut self, to: usize) {
        let to = to.min(self.src.len());
        self.line += self.bytes()[self.pos..to]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.pos = to;
    }

    fn run(&mut self) {
        let mut text_start = self.pos;
        let mut text_line = self.line;
        while self.pos < self.src.len() {
            let b = self.bytes();
            if b[self.pos] != b'<' || !self.starts_markup() {
                // Plain text: skip to the next '<'.
                let next = memchr(b'<', &b[self.pos + 1..]).map_or(b.len(), |k| self.pos + 1 + k);
                self.advance(next);
                continue;
            }
            if text_start < self.pos {
                self.items.push(Item::Text {
                    text: &self.src[text_start..self.pos],
                    line: text_line,
                });
            }
            self.markup();
            text_start = self.pos;
            text_line = self.line;
        }
        if text_start < self.pos {
            self.items.push(Item::Text {
                text: &self.src[text_start..self.pos],
                line: text_line,
            });
        }
    }

    /// Is the `<` at `pos` the start of markup (not a stray less-than sign in text)?
    fn starts_markup(&self) -> bool {
        match self.bytes().get(self.pos + 1) {
            Some(&c) => is_name_start(c) || matches!(c, b'/' | b'!' | b'?'),
            None => false,
        }
    }

    fn markup(&mut self) {
        let rest = &self.src[self.pos..];
        let line = self.line;
        if let Some(body) = rest.strip_prefix("<!--") {
            match body.find("-->") {
                Some(k) => self.advance(self.pos + 4 + k + 3),
                None => {
                    self.items.push(Item::Malformed {
                        reason: "unterminated comment".into(),
                        line,
                    });
                    self.advance(self.src.len());
                    return;
                }
            }
            self.items.push(Item::Comment { line });
            return;
        }
        if rest.starts_with("<?") || rest.starts_with("<!") {
            // Processing instruction, DOCTYPE, CDATA: skip to '>' (CDATA kept as text).
            if let Some(body) = rest.strip_prefix("<![CDATA[") {
                if let Some(k) = body.find("]]>") {
                    let start = self.pos + 9;
                    self.items.push(Item::Text {
                        text: &self.src[start..start + k],
                        line,
                    });
                    self.advance(start + k + 3);
                    return;
                }
            }
            match rest.find('>') {
                Some(k) => self.advance(self.pos + k + 1),
                None => {
                    self.items.push(Item::Malformed {
                        reason: "unterminated declaration".into(),
                        line,
                    });
                    self.advance(self.src.len());
                }
            }
            return;
        }
        // A tag ends at the first '>' outside quotes; a '<' before that means it is broken.
        let bytes = rest.as_bytes();
        let mut quote: Option<u8> = None;
        let mut end = None;
        let mut k = 1;
        while k < bytes.len() {
            let c = bytes[k];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) if c == b'\n' && self.tag_line_limit(&rest[..k]) => break,
                Some(_) => {}
                None if c == b'"' || c == b'\'' => {
                    // Quotes only open after '='.
                    let before = rest[..k].trim_end();
                    if before.ends_with('=') {
                        quote = Some(c);
                    }
                }
                None if c == b'>' => {
                    end = Some(k);
                    break;
                }
                None if c == b'<' => break,
                None => {}
            }
            k += 1;
        }
        let Some(end) = end else {
            // Broken tag: report it and carry on right after the '<'.
            let shown: String = rest.chars().take(30).take_while(|&c| c != '\n').collect();
            self.items.push(Item::Malformed {
                reason: format!("unterminated tag {shown:?}"),
                line,
            });
            self.advance(self.pos + 1);
            return;
        };
        let inner = &rest[1..end];
        self.advance(self.pos + end + 1);
        if let Some(name) = inner.strip_prefix('/') {
            self.items.push(Item::End {
                name: name.trim(),
                line,
            });
            return;
        }
        let (inner, self_closing) = match inner.strip_suffix('/') {
            Some(s) => (s, true),
            None => (inner, false),
        };
        let name_len = inner.bytes().take_while(|&c| is_name_char(c)).count();
        let name = &inner[..name_len];
        let (attrs, rest) = parse_attrs(&inner[name_len..]);
        self.items.push(Item::Start {
            name,
            attrs,
            self_closing,
            rest,
            line,
        });
    }

    /// A quoted attribute value may not run on for more than a few lines.
    fn tag_line_limit(&self, so_far: &str) -> bool {
        so_far.bytes().filter(|&b| b == b'\n').count() >= 4
    }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// Reads `name = "value"` pairs; stops at the first thing that is not one and returns the
/// remaining text.
fn parse_attrs(s: &str) -> (Vec<(&str, String)>, &str) {
    let mut attrs = Vec::new();
    let mut rest = s.trim_start();
    loop {
        let n = rest.bytes().take_while(|&c| is_name_char(c)).count();
        if n == 0 {
            break;
        }
        let name = &rest[..n];
        let after = rest[n..].trim_start();
        let Some(after) = after.strip_prefix('=') else {
            break;
        };
        let after = after.trim_start();
        let Some(q) = after.chars().next().filter(|&c| c == '"' || c == '\'') else {
            // Unquoted value: up to whitespace.
            let v = after.split(char::is_whitespace).next().unwrap_or("");
            if v.is_empty() {
                break;
            }
            attrs.push((name, unescape(v).into_owned()));
            rest = after[v.len()..].trim_start();
            continue;
        };
        let body = &after[1..];
        let Some(close) = body.find(q) else { break };
        attrs.push((name, unescape(&body[..close]).into_owned()));
        rest = body[close + 1..].trim_start();
    }
    (attrs, rest.trim())
}

/// Decodes the five XML entities and numeric character references; anything else
/// (a bare `&`, an unknown entity) is kept as written.
pub(crate) fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(k) = rest.find('&') {
        out.push_str(&rest[..k]);
        rest = &rest[k..];
        let semi = rest[..rest.len().min(12)].find(';');
        let decoded = semi.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => num.parse::<u32>().ok()?,
                    };
                    char::from_u32(code)
                }
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_tags_attributes_comments_and_text() {
        let items = scan("<a x=\"1\" y = 'b&amp;c'>hi<!-- c --><b/></a>");
        assert_eq!(items.len(), 5);
        match &items[0] {
            Item::Start {
                name,
                attrs,
                self_closing,
                ..
            } => {
                assert_eq!(*name, "a");
                assert_eq!(
                    attrs,
                    &vec![("x", "1".to_string()), ("y", "b&c".to_string())]
                );
                assert!(!self_closing);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            items[1],
            Item::Text {
                text: "hi",
                line: 1
            }
        );
        assert_eq!(items[2], Item::Comment { line: 1 });
        assert!(matches!(
            items[3],
            Item::Start {
                name: "b",
                self_closing: true,
                ..
            }
        ));
        assert_eq!(items[4], Item::End { name: "a", line: 1 });
    }

    #[test]
    fn keeps_non_attribute_tag_content_and_counts_lines() {
        let items = scan("x\n<P {\"event\": \"012\"}>\n</P>");
        match &items[1] {
            Item::Start {
                name, rest, line, ..
            } => {
                assert_eq!(*name, "P");
                assert_eq!(*rest, "{\"event\": \"012\"}");
                assert_eq!(*line, 2);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(items[3], Item::End { name: "P", line: 3 });
    }

    #[test]
    fn survives_broken_markup() {
        for src in [
            "<",
            "<a",
            "<a x=\"",
            "<!-- open",
            "a < b",
            "<a <b>",
            "</",
            "<?x",
            "\u{0}<\u{ff}>",
        ] {
            let _ = scan(src);
        }
        let items = scan("<a <b>");
        assert!(matches!(items[0], Item::Malformed { .. }));
        assert!(matches!(items.last(), Some(Item::Start { name: "b", .. })));
        assert_eq!(
            scan("1 < 2"),
            vec![Item::Text {
                text: "1 < 2",
                line: 1
            }]
        );
    }

    #[test]
    fn unescapes_entities() {
        assert_eq!(
            unescape("a &amp; b &lt;c&gt; &quot;&apos; &#65;&#x42; & &bogus;"),
            "a & b <c> \"' AB & &bogus;"
        );
    }
}
