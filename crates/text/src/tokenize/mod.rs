//! Sentence splitting and tokenization that keep offsets into the original text.
//!
//! [`segment`] splits a story into [`RawSentence`]s of [`RawToken`]s; [`tokenize`] tokenizes
//! text that is already one sentence. Every token and sentence carries byte and character
//! offsets into the original text, so `&text[tok.start_byte..tok.end_byte]` is always the
//! token's original text, and it always equals [`RawToken::form`]: no normalisation is
//! applied (curly quotes, dashes and odd spellings are kept as they are, as UD English EWT
//! keeps them).
//!
//! ```
//! use dyad_text::tokenize::segment;
//!
//! let text = "SEOUL (Reuters) - North Korea didn't test a missile, U.S. officials said.\n\
//!             \"It's calm,\" Gen. Kim told reporters.";
//! let sentences = segment(text);
//! let forms: Vec<Vec<&str>> = sentences
//!     .iter()
//!     .map(|s| s.tokens.iter().map(|t| t.form.as_str()).collect())
//!     .collect();
//! assert_eq!(forms[0], ["SEOUL", "(", "Reuters", ")", "-"]);
//! assert_eq!(forms[1][..5], ["North", "Korea", "did", "n't", "test"]);
//! assert_eq!(forms[1][8..], ["U.S.", "officials", "said", "."]);
//! assert_eq!(forms[2], ["\"", "It", "'s", "calm", ",", "\"", "Gen.", "Kim", "told", "reporters", "."]);
//! for s in &sentences {
//!     for t in &s.tokens {
//!         assert_eq!(&text[t.start_byte..t.end_byte], t.form);
//!     }
//! }
//! ```
//!
//! # Conventions (those of UD English EWT)
//!
//! * Clitics are split: "do n't", "ca n't", "wo n't", "it 's", "Bush 's", "I 'm", "can not"
//!   (from "cannot"), "gon na", and the apostrophe-less "do nt", "ca nt". The pieces are
//!   adjacent (`space_after == false`); [`eval::surface_spans`] groups them back into the
//!   surface tokens that UD writes as multiword tokens.
//! * Hyphenated words are split ("Al - Zaman", "10 - year") except after prefixes such as
//!   "e-", "non-", "anti-", "pre-", "co-" ("e-mail", "non-profit"), and phone numbers
//!   ("713-853-3989"). Runs of hyphens ("--"), em and en dashes are tokens.
//! * Numbers keep their inner punctuation ("1,000.5", "10:30", "16/11/2004", "9/11"); "%",
//!   currency signs and units are tokens of their own ("$ 20", "3.5 %", "51 K", "7:30 PM",
//!   "3.5 bn"), but ordinals and decades are not ("4th", "1960s", "80's"). A slash splits
//!   words ("and / or") and number pairs that cannot be a month and day ("20 / 20"), but
//!   not short forms ("w/o") or dates.
//! * Abbreviations keep their period inside a sentence ("U.S.", "Gen.", "a.m.", "J.",
//!   "Calif.", "No. 1") and give it up at the end of a sentence ("… etc" + ".").
//! * URLs, e-mail addresses, hashtags and common emoticons are single tokens; ellipses
//!   ("...", "…"), "?!" and "!!!" are single tokens; other punctuation is one token per
//!   character.
//!
//! # Sentences
//!
//! [`segment`] ends a sentence at
//!
//! 1. a blank line (or a form feed, U+2029), always;
//! 2. the end of a wire-copy dateline at the start of a paragraph or line ("SEOUL (Reuters)
//!    -", "BEIJING, China -", "WASHINGTON--", "MOSCOW, Jan. 5 (Reuters) —");
//! 3. a line break, so that headlines and lines without final punctuation are sentences of
//!    their own, unless the next line starts in lower case or the line ends with a comma or a
//!    function word ("of", "the", …). Hard-wrapped text (most lines long and stopping
//!    mid-sentence) is recognised, and its line breaks count only after a short or
//!    title-case line;
//! 4. terminal punctuation (`.`, `!`, `?`, runs of them, `…`) unless what follows continues
//!    the sentence (a comma, a lower-case word after "..." or after a quotation ending in
//!    "!"), with closing quotes, brackets and emoticons kept in the sentence (`he said."`);
//!    a list number opening a sentence ("2. The …") does not end it;
//! 5. an abbreviation with its period, only before a typical sentence opener ("… in the U.S.
//!    The …") or, for lower-case ones ("etc.", "p.m.", "pct."), before a capitalised word other
//!    than a day, month or time zone; never after a title or an initial ("Gen.",
//!    "J. R. R. Tolkien").
//!
//! A lower-case word after a plain period starts a sentence (web text often does without
//! capitals), so an abbreviation not in the list, followed by a lower-case word ("10 pts.
//! in"), is split wrongly.
//!
//! Measured against UD gold with [`eval`] (raw text rebuilt from `# text`; CoNLL 2018
//! definitions), `cargo test -p dyad-text --test tokenize_ud -- --nocapture`:
//!
//! | gold | tokens F1 | words F1 | sentences F1 |
//! |---|---|---|---|
//! | EWT dev | 0.9957 | 0.9925 | 0.8650 |
//! | EWT test | 0.9950 | 0.9930 | 0.8520 |
//! | PUD test | 0.9961 | 0.9993 | 0.9955 |
//!
//! # Bad input
//!
//! Whitespace, control characters and the invisible U+200B, U+2060 and U+FEFF separate
//! tokens and never appear inside one. Any `&str` is accepted without panicking, in time
//! linear in its length (about 25 million characters a second in a release build:
//! `cargo test --release -p dyad-text --test tokenize_speed -- --ignored --nocapture`). A
//! sentence never has more than [`MAX_SENTENCE_TOKENS`] tokens: longer runs are cut (after a
//! `;`, `:` or `,` near the limit when there is one), so a parser downstream stays bounded.

