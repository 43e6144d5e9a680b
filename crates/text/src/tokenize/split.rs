//! Sentence splitting over lexed tokens.
//!
//! Boundaries, in order of strength:
//!
//! 1. a blank line (two or more line breaks, a form feed or U+2029) always ends a sentence;
//! 2. a wire-copy dateline at the start of a paragraph or line ("SEOUL (Reuters) -",
//!    "BEIJING, China -", "WASHINGTON--") is a sentence of its own;
//! 3. a single line break ends a sentence (a headline, a line without final punctuation) unless
//!    the next line starts in lower case, the line ends with a comma, a hyphen or a function
//!    word ("of", "the", …), or the text looks hard-wrapped (most lines are long and stop
//!    mid-sentence; judged per paragraph of three lines or more, else over the whole text).
//!    In hard-wrapped text a line break still ends a sentence after a line shorter than 60%
//!    of the longest line, or a headline-like line in title case;
//! 4. terminal punctuation (`.`, `!`, `?`, runs of them, `…`) ends a sentence when what follows
//!    does not continue it (a lower-case word after `...`, a comma, a closing bracket); closing
//!    quotes and brackets attached to it stay with the sentence (`he said."`);
//! 5. an abbreviation that keeps its period ends a sentence only before a typical sentence
//!    opener ("The", "He", "But", …) when it is capitalised ("U.S.", "Inc.": "the U.S. Army"
//!    goes on), before any capitalised word but a day, month or time zone when it is in lower
//!    case ("etc.", "p.m.", "pct."), and never when it is a title ("Dr.", "Gen.") or an
//!    initial ("J. R. R. Tolkien"). When it does, its period becomes a token of its
//!    own, as in UD EWT ("etc" + ".").
//!
//! Finally no sentence is longer than [`super::MAX_SENTENCE_TOKENS`]: longer runs are cut after
//! a `;`, `:` or `,` near the limit, or at the limit.

use super::lexer::{is_abbreviation, EMOTICONS};
use super::{RawToken, MAX_SENTENCE_TOKENS};

/// Line breaks in the whitespace between two tokens (a paragraph break counts two).
fn line_breaks(gap: &str) -> u32 {
    let mut n = 0u32;
    let mut prev_cr = false;
    for c in gap.chars() {
        match c {
            '\n' if prev_cr => {}
            '\n' | '\r' | '\u{0B}' | '\u{85}' | '\u{2028}' => n += 1,
            '\u{0C}' | '\u{2029}' => n += 2,
            _ => {}
        }
        prev_cr = c == '\r';
        if n >= 2 {
            return 2;
        }
    }
    n
}

fn first_char(s: &str) -> char {
    s.chars().next().unwrap_or(' ')
}

fn is_terminal(form: &str) -> bool {
    !form.is_empty()
        && form.chars().all(|c| {
            matches!(
                c,
                '.' | '!' | '?' | '\u{2026}' | '\u{3002}' | '\u{FF01}' | '\u{FF1F}'
            )
        })
}

fn is_ellipsis(form: &str) -> bool {
    form == "\u{2026}" || (form.len() >= 2 && form.bytes().all(|b| b == b'.'))
}

fn is_closing(form: &str) -> bool {
    matches!(
        form,
        "\"" | "'"
            | "''"
            | "\u{201D}"
            | "\u{2019}"
            | "\u{BB}"
            | ")"
            | "]"
            | "}"
            | "\u{203A}"
            | "\u{300D}"
            | "\u{300F}"
    )
}

fn is_opening(form: &str) -> bool {
    matches!(
        form,
        "\"" | "'" | "``" | "`" | "\u{201C}" | "\u{2018}" | "\u{AB}" | "(" | "[" | "{" | "\u{2039}"
    )
}

/// "1" … "99", "a" … "z", "A" … "Z": what numbers a list item.
fn is_list_number(form: &str) -> bool {
    (form.len() <= 2 && form.bytes().all(|b| b.is_ascii_digit()))
        || (form.len() == 1 && form.bytes().all(|b| b.is_ascii_alphabetic()))
}

