//! Aligning parse tokens to the sentence text: fills [`Token::span`].
//!
//! Parsers rewrite the words they read: brackets become `-LRB-`, double quotes become
//! ` `` ` and `''`, case may change. [`align_tokens`] walks the text left to right and finds
//! each token in turn, accepting those rewrites, so every token knows which characters of
//! the original sentence it stands for.

use std::fmt;

use dyad_types::{CharSpan, Token};

/// Collapses every run of whitespace (newlines, indentation, tabs) to one space and trims
/// the ends. PETRARCH `<Text>` blocks are wrapped over several indented lines; this is the
/// text [`ParsedSentence::text`](dyad_types::ParsedSentence::text) keeps.
///
/// ```
/// assert_eq!(dyad_io::normalize_whitespace("\n  Arnor is\n   about \t to\n"), "Arnor is about to");
/// ```
pub fn normalize_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A token that could not be found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlignError {
    /// 0-based index of the token.
    pub index: usize,
    /// Its form.
    pub token: String,
    /// Character offset in the text where the search for it began.
    pub offset: usize,
}

impl fmt::Display for AlignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "tokens don't match text: token {} {:?} not found after char {}",
            self.index, self.token, self.offset
        )
    }
}

impl std::error::Error for AlignError {}

/// How far ahead (in characters) a token may be found when only punctuation and spaces
/// are skipped to reach it.
const SKIP_WINDOW: usize = 12;

/// Fills `span` (character offsets into `text`) for every token, in order.
///
/// Each token is looked for at the current position, after skipping whitespace; failing
/// that, a few punctuation characters may be skipped (parsers drop or move some). Matching
/// ignores case and accepts Treebank rewrites: ` `` `/`''` for any double quote,
/// `` ` ``/`'` for any single quote, `--` for dashes, `...` for an ellipsis, any opening
/// bracket for `(`. A token made only of punctuation that is not in the text (a full stop
/// the parser added) keeps `span = None`. Any other token that cannot be found is an error,
/// and the spans of the tokens before it are left filled in.
///
/// ```
/// use dyad_types::Token;
/// let mut toks: Vec<Token> = ["He", "said", "``", "no", "''", "-LRB-", "sic", "-RRB-"]
///     .iter()
///     .map(|w| Token { form: dyad_io::unescape_treebank(w).into_owned(), ..Token::default() })
///     .collect();
/// let text = "He said \u{201c}No\u{201d} (sic)";
/// dyad_io::align_tokens(text, &mut toks)?;
/// let s = toks[3].span.unwrap();
/// assert_eq!(text.chars().skip(s.start).take(s.end - s.start).collect::<String>(), "No");
/// # Ok::<(), dyad_io::AlignError>(())
/// ```
pub fn align_tokens(text: &str, tokens: &mut [Token]) -> Result<(), AlignError> {
    let missing = align(text, tokens, true);
    match missing.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Like [`align_tokens`] but never fails: tokens that cannot be found keep `span = None`
/// and the search goes on with the next one. Returns the tokens that were not found.
pub fn align_tokens_lenient(text: &str, tokens: &mut [Token]) -> Vec<AlignError> {
    align(text, tokens, false)
}

fn align(text: &str, tokens: &mut [Token], stop_at_first: bool) -> Vec<AlignError> {
    let chars: Vec<char> = text.chars().collect();
    let mut cur = 0usize;
    let mut errors = Vec::new();
    // After a token was not found (lenient mode), the next one may be anywhere ahead.
    let mut resync = false;
    for (index, tok) in tokens.iter_mut().enumerate() {
        tok.span = None;
        while chars.get(cur).is_some_and(|c| c.is_whitespace()) {
            cur += 1;
        }
        let form = tok.form.as_str();
        let mut found = None;
        let mut p = cur;
        while p <= chars.len() && (resync || p <= cur + SKIP_WINDOW) {
            if let Some(end) = match_at(&chars, p, form) {
                // When resynchronising, a word must start at a word boundary.
                let boundary = !resync || p == 0 || !chars[p - 1].is_alphanumeric();
                if boundary {
                    found = Some((p, end));
                    break;
                }
            }
            // Only punctuation and spaces may be skipped over (anything when resynchronising).
            match chars.get(p) {
                Some(c) if resync || !c.is_alphanumeric() => p += 1,
                _ => break,
            }
        }
        match found {
            Some((start, end)) => {
                tok.span = Some(CharSpan::new(start, end));
                cur = end;
                resync = false;
            }
            None if !form.is_empty() && form.chars().all(|c| !c.is_alphanumeric()) => {}
            None => {
                resync = true;
                errors.push(AlignError {
                    index,
                    token: tok.form.clone(),
                    offset: cur,
                });
                if stop_at_first {
                    return errors;
                }
            }
        }
    }
    errors
}

fn is_double_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{ab}' | '\u{bb}' | '\u{2033}'
    )
}