pub mod eval;
mod lexer;
mod split;

/// The longest sentence [`segment`] returns, in tokens. Longer runs without sentence
/// punctuation are cut into pieces of at most this many tokens.
pub const MAX_SENTENCE_TOKENS: usize = 200;

/// One token: its form as the parser should see it, and where it is in the original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawToken {
    /// The form the parser should see: always exactly `&text[start_byte..end_byte]`.
    pub form: String,
    /// Byte offset of the token's first byte in the original text.
    pub start_byte: usize,
    /// Byte offset one past the token's last byte.
    pub end_byte: usize,
    /// Character (Unicode scalar value) offset of the token's first character.
    pub start_char: usize,
    /// Character offset one past the token's last character.
    pub end_char: usize,
    /// Whether anything (whitespace, a control character) separates this token from the next
    /// one, or, for the last token, from the end of the text. `false` marks pieces of one
    /// written word ("do" in "don't") and punctuation attached to a word.
    pub space_after: bool,
}

/// One sentence: its extent in the original text and its tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawSentence {
    /// Byte offset of the first token's first byte.
    pub start_byte: usize,
    /// Byte offset one past the last token's last byte.
    pub end_byte: usize,
    /// Character offset of the first token's first character.
    pub start_char: usize,
    /// Character offset one past the last token's last character.
    pub end_char: usize,
    /// The tokens, in text order; never empty.
    pub tokens: Vec<RawToken>,
}

impl RawSentence {
    fn from_tokens(tokens: Vec<RawToken>) -> Option<RawSentence> {
        let first = tokens.first()?;
        let last = tokens.last()?;
        Some(RawSentence {
            start_byte: first.start_byte,
            end_byte: last.end_byte,
            start_char: first.start_char,
            end_char: last.end_char,
            tokens,
        })
    }
}