fn is_link(form: &str) -> bool {
    let b = form.as_bytes();
    let starts = |p: &[u8]| b.len() > p.len() && b[..p.len()].eq_ignore_ascii_case(p);
    starts(b"http://") || starts(b"https://") || starts(b"www.")
}

fn is_emoticon(form: &str) -> bool {
    EMOTICONS.contains(&form)
}

fn is_dash(form: &str) -> bool {
    matches!(
        form,
        "-" | "--" | "---" | "\u{2013}" | "\u{2014}" | "\u{2015}" | "_"
    )
}

/// An abbreviation token that kept its period ("U.S.", "Dr.", "J.").
pub(crate) fn is_abbrev_token(form: &str) -> bool {
    form.len() > 1 && form.ends_with('.') && form.chars().next().is_some_and(char::is_alphanumeric)
}

/// Abbreviations that precede a name and never end a sentence.
fn is_title(form: &str) -> bool {
    let w = form.trim_end_matches('.');
    if w.chars().count() == 1 {
        return true; // an initial
    }
    const TITLES: &[&str] = &[
        "adm", "brig", "capt", "cmdr", "col", "cpl", "dr", "gen", "gov", "hon", "lt", "maj",
        "messrs", "mr", "mrs", "ms", "mt", "no", "nos", "prof", "pvt", "rep", "reps", "rev", "sen",
        "sens", "sgt", "st", "supt", "vs", "p.s", "ps", "amb", "det", "fr", "gens", "insp", "msgr",
        "pfc", "pres", "e.g", "i.e", "cf", "approx", "ft", "fig", "op", "pp", "vol",
    ];
    let lower = w.to_ascii_lowercase();
    TITLES.contains(&lower.as_str())
}

/// Words that typically open a sentence; an abbreviation before one of them ends its sentence.
fn is_opener(form: &str) -> bool {
    const OPENERS: &[&str] = &[
        "A", "After", "Also", "An", "And", "Are", "As", "At", "But", "By", "Can", "Do", "Does",
        "For", "From", "He", "Her", "Here", "His", "How", "I", "If", "In", "It", "Its", "Many",
        "More", "Most", "My", "No", "Not", "Now", "On", "One", "Our", "Please", "She", "So",
        "Some", "That", "The", "Their", "There", "These", "They", "This", "Those", "Thus", "To",
        "We", "What", "When", "Where", "Which", "While", "Who", "Why", "With", "Yet", "You",
        "Your",
    ];
    OPENERS.contains(&form)
}

/// "Prices", "I": an upper-case letter, then lower case (not an acronym such as "EST").
fn is_capitalized(form: &str) -> bool {
    let mut cs = form.chars();
    cs.next().is_some_and(char::is_uppercase)
        && (form.chars().count() == 1 || cs.any(char::is_lowercase))
}

/// Days, months and time zones, which often follow "p.m." inside a sentence.
fn is_calendar_word(form: &str) -> bool {
    const WORDS: &[&str] = &[
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Eastern",
        "Central",
        "Pacific",
        "Mountain",
        "Jan.",
        "Feb.",
        "Mar.",
        "Apr.",
        "Aug.",
        "Sept.",
        "Sep.",
        "Oct.",
        "Nov.",
        "Dec.",
    ];
    WORDS.contains(&form)
}

/// Words after which a line break does not end a sentence.
fn continues_line(form: &str) -> bool {
    const WORDS: &[&str] = &[
        ",", ";", "-", "&", "/", "a", "an", "and", "as", "at", "by", "for", "from", "in", "into",
        "of", "on", "or", "the", "to", "with", "that", "is", "are", "was", "were",
    ];
    let lower = form.to_ascii_lowercase();
    WORDS.contains(&lower.as_str()) || is_opening(form)
}

/// The first letter-or-digit decision character of the token at `k`, looking through opening
/// quotes and brackets.
fn lead(tokens: &[RawToken], k: usize, end: usize) -> char {
    let mut i = k;
    while i < end && i < k + 3 {
        let f = &tokens[i].form;
        if is_opening(f) {
            i += 1;
            continue;
        }
        return first_char(f);
    }
    first_char(&tokens[k].form)
}

