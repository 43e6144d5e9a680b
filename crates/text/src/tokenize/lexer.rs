//! The lexer: text → byte spans of tokens (syntactic words in UD EWT style).
//!
//! Works chunk by chunk (a chunk is a maximal run of non-separator characters); every
//! decision looks at a bounded window around the current position, except URL, e-mail and
//! phone-number scans, which are memoised so the whole pass stays linear in the text length.

/// Whether `c` separates tokens: Unicode whitespace, control characters and the invisible
/// zero-width characters (U+200B, U+2060, U+FEFF).
pub(crate) fn is_separator(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Characters that modify the character before them (variation selectors, joiners, skin
/// tones, combining marks): they never start a token.
fn is_extender(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{200C}' | '\u{200D}'
        | '\u{1F3FB}'..='\u{1F3FF}'
        | '\u{E0020}'..='\u{E007F}')
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || is_extender(c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// Whether the first non-separator character at or after `p` is a digit or '#'.
fn next_visible_is_digit(t: &str, p: usize) -> bool {
    t.get(p..)
        .and_then(|s| s.chars().take(8).find(|&c| !is_separator(c)))
        .is_some_and(|c| c.is_ascii_digit() || c == '#')
}

fn char_at(t: &str, p: usize) -> Option<char> {
    t.get(p..).and_then(|s| s.chars().next())
}

fn char_before(t: &str, p: usize) -> Option<char> {
    t.get(..p).and_then(|s| s.chars().next_back())
}

/// Prefixes that UD EWT keeps attached to the rest of a hyphenated word ("e-mail",
/// "non-profit", "anti-war"); other hyphenated words are split around the hyphen.
const HYPHEN_PREFIXES: &[&str] = &[
    "anti", "co", "counter", "cross", "e", "ex", "extra", "intra", "macro", "micro", "mid",
    "multi", "neo", "non", "over", "post", "pre", "pro", "pseudo", "psycho", "quasi", "re", "semi",
    "socio", "sub", "trans", "ultra", "un",
];

/// Abbreviations that keep their final period (compared in lower case, without it).
/// Single letters ("J.") and dotted letter sequences ("U.S.", "a.m.") are recognised by shape.
pub(crate) const ABBREVIATIONS: &[&str] = &[
    "adm", "al", "ala", "amb", "approx", "apr", "ariz", "ark", "assn", "atty", "aug", "ave",
    "bldg", "blvd", "brig", "bros", "calif", "capt", "cf", "cmdr", "co", "col", "colo", "conf",
    "conn", "corp", "cpl", "dec", "del", "dept", "det", "dist", "dr", "e.g", "eg", "esp", "esq",
    "est", "etc", "ext", "feb", "fig", "fla", "fr", "fri", "ft", "ga", "gen", "gens", "gov",
    "govt", "hon", "hosp", "hr", "hrs", "i.e", "ill", "inc", "ind", "insp", "intl", "jan", "jr",
    "jul", "jun", "kan", "kans", "ky", "la", "lb", "lbs", "lt", "ltd", "maj", "mar", "mass", "md",
    "messrs", "mfg", "mich", "min", "minn", "mins", "miss", "mo", "mon", "mont", "mr", "mrs", "ms",
    "msgr", "mt", "natl", "neb", "nev", "no", "nos", "nov", "oct", "okla", "ont", "op", "ore",
    "oz", "pa", "pct", "penn", "pfc", "ph", "pp", "pres", "prof", "pt", "pts", "pvt", "que", "rd",
    "rep", "reps", "rev", "sat", "sec", "sen", "sens", "sep", "sept", "sgt", "sr", "st", "sta",
    "sun", "supt", "tenn", "tex", "thu", "thur", "thurs", "tue", "tues", "univ", "va", "vol", "vs",
    "vt", "wash", "wed", "wis", "wyo", "yds", "yr", "yrs",
];

/// Whether `word` (without its final period) is an abbreviation that keeps the period.
pub(crate) fn is_abbreviation(word: &str) -> bool {
    let n = word.chars().count();
    if n == 0 || n > 12 {
        return false;
    }
    // "J", "U.S", "a.m", "Ph.D": letters with internal periods, each piece short.
    let all_pieces_short = word.split('.').all(|piece| {
        !piece.is_empty() && piece.chars().count() <= 2 && piece.chars().all(char::is_alphabetic)
    });
    if n == 1 && word.chars().all(|c| c.is_uppercase()) {
        return true;
    }
    if word.contains('.') && all_pieces_short {
        return true;
    }
    if !word.chars().all(|c| c.is_ascii_alphabetic() || c == '.') {
        return false;
    }
    let lower = word.to_ascii_lowercase();
    if ABBREVIATIONS.binary_search(&lower.as_str()).is_err() {
        return false;
    }
    // Ordinary words that are abbreviations only when capitalised ("Sun." but not "sun."), and
    // state and province names ("Calif.", "Ont.").
    const NEED_CAPITAL: &[&str] = &[
        "ala", "amb", "ariz", "ark", "calif", "col", "colo", "conn", "del", "det", "est", "fig",
        "fla", "fr", "ga", "gen", "hon", "ill", "ind", "jun", "kan", "kans", "ky", "la", "mar",
        "mass", "md", "mich", "min", "minn", "miss", "mo", "mon", "mont", "neb", "nev", "no",
        "nos", "okla", "ont", "op", "ore", "pa", "penn", "pres", "que", "rep", "sat", "sec", "sen",
        "sun", "tenn", "tex", "va", "vt", "wash", "wed", "wis", "wyo",
    ];
    !NEED_CAPITAL.contains(&lower.as_str()) || word.starts_with(|c: char| c.is_ascii_uppercase())
}

/// Lexes `t` into byte spans of tokens.
pub(crate) fn lex(t: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(t.len() / 5 + 1);
    let mut chunk_start: Option<usize> = None;
    for (i, c) in t.char_indices() {
        if is_separator(c) {
            if let Some(s) = chunk_start.take() {
                Chunk::new(t, s, i).lex(&mut out);
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    if let Some(s) = chunk_start {
        Chunk::new(t, s, t.len()).lex(&mut out);
    }
    out
}

struct Chunk<'a> {
    t: &'a str,
    start: usize,
    end: usize,
    has_at: bool,
    /// Positions below this are known not to start an e-mail address.
    no_email_before: usize,
    /// Positions below this are known not to start a phone number.
    no_phone_before: usize,
}

pub(crate) const EMOTICONS: &[&str] = &[
    ":-)", ":-(", ":-D", ":-P", ":-p", ";-)", ":-/", ":)", ":(", ":D", ":P", ":p", ";)", ":/",
    ":'(", "^_^", "^^", "<3", ":o", ":O", ";D", ":-|", ":|", ";P", ";p", "=)", "=(", "XD", "xD",
];

impl<'a> Chunk<'a> {
    fn new(t: &'a str, start: usize, end: usize) -> Chunk<'a> {
        let has_at = t[start..end].contains('@');
        Chunk {
            t,
            start,
            end,
            has_at,
            no_email_before: start,
            no_phone_before: start,
        }
    }

    fn c(&self, p: usize) -> Option<char> {
        if p < self.end {
            char_at(self.t, p)
        } else {
            None
        }
    }

    fn lex(mut self, out: &mut Vec<(usize, usize)>) {
        let mut p = self.start;
        while p < self.end {
            let Some(c) = self.c(p) else { break };
            if let Some(e) = self.url_end(p) {
                out.push((p, e));
                p = e;
                continue;
            }
            if let Some(e) = self.email_end(p) {
                out.push((p, e));
                p = e;
                continue;
            }
            if let Some(e) = self.emoticon_end(p) {
                out.push((p, e));
                p = e;
                continue;
            }
            let starts_word = is_word(c)
                // ".com", ".NET" at the start of a chunk
                || (c == '.' && p == self.start && self.c(p + 1).is_some_and(|n| n.is_alphabetic()))
                // "'90s", "’99"
                || (is_apostrophe(c) && self.two_digits_after(p + c.len_utf8()));
            if starts_word && !is_extender(c) {
                let e = self.scan_word(p);
                if let Some(k) = number_unit_cut(&self.t[p..e]) {
                    out.push((p, p + k));
                    out.push((p + k, e));
                } else {
                    split_contraction(self.t, p, e, out);
                }
                p = e;
            } else {
                let e = self.scan_punct(p, c);
                if is_extender(c) {
                    // A stray modifier: glue it to the token before when adjacent.
                    if let Some(last) = out.last_mut() {
                        if last.1 == p {
                            last.1 = e;
                            p = e;
                            continue;
                        }
                    }
                }
                out.push((p, e));
                p = e;
            }
        }
    }

    fn two_digits_after(&self, p: usize) -> bool {
        let b = self.t.as_bytes();
        p + 1 < self.end
            && b[p].is_ascii_digit()
            && b[p + 1].is_ascii_digit()
            && (p + 2 >= self.end || !b[p + 2].is_ascii_digit())
    }

    /// "http://…", "https://…", "ftp://…", "www.…", "mailto:…": to the end of the chunk,
    /// less trailing punctuation.
    fn url_end(&self, p: usize) -> Option<usize> {
        let s = &self.t.as_bytes()[p..self.end];
        if !matches!(s[0] | 0x20, b'h' | b'f' | b'w' | b'm') {
            return None;
        }
        let starts = |pre: &[u8]| s.len() > pre.len() && s[..pre.len()].eq_ignore_ascii_case(pre);
        if !(starts(b"http://")
            || starts(b"https://")
            || starts(b"ftp://")
            || starts(b"www.")
            || starts(b"mailto:"))
        {
            return None;
        }
        let rest = &self.t[p..self.end];
        // Trailing punctuation is not part of the URL; a ')' is, when it closes a '(' in it.
        let opens = rest.matches('(').count();
        let mut closes = rest.matches(')').count();
        let mut trimmed = rest;
        while let Some(c) = trimmed.chars().next_back() {
            let strip = matches!(
                c,
                '.' | ','
                    | ';'
                    | ':'
                    | '!'
                    | '?'
                    | '"'
                    | '\''
                    | '\u{201D}'
                    | '\u{2019}'
                    | '>'
                    | ']'
                    | '}'
                    | '*'
            ) || (c == ')' && closes > opens);
            if !strip {
                break;
            }
            if c == ')' {
                closes -= 1;
            }
            trimmed = &trimmed[..trimmed.len() - c.len_utf8()];
        }
        if trimmed.len() < 5 {
            return None;
        }
        Some(p + trimmed.len())
    }

    /// "name.surname@example.com": local part, '@', domain (no trailing '.' or '-').
    fn email_end(&mut self, p: usize) -> Option<usize> {
        if !self.has_at || p < self.no_email_before {
            return None;
        }
        let b = self.t.as_bytes();
        if !b[p].is_ascii_alphanumeric() {
            return None;
        }
        let local =
            |x: u8| x.is_ascii_alphanumeric() || matches!(x, b'.' | b'_' | b'%' | b'+' | b'-');
        let mut q = p;
        while q < self.end && local(b[q]) {
            q += 1;
        }
        if q >= self.end || b[q] != b'@' {
            self.no_email_before = q.max(p + 1);
            return None;
        }
        let at = q;
        q += 1;
        while q < self.end && (b[q].is_ascii_alphanumeric() || matches!(b[q], b'.' | b'-')) {
            q += 1;
        }
        while q > at + 1 && matches!(b[q - 1], b'.' | b'-') {
            q -= 1;
        }
        if q == at + 1 {
            self.no_email_before = at + 1;
            return None;
        }
        Some(q)
    }

    fn emoticon_end(&self, p: usize) -> Option<usize> {
        if !matches!(
            self.t.as_bytes()[p],
            b':' | b';' | b'^' | b'<' | b'=' | b'X' | b'x'
        ) {
            return None;
        }
        let s = &self.t[p..self.end];
        for e in EMOTICONS {
            if s.starts_with(e) {
                let q = p + e.len();
                // Not followed by a letter or digit ("Re:Dallas" is no ":D").
                if self.c(q).is_some_and(|n| n.is_alphanumeric()) {
                    continue;
                }
                // "XD" only alone.
                if e.starts_with(|c: char| c.is_alphabetic()) && p != self.start {
                    continue;
                }
                return Some(q);
            }
        }
        None
    }

    /// Phone numbers, ZIP+4 codes and dates written with hyphens: "713-853-3989",
    /// "345-9945", "1-800-991-9019", "77388-5746", "2014-12-31", "11-20-2000".
    fn phone_end(&mut self, p: usize) -> Option<usize> {
        if p < self.no_phone_before {
            return None;
        }
        let b = self.t.as_bytes();
        let mut q = p;
        let mut groups: Vec<usize> = Vec::new();
        loop {
            let g = q;
            while q < self.end && b[q].is_ascii_digit() {
                q += 1;
            }
            groups.push(q - g);
            if q + 1 < self.end && b[q] == b'-' && b[q + 1].is_ascii_digit() && groups.len() < 6 {
                q += 1;
            } else {
                break;
            }
        }
        let phone = groups.len() >= 2
            && groups.last() == Some(&4)
            && (groups[..groups.len() - 1]
                .iter()
                .enumerate()
                .all(|(i, &n)| n == 3 || (i == 0 && n == 1))
                || groups == [5, 4]);
        // "2014-12-31", "11-20-2000", "5-8-02"
        let date = groups.len() == 3
            && ((groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2)
                || (groups[0] <= 2 && groups[1] <= 2 && (groups[2] == 2 || groups[2] == 4)));
        let ok = (phone || date) && !self.c(q).is_some_and(is_word);
        if ok {
            Some(q)
        } else {
            self.no_phone_before = q;
            None
        }
    }

    /// Scans a word from `p` (a word character) and returns its end, including an
    /// abbreviation's final period.
    fn scan_word(&mut self, p: usize) -> usize {
        let t = self.t;
        let mut q = p;
        // Start of the current piece (after the last '.', '-', '/').
        let mut piece = p;
        if let Some(c) = self.c(q) {
            if !is_word(c) {
                q += c.len_utf8(); // leading '.' or apostrophe
            }
        }
        loop {
            while let Some(c) = self.c(q) {
                if is_word(c) {
                    q += c.len_utf8();
                } else {
                    break;
                }
            }
            let Some(c) = self.c(q) else { break };
            let after = q + c.len_utf8();
            let Some(n) = self.c(after) else { break };
            let prev = char_before(t, q).unwrap_or(' ');
            let join = match c {
                '.' => {
                    is_word(n)
                        && ((prev.is_numeric() && n.is_numeric())
                            || (t[piece..q].chars().count() == 1
                                && prev.is_alphabetic()
                                && n.is_alphabetic())
                            || n.is_lowercase()
                            || n.is_numeric()
                            || (prev.is_uppercase() && n.is_uppercase())
                            // "Ph.D."
                            || (t[piece..q].chars().count() == 2
                                && prev.is_lowercase()
                                && n.is_uppercase()
                                && self.c(after + n.len_utf8()) == Some('.')))
                }
                ',' => {
                    let b = t.as_bytes();
                    prev.is_ascii_digit()
                        && after + 3 <= self.end
                        && b[after..after + 3].iter().all(u8::is_ascii_digit)
                        && !(after + 3 < self.end && b[after + 3].is_ascii_digit())
                }
                ':' => prev.is_ascii_digit() && n.is_ascii_digit(),
                '/' => {
                    (prev.is_ascii_digit()
                        && n.is_ascii_digit()
                        && self.slash_joins_numbers(p, piece, q, after))
                        || (!prev.is_ascii_digit()
                            && is_word(n)
                            && (t[piece..q].chars().count() == 1 || {
                                let mut k = after;
                                while self.c(k).is_some_and(is_word) {
                                    k += self.c(k).map_or(1, char::len_utf8);
                                }
                                t[after..k].chars().count() == 1
                            }))
                }
                '\'' | '\u{2019}' | '`' => {
                    (n.is_alphabetic() && prev.is_alphabetic())
                        // "the 80's", "12's"
                        || (prev.is_ascii_digit() && matches!(n, 's' | 'S') && !self.c(after + 1).is_some_and(is_word))
                }
                '&' => {
                    // "AT&T", "Q&A", "p&l", but "rock&roll" splits.
                    let short_after = {
                        let mut k = after;
                        while let Some(a) = self.c(k).filter(|a| a.is_alphabetic() && k < after + 4)
                        {
                            k += a.len_utf8();
                        }
                        !self.c(k).is_some_and(is_word) && k - after <= 3
                    };
                    (prev.is_uppercase() && n.is_uppercase())
                        || (prev.is_alphabetic()
                            && n.is_alphabetic()
                            && t[piece..q].chars().count() <= 3
                            && short_after)
                }
                '_' => is_word(n),
                '-' => {
                    if !is_word(n) {
                        false
                    } else if piece == p && t[p..q].bytes().all(|x| x.is_ascii_digit()) {
                        if let Some(e) = self.phone_end(p) {
                            q = e;
                            continue;
                        }
                        false
                    } else {
                        let w = &t[piece..q];
                        piece == p && w.len() <= 7 && {
                            let lower = w.to_ascii_lowercase();
                            HYPHEN_PREFIXES.binary_search(&lower.as_str()).is_ok()
                        }
                    }
                }
                _ => false,
            };
            if !join {
                break;
            }
            q = after;
            if matches!(c, '.' | '-' | '/') {
                piece = after;
            }
        }
        // An abbreviation keeps its period (but "etc..." does not take one of the dots).
        // "Inc.." is "Inc." + "." but "etc..." is "etc" + "...".
        let single_dot = self.c(q + 1) != Some('.') || self.c(q + 2) != Some('.');
        if self.c(q) == Some('.') && single_dot && is_abbreviation(&t[p..q]) {
            // "No." and "Nos." only before a number ("No. 1").
            let w = &t[p..q];
            let numbered = w.eq_ignore_ascii_case("no") || w.eq_ignore_ascii_case("nos");
            if !numbered || next_visible_is_digit(t, q + 1) {
                q += 1;
            }
        }
        q
    }

    /// Whether "a/b" with digits on both sides is one token: dates ("16/11/2004", "9/11",
    /// "5/18") are; fractions and ranges with a part that cannot be a month or day
    /// ("20/20", "2001/02", "1774/76") are not.
    fn slash_joins_numbers(&self, word: usize, piece: usize, q: usize, after: usize) -> bool {
        let t = self.t;
        let b = t.as_bytes();
        let first = &t[piece..q];
        if !first.bytes().all(|x| x.is_ascii_digit()) || (piece > word && b[piece - 1] == b'/') {
            return true; // inside a date already
        }
        let mut k = after;
        while k < self.end && b[k].is_ascii_digit() {
            k += 1;
        }
        if k + 1 < self.end && b[k] == b'/' && b[k + 1].is_ascii_digit() {
            return true; // a three-part date
        }
        let second = &t[after..k];
        let num = |s: &str| s.parse::<u32>().unwrap_or(u32::MAX);
        first.len() <= 2 && second.len() <= 2 && num(first) <= 12 && num(second) <= 31
    }

    fn scan_punct(&self, p: usize, c: char) -> usize {
        let mut q = p + c.len_utf8();
        let run_of = |q: &mut usize, f: &dyn Fn(char) -> bool| {
            while let Some(n) = self.c(*q) {
                if f(n) {
                    *q += n.len_utf8();
                } else {
                    break;
                }
            }
        };
        match c {
            '.' | '!' | '?' | '\u{2026}' | '\u{3002}' | '\u{FF01}' | '\u{FF1F}' => {
                run_of(&mut q, &|n| {
                    matches!(
                        n,
                        '.' | '!' | '?' | '\u{2026}' | '\u{3002}' | '\u{FF01}' | '\u{FF1F}'
                    )
                })
            }
            '#' if p == self.start && self.c(q).is_some_and(char::is_alphabetic) => {
                // A hashtag.
                run_of(&mut q, &|n| is_word(n) || n == '_')
            }
            '-' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '*' | '=' | '<' | '>' | '_' | '~'
            | '#' | '+' | '^' | '|' | ':' | '$' => run_of(&mut q, &|n| n == c),
            // `` and '' (and their curly forms) are double quotes.
            '`' | '\'' | '\u{2018}' | '\u{2019}' if self.c(q) == Some(c) => q += c.len_utf8(),
            _ => {}
        }
        run_of(&mut q, &is_extender);
        q
    }
}

/// "51K", "300USD", "5pm", "7:30PM", "3.5bn": a number followed by a unit is two tokens (as in UD
/// EWT); ordinals and decades ("4th", "1960s") stay one. Returns the byte offset of the unit.
fn number_unit_cut(w: &str) -> Option<usize> {
    let b = w.as_bytes();
    if b.is_empty() || !b[0].is_ascii_digit() {
        return None;
    }
    let k = b
        .iter()
        .position(|x| !(x.is_ascii_digit() || matches!(x, b',' | b'.' | b':')))?;
    if !b[k - 1].is_ascii_digit() || !b[k..].iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    let unit = w[k..].to_ascii_lowercase();
    (!matches!(unit.as_str(), "th" | "st" | "nd" | "rd" | "s")).then_some(k)
}

/// Splits off English clitics the way UD EWT does: "don't" → "do" + "n't", "it's" → "it" +
/// "'s", "cannot" → "can" + "not", "gonna" → "gon" + "na", "dont" → "do" + "nt".
fn split_contraction(t: &str, s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    let w = &t[s..e];
    if let Some(cut) = contraction_cut(w) {
        if cut > 0 && cut < w.len() {
            out.push((s, s + cut));
            out.push((s + cut, e));
            return;
        }
    }
    out.push((s, e));
}

/// The clitic cut of a word with an apostrophe ("don't", "it’s", "we'll").
fn apostrophe_cut(w: &str) -> Option<usize> {
    let chars: Vec<(usize, char)> = w.char_indices().collect();
    let n = chars.len();
    let lower_tail = |from: usize| -> String {
        chars[from..]
            .iter()
            .map(|&(_, c)| c.to_ascii_lowercase())
            .collect()
    };
    if n >= 4 {
        let tail = lower_tail(n - 3);
        if (tail == "n't" || tail == "n\u{2019}t") && chars[n - 4].1.is_alphabetic() {
            return Some(chars[n - 3].0);
        }
    }
    for k in [2usize, 3] {
        if n > k {
            let (i, a) = chars[n - k];
            if is_apostrophe(a) || a == '`' {
                let tail = lower_tail(n - k + 1);
                let clitic = matches!(tail.as_str(), "s" | "m" | "d" | "ll" | "re" | "ve");
                if clitic && chars[n - k - 1].1.is_alphabetic() {
                    return Some(i);
                }
            }
        }
    }
    None
}

/// Byte offset inside `w` where a clitic starts, if any.
fn contraction_cut(w: &str) -> Option<usize> {
    if w.len() < 2 || w.len() > 40 || w.ends_with('.') {
        return None;
    }
    // 0xE2 leads U+2019 (and other characters: the slow path sorts them out).
    if w.bytes().any(|b| matches!(b, b'\'' | b'`' | 0xE2)) {
        return apostrophe_cut(w);
    }
    if !w.is_ascii() || w.len() > 9 {
        return None;
    }
    let mut buf = [0u8; 9];
    let lower = &mut buf[..w.len()];
    lower.copy_from_slice(w.as_bytes());
    lower.make_ascii_lowercase();
    let lower = std::str::from_utf8(lower).ok()?;
    let cut = match lower {
        "cannot" | "gonna" | "wanna" | "gotta" => 3,
        "dont" | "didnt" | "doesnt" | "isnt" | "wasnt" | "arent" | "werent" | "cant" | "wont"
        | "couldnt" | "wouldnt" | "shouldnt" | "havent" | "hasnt" | "hadnt" | "aint" => {
            lower.len() - 2
        }
        "im" | "ive" => 1,
        "youre" | "youve" | "youll" => 3,
        "theyre" | "theyve" => 4,
        // "thats" → "that" + "s", as UD EWT splits it
        "thats" | "whats" | "theres" | "hes" | "shes" | "elses" => lower.len() - 1,
        _ => return None,
    };
    Some(cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(t: &str) -> Vec<&str> {
        lex(t).into_iter().map(|(s, e)| &t[s..e]).collect()
    }

    #[test]
    fn lists_are_sorted_for_binary_search() {
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0] < w[1]));
        assert!(HYPHEN_PREFIXES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn contractions() {
        assert_eq!(forms("I don't know"), ["I", "do", "n't", "know"]);
        assert_eq!(forms("it's Bush's"), ["it", "'s", "Bush", "'s"]);
        assert_eq!(forms("I cannot"), ["I", "can", "not"]);
        assert_eq!(forms("won’t"), ["wo", "n’t"]);
        assert_eq!(forms("O'Connell"), ["O'Connell"]);
    }

    #[test]
    fn words_with_inner_punctuation() {
        assert_eq!(
            forms("1,000.5 3.5% $20"),
            ["1,000.5", "3.5", "%", "$", "20"]
        );
        assert_eq!(
            forms("the U.S. and e-mail"),
            ["the", "U.S.", "and", "e-mail"]
        );
        assert_eq!(
            forms("10-year 713-853-3989"),
            ["10", "-", "year", "713-853-3989"]
        );
        assert_eq!(forms("and/or w/o 9/11"), ["and", "/", "or", "w/o", "9/11"]);
    }

    #[test]
    fn abbreviation_shapes() {
        assert!(is_abbreviation("U.S"));
        assert!(is_abbreviation("J"));
        assert!(is_abbreviation("Gen"));
        assert!(is_abbreviation("a.m"));
        assert!(!is_abbreviation("the"));
        assert!(!is_abbreviation("j"));
    }
}