fn is_single_quote(c: char) -> bool {
    matches!(
        c,
        '\'' | '`' | '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{b4}' | '\u{2032}'
    )
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

fn is_open_bracket(c: char) -> bool {
    matches!(c, '(' | '[' | '{' | '<')
}

fn is_close_bracket(c: char) -> bool {
    matches!(c, ')' | ']' | '}' | '>')
}

/// Where a whole-token rewrite matches at `p`, its end.
fn match_special(chars: &[char], p: usize, form: &str) -> Option<usize> {
    let at = |k: usize| chars.get(p + k).copied();
    let starts = |s: &str| s.chars().enumerate().all(|(k, c)| at(k) == Some(c));
    match form {
        "``" | "''" | "\"" => {
            if starts("``") || starts("''") {
                Some(p + 2)
            } else if at(0).is_some_and(is_double_quote) {
                Some(p + 1)
            } else {
                None
            }
        }
        "`" | "'" => at(0).filter(|&c| is_single_quote(c)).map(|_| p + 1),
        "--" | "-" => {
            let n = (0..).take_while(|&k| at(k).is_some_and(is_dash)).count();
            (n > 0).then_some(p + n)
        }
        "..." | "\u{2026}" => {
            if at(0) == Some('\u{2026}') {
                return Some(p + 1);
            }
            let mut k = 0;
            let mut dots = 0;
            while dots < 3 {
                match at(k) {
                    Some('.') => dots += 1,
                    Some(' ') if dots > 0 => {}
                    _ => return None,
                }
                k += 1;
            }
            Some(p + k)
        }
        "(" | "[" | "{" => at(0).filter(|&c| is_open_bracket(c)).map(|_| p + 1),
        ")" | "]" | "}" => at(0).filter(|&c| is_close_bracket(c)).map(|_| p + 1),
        _ => None,
    }
}

fn same_char(a: char, b: char) -> bool {
    a == b
        || a.to_lowercase().eq(b.to_lowercase())
        || (is_single_quote(a) && is_single_quote(b))
        || (is_double_quote(a) && is_double_quote(b))
        || (is_dash(a) && is_dash(b))
}

/// Where `form` matches the text at `p`, the end of the match.
fn match_at(chars: &[char], p: usize, form: &str) -> Option<usize> {
    if form.is_empty() {
        return None;
    }
    if let Some(end) = match_special(chars, p, form) {
        return Some(end);
    }
    // Treebank escapes left in a form (`-LRB-` in some CoNLL-U files).
    let unescaped = crate::treebank::unescape_treebank(form);
    if unescaped != form {
        return match_at(chars, p, &unescaped);
    }
    let mut q = p;
    let mut fc = form.chars().peekable();
    while let Some(c) = fc.next() {
        if c.is_whitespace() {
            // A space inside a token matches any run of whitespace, even an empty one.
            while fc.peek().is_some_and(|c| c.is_whitespace()) {
                fc.next();
            }
            while chars.get(q).is_some_and(|c| c.is_whitespace()) {
                q += 1;
            }
            continue;
        }
        match chars.get(q) {
            Some(&t) if same_char(c, t) => q += 1,
            _ => return None,
        }
    }
    Some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(words: &[&str]) -> Vec<Token> {
        words
            .iter()
            .map(|w| Token {
                form: w.to_string(),
                ..Token::default()
            })
            .collect()
    }

    fn slice(text: &str, s: CharSpan) -> String {
        text.chars().skip(s.start).take(s.end - s.start).collect()
    }

    #[test]
    fn aligns_plain_words_and_punctuation() {
        let text = "Arnor restored ties with Gondor, officials said.";
        let mut t = toks(&[
            "Arnor",
            "restored",
            "ties",
            "with",
            "Gondor",
            ",",
            "officials",
            "said",
            ".",
        ]);
        align_tokens(text, &mut t).unwrap();
        for tok in &t {
            assert_eq!(slice(text, tok.span.unwrap()), tok.form);
        }
    }

    #[test]
    fn accepts_case_changes_and_contractions() {
        let text = "ALL OF THE TESTS didn\u{2019}t fail";
        let mut t = toks(&["All", "of", "the", "tests", "did", "n't", "fail"]);
        align_tokens(text, &mut t).unwrap();
        assert_eq!(slice(text, t[5].span.unwrap()), "n\u{2019}t");
    }

    #[test]
    fn tolerates_dropped_and_added_punctuation() {
        let text = "CEBU CITY: -- Mayor Sitoy spoke";
        let mut t = toks(&["CEBU", "CITY", "--", "Mayor", "Sitoy", "spoke", "."]);
        align_tokens(text, &mut t).unwrap();
        assert_eq!(slice(text, t[2].span.unwrap()), "--");
        assert_eq!(t[6].span, None);
    }

    #[test]
    fn reports_a_word_missing_from_the_text() {
        let text = "The Criminal Court met";
        let mut t = toks(&["The", "Criminal", "Police", "met"]);
        let e = align_tokens(text, &mut t).unwrap_err();
        assert_eq!((e.index, e.token.as_str()), (2, "Police"));
        assert!(e.to_string().starts_with("tokens don't match text"));
        let mut t = toks(&["The", "Criminal", "Police", "met"]);
        let missing = align_tokens_lenient(text, &mut t);
        assert_eq!(missing.len(), 1);
        assert_eq!(slice(text, t[3].span.unwrap()), "met");
    }

    #[test]
    fn spans_count_characters_not_bytes() {
        let text = "Zürich \u{201c}é\u{201d} ok";
        let mut t = toks(&["Zürich", "``", "é", "''", "ok"]);
        align_tokens(text, &mut t).unwrap();
        assert_eq!(t[4].span, Some(CharSpan::new(11, 13)));
    }

    #[test]
    fn empty_inputs_do_not_panic() {
        let mut t = toks(&["", "x"]);
        assert!(align_tokens("", &mut t).is_err());
        assert!(align_tokens("abc", &mut []).is_ok());
    }
}