/// Splits `tokens` (lexed from `text`) into sentences: returns the index of each sentence's
/// first token (the first is always 0 when there are tokens).
pub(crate) fn boundaries(text: &str, tokens: &[RawToken]) -> Vec<usize> {
    let n = tokens.len();
    let mut starts = Vec::new();
    if n == 0 {
        return starts;
    }
    // Line breaks before each token (0 for the first).
    let breaks: Vec<u32> = (0..n)
        .map(|i| {
            if i == 0 {
                0
            } else {
                line_breaks(&text[tokens[i - 1].end_byte..tokens[i].start_byte])
            }
        })
        .collect();
    let mut paragraphs = Vec::new();
    let mut para = 0;
    while para < n {
        let mut end = para + 1;
        while end < n && breaks[end] < 2 {
            end += 1;
        }
        paragraphs.push((para, end, LineStats::of(tokens, &breaks, para, end)));
        para = end;
    }
    // A paragraph with few lines is judged by the whole text: a two-line paragraph of
    // hard-wrapped wire copy is still wrapped.
    let global = paragraphs
        .iter()
        .fold(LineStats::default(), |a, p| a.add(p.2));
    for (s, e, st) in paragraphs {
        let judge = if st.inner >= 2 { st } else { global };
        let lines = if judge.wrapped() {
            Lines::Wrapped(global.max_len)
        } else {
            Lines::Meaningful
        };
        paragraph(tokens, &breaks, s, e, lines, &mut starts);
    }
    starts
}

/// How line breaks inside a paragraph are read.
#[derive(Clone, Copy)]
enum Lines {
    /// Each line break may end a sentence.
    Meaningful,
    /// Hard-wrapped prose, lines of up to this many characters: a line break ends a sentence
    /// only after a line that is short for the width or looks like a headline.
    Wrapped(usize),
}

/// Pushes sentence start `k`; when `k` opens a line and a dateline follows, the dateline is
/// a sentence of its own. Returns where scanning goes on.
fn start_at(
    tokens: &[RawToken],
    breaks: &[u32],
    k: usize,
    e: usize,
    starts: &mut Vec<usize>,
) -> usize {
    if starts.last() != Some(&k) {
        starts.push(k);
    }
    if k == 0 || breaks[k] > 0 {
        if let Some(d) = dateline_end(tokens, k, e) {
            starts.push(d + 1);
            return d + 1;
        }
    }
    k
}