/// Split a text into sentences of tokens.
///
/// See the [module documentation](self) for the conventions; sentences are never empty and
/// never longer than [`MAX_SENTENCE_TOKENS`].
pub fn segment(text: &str) -> Vec<RawSentence> {
    let tokens = raw_tokens(text);
    let starts = split::boundaries(text, &tokens);
    let starts = split::cap_lengths(&tokens, &starts);
    let mut out = Vec::with_capacity(starts.len());
    let mut rest = tokens.into_iter();
    for (i, &s) in starts.iter().enumerate() {
        let e = starts.get(i + 1).copied().unwrap_or(s + rest.len());
        let mut sentence: Vec<RawToken> = rest.by_ref().take(e - s).collect();
        detach_final_period(&mut sentence);
        if let Some(s) = RawSentence::from_tokens(sentence) {
            out.push(s);
        }
    }
    out
}

/// Tokenize a text that is already one sentence (no splitting).
///
/// A final abbreviation gives up its period as [`segment`] does at the end of a sentence.
pub fn tokenize(text: &str) -> Vec<RawToken> {
    let mut tokens = raw_tokens(text);
    detach_final_period(&mut tokens);
    tokens
}

/// Lexes `text` and fills in character offsets and `space_after`.
fn raw_tokens(text: &str) -> Vec<RawToken> {
    let spans = lexer::lex(text);
    let mut out: Vec<RawToken> = Vec::with_capacity(spans.len());
    let (mut byte, mut chr) = (0usize, 0usize);
    for (i, &(s, e)) in spans.iter().enumerate() {
        chr += text[byte..s].chars().count();
        let start_char = chr;
        chr += text[s..e].chars().count();
        byte = e;
        let next_start = spans.get(i + 1).map_or(text.len(), |n| n.0);
        out.push(RawToken {
            form: text[s..e].to_string(),
            start_byte: s,
            end_byte: e,
            start_char,
            end_char: chr,
            space_after: next_start > e,
        });
    }
    out
}

/// At the end of a sentence (possibly before closing quotes and brackets), "etc." becomes
/// "etc" + ".", as in UD EWT.
fn detach_final_period(tokens: &mut Vec<RawToken>) {
    let mut r = tokens.len();
    while r > 0
        && matches!(
            tokens[r - 1].form.as_str(),
            "\"" | "'" | "\u{201D}" | "\u{2019}" | ")" | "]"
        )
    {
        r -= 1;
    }
    if r == 0 || r < tokens.len().saturating_sub(3) {
        return;
    }
    let t = &tokens[r - 1];
    if !split::is_abbrev_token(&t.form) {
        return;
    }
    let cut = t.end_byte - 1;
    let period = RawToken {
        form: ".".to_string(),
        start_byte: cut,
        end_byte: t.end_byte,
        start_char: t.end_char - 1,
        end_char: t.end_char,
        space_after: t.space_after,
    };
    let word = &mut tokens[r - 1];
    word.form.pop();
    word.end_byte = cut;
    word.end_char -= 1;
    word.space_after = false;
    tokens.insert(r, period);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn types_are_send_sync() {
        assert_send_sync::<RawToken>();
        assert_send_sync::<RawSentence>();
    }

    #[test]
    fn final_abbreviation_gives_up_its_period() {
        let forms: Vec<String> = tokenize("We met at 5 p.m.")
            .into_iter()
            .map(|t| t.form)
            .collect();
        assert_eq!(forms, ["We", "met", "at", "5", "p.m", "."]);
    }

    #[test]
    fn offsets_count_characters() {
        let text = "Café “Zürich” – ok";
        for t in tokenize(text) {
            assert_eq!(&text[t.start_byte..t.end_byte], t.form);
            let by_chars: String = text
                .chars()
                .skip(t.start_char)
                .take(t.end_char - t.start_char)
                .collect();
            assert_eq!(by_chars, t.form);
        }
    }
}