fn paragraph(
    tokens: &[RawToken],
    breaks: &[u32],
    s: usize,
    e: usize,
    lines: Lines,
    starts: &mut Vec<usize>,
) {
    let first = starts.len();
    let mut i = start_at(tokens, breaks, s, e, starts);
    let mut line_start = s;
    while i < e {
        if breaks[i] > 0 {
            line_start = i;
        }
        let next = i + 1;
        if next >= e {
            break;
        }
        let f = tokens[i].form.as_str();
        // Terminal punctuation, with closing quotes/brackets attached.
        if is_terminal(f) {
            let mut j = i;
            while j + 1 < e
                && is_closing(&tokens[j + 1].form)
                && tokens[j].end_byte == tokens[j + 1].start_byte
                && breaks[j + 1] == 0
            {
                j += 1;
            }
            // An emoticon after the punctuation still belongs to the sentence: "I love her. :)"
            while j + 1 < e && is_emoticon(&tokens[j + 1].form) && breaks[j + 1] == 0 {
                j += 1;
            }
            let k = j + 1;
            if k >= e {
                break;
            }
            // A list marker opening a sentence or following a colon ("2. The pricing …",
            // "my comments: 1. In …") does not end it.
            let list_marker = f == "."
                && i >= 1
                && (starts.last() == Some(&(i - 1)) || (i >= 2 && tokens[i - 2].form == ":"))
                && tokens[i - 1].end_byte == tokens[i].start_byte
                && is_list_number(&tokens[i - 1].form);
            i = if !list_marker && ends_after_terminal(tokens, i, j, k, e) {
                start_at(tokens, breaks, k, e, starts)
            } else {
                k
            };
            continue;
        }
        if breaks[next] == 1 {
            let c = lead(tokens, next, e);
            let keep = c.is_lowercase() || continues_line(f) || (is_abbrev_token(f) && is_title(f));
            let ends_line = match lines {
                Lines::Meaningful => true,
                Lines::Wrapped(width) => {
                    let len = tokens[i].end_char - tokens[line_start].start_char;
                    len * 10 < width * 6
                        || (len * 20 < width * 17 && is_headline(&tokens[line_start..next]))
                }
            };
            i = if !keep && ends_line {
                start_at(tokens, breaks, next, e, starts)
            } else {
                next
            };
            continue;
        }
        if is_emoticon(f) && first_char(&tokens[next].form).is_uppercase() {
            starts.push(next);
            i = next;
            continue;
        }
        if is_abbrev_token(f) && !is_title(f) {
            let nf = tokens[next].form.as_str();
            // "U.S.", "Inc.", "Jan." end a sentence only before a typical opener ("U.S. Army",
            // "Acme Corp. Chairman"); lower-case ones ("etc.", "p.m.", "pct.") before any
            // capitalised word but a day, month or time zone ("at 3 p.m. Monday").
            let lower_case = first_char(f).is_lowercase();
            if is_opener(nf) || (lower_case && is_capitalized(nf) && !is_calendar_word(nf)) {
                starts.push(next);
            }
        }
        i = next;
    }
    debug_assert!(starts[first..].windows(2).all(|w| w[0] < w[1]));
}

/// A line in title case ("Rebels Seize Border Town in Overnight Raid"): at least two words,
/// every word capitalised except short function words.
fn is_headline(line: &[RawToken]) -> bool {
    let mut words = 0;
    for t in line {
        let c = first_char(&t.form);
        if !c.is_alphabetic() {
            continue;
        }
        words += 1;
        let small = matches!(
            t.form.as_str(),
            "a" | "an"
                | "and"
                | "as"
                | "at"
                | "by"
                | "for"
                | "from"
                | "in"
                | "of"
                | "on"
                | "or"
                | "the"
                | "to"
                | "with"
        );
        if !c.is_uppercase() && !small {
            return false;
        }
    }
    words >= 2
}

/// Whether the sentence ends after terminal punctuation at `i` (whose last attached closing
/// quote or bracket is at `j`), before token `k`.
fn ends_after_terminal(tokens: &[RawToken], i: usize, j: usize, k: usize, e: usize) -> bool {
    let f = tokens[i].form.as_str();
    let nf = tokens[k].form.as_str();
    let c = lead(tokens, k, e);
    let glued = tokens[j].end_byte == tokens[k].start_byte;
    if matches!(nf, "," | ";" | ":" | ")" | "]" | "}") || is_terminal(nf) {
        return false;
    }
    // A bracket or a link after the punctuation starts something new: "… in Texas? (b) Is
    // it …", "… as they say... http://…".
    if !glued && (matches!(nf, "(" | "[") || is_link(nf)) {
        return true;
    }
    // East Asian full stops need no space after them.
    if f.ends_with(['\u{3002}', '\u{FF01}', '\u{FF1F}']) {
        return true;
    }
    if is_ellipsis(f) || glued {
        return c.is_uppercase() && !glued;
    }
    if c.is_lowercase() {
        // A quotation that ends in "!" or "?" goes on: `a big "Welcome!" to Darin`.
        if j != i {
            return false;
        }
        // "i went home. it was late": web text often starts sentences in lower case, but a
        // single lower-case letter other than "i" is likely a list item or a unit.
        return nf == "i" || nf.chars().count() > 1;
    }
    true
}

/// Line statistics of a stretch of text, to tell hard-wrapped prose (line breaks are
/// spaces) from text whose lines mean something (headlines, lists, one paragraph a line).
#[derive(Clone, Copy, Default)]
struct LineStats {
    /// Lines that are not the last of their paragraph.
    inner: usize,
    /// Of those, lines that end without terminal punctuation.
    open: usize,
    /// Their total length in characters.
    chars: usize,
    /// The longest of them, in characters.
    max_len: usize,
}

impl LineStats {
    fn of(tokens: &[RawToken], breaks: &[u32], s: usize, e: usize) -> LineStats {
        let mut st = LineStats::default();
        let mut line_start = s;
        for i in s..e {
            if i + 1 < e && breaks[i + 1] == 1 {
                let len = tokens[i].end_char - tokens[line_start].start_char;
                st.inner += 1;
                st.chars += len;
                st.max_len = st.max_len.max(len);
                let f = tokens[i].form.as_str();
                if !(is_terminal(f) || is_closing(f)) {
                    st.open += 1;
                }
                line_start = i + 1;
            }
        }
        st
    }

    fn add(self, o: LineStats) -> LineStats {
        LineStats {
            inner: self.inner + o.inner,
            open: self.open + o.open,
            chars: self.chars + o.chars,
            max_len: self.max_len.max(o.max_len),
        }
    }

    /// Enough long lines, most of which stop mid-sentence.
    fn wrapped(self) -> bool {
        self.inner >= 2 && self.chars / self.inner >= 40 && self.open * 2 > self.inner
    }
}

/// End (index of the dash) of a dateline at the start of a paragraph, if any.
fn dateline_end(tokens: &[RawToken], s: usize, e: usize) -> Option<usize> {
    let first = tokens.get(s)?.form.as_str();
    if !first.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    let all_caps = first.chars().count() >= 2 && first.chars().all(|c| !c.is_lowercase());
    let mut has_sep = false;
    let mut depth = 0i32;
    let mut i = s + 1;
    while i < e && i < s + 14 {
        let f = tokens[i].form.as_str();
        // A lone hyphen must stand apart ("US-China talks" is no dateline).
        let apart = f != "-" || (tokens[i - 1].space_after && tokens[i].space_after);
        if is_dash(f) && depth == 0 && apart {
            let next = tokens.get(i + 1)?;
            if i + 1 >= e {
                return None;
            }
            let c = first_char(&next.form);
            let ok_next = c.is_uppercase() || is_opening(&next.form);
            // "Obama - The …" is no dateline: ask for capitals or a comma/agency.
            return (ok_next && (all_caps || has_sep)).then_some(i);
        }
        match f {
            "," => has_sep = true,
            "(" => {
                depth += 1;
                has_sep = true;
            }
            ")" => depth -= 1,
            _ => {
                let c = first_char(f);
                let fine = c.is_uppercase()
                    || c.is_ascii_digit()
                    || (depth > 0 && c.is_alphabetic())
                    || f == "/";
                if !fine || is_terminal(f) {
                    return None;
                }
                if is_abbrev_token(f) && !is_abbreviation(f.trim_end_matches('.')) {
                    return None;
                }
            }
        }
        if depth < 0 {
            return None;
        }
        i += 1;
    }
    None
}

/// Splits sentences longer than [`MAX_SENTENCE_TOKENS`]; `starts` is sorted.
pub(crate) fn cap_lengths(tokens: &[RawToken], starts: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(starts.len());
    for (si, &s) in starts.iter().enumerate() {
        let e = starts.get(si + 1).copied().unwrap_or(tokens.len());
        out.push(s);
        let mut cur = s;
        while e - cur > MAX_SENTENCE_TOKENS {
            let limit = cur + MAX_SENTENCE_TOKENS;
            let window = MAX_SENTENCE_TOKENS / 4;
            let cut = (limit - window..limit)
                .rev()
                .find(|&i| {
                    matches!(
                        tokens[i - 1].form.as_str(),
                        ";" | ":" | "," | "--" | "\u{2014}"
                    )
                })
                .unwrap_or(limit);
            out.push(cut);
            cur = cut;
        }
    }
    out
}
