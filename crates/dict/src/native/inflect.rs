//! English verb inflection for native verb lemmas: `-s`, `-ed`, `-ing` with the spelling
//! rules, and a table of irregular verbs.

/// Irregular verbs: base, past forms, past participles (`/` separates variants). Regular
/// `-s` and `-ing` forms are generated for them; prefixed verbs (`withdraw`, `undertake`,
/// `rebuild`, `overthrow`) are found through their last part.
const IRREGULAR: &[(&str, &str, &str)] = &[
    ("arise", "arose", "arisen"),
    ("awake", "awoke", "awoken"),
    ("be", "was/were", "been"),
    ("bear", "bore", "borne/born"),
    ("beat", "beat", "beaten/beat"),
    ("become", "became", "become"),
    ("begin", "began", "begun"),
    ("bend", "bent", "bent"),
    ("bet", "bet", "bet"),
    ("bid", "bid", "bid"),
    ("bind", "bound", "bound"),
    ("bite", "bit", "bitten"),
    ("bleed", "bled", "bled"),
    ("blow", "blew", "blown"),
    ("break", "broke", "broken"),
    ("breed", "bred", "bred"),
    ("bring", "brought", "brought"),
    ("broadcast", "broadcast", "broadcast"),
    ("build", "built", "built"),
    ("burn", "burned/burnt", "burned/burnt"),
    ("burst", "burst", "burst"),
    ("buy", "bought", "bought"),
    ("cast", "cast", "cast"),
    ("catch", "caught", "caught"),
    ("choose", "chose", "chosen"),
    ("cling", "clung", "clung"),
    ("come", "came", "come"),
    ("cost", "cost", "cost"),
    ("creep", "crept", "crept"),
    ("cut", "cut", "cut"),
    ("deal", "dealt", "dealt"),
    ("dig", "dug", "dug"),
    ("do", "did", "done"),
    ("draw", "drew", "drawn"),
    ("dream", "dreamed/dreamt", "dreamed/dreamt"),
    ("drink", "drank", "drunk"),
    ("drive", "drove", "driven"),
    ("eat", "ate", "eaten"),
    ("fall", "fell", "fallen"),
    ("feed", "fed", "fed"),
    ("feel", "felt", "felt"),
    ("fight", "fought", "fought"),
    ("find", "found", "found"),
    ("flee", "fled", "fled"),
    ("fling", "flung", "flung"),
    ("fly", "flew", "flown"),
    ("forbid", "forbade/forbad", "forbidden"),
    ("forecast", "forecast", "forecast"),
    ("forget", "forgot", "forgotten"),
    ("forgive", "forgave", "forgiven"),
    ("forgo", "forwent", "forgone"),
    ("forsake", "forsook", "forsaken"),
    ("freeze", "froze", "frozen"),
    ("get", "got", "got/gotten"),
    ("give", "gave", "given"),
    ("go", "went", "gone"),
    ("grind", "ground", "ground"),
    ("grow", "grew", "grown"),
    ("hang", "hung/hanged", "hung/hanged"),
    ("have", "had", "had"),
    ("hear", "heard", "heard"),
    ("hide", "hid", "hidden"),
    ("hit", "hit", "hit"),
    ("hold", "held", "held"),
    ("hurt", "hurt", "hurt"),
    ("keep", "kept", "kept"),
    ("kneel", "knelt/kneeled", "knelt/kneeled"),
    ("know", "knew", "known"),
    ("lay", "laid", "laid"),
    ("lead", "led", "led"),
    ("lean", "leaned/leant", "leaned/leant"),
    ("leap", "leaped/leapt", "leaped/leapt"),
    ("learn", "learned/learnt", "learned/learnt"),
    ("leave", "left", "left"),
    ("lend", "lent", "lent"),
    ("let", "let", "let"),
    ("lie", "lay/lied", "lain/lied"),
    ("light", "lit/lighted", "lit/lighted"),
    ("lose", "lost", "lost"),
    ("make", "made", "made"),
    ("mean", "meant", "meant"),
    ("meet", "met", "met"),
    ("pay", "paid", "paid"),
    ("plead", "pleaded/pled", "pleaded/pled"),
    ("prove", "proved", "proved/proven"),
    ("put", "put", "put"),
    ("quit", "quit/quitted", "quit/quitted"),
    ("read", "read", "read"),
    ("rid", "rid", "rid"),
    ("ride", "rode", "ridden"),
    ("ring", "rang", "rung"),
    ("rise", "rose", "risen"),
    ("run", "ran", "run"),
    ("say", "said", "said"),
    ("see", "saw", "seen"),
    ("seek", "sought", "sought"),
    ("sell", "sold", "sold"),
    ("send", "sent", "sent"),
    ("set", "set", "set"),
    ("shake", "shook", "shaken"),
    ("shed", "shed", "shed"),
    ("shine", "shone/shined", "shone/shined"),
    ("shoot", "shot", "shot"),
    ("show", "showed", "shown/showed"),
    ("shrink", "shrank", "shrunk"),
    ("shut", "shut", "shut"),
    ("sing", "sang", "sung"),
    ("sink", "sank", "sunk"),
    ("sit", "sat", "sat"),
    ("slay", "slew", "slain"),
    ("sleep", "slept", "slept"),
    ("slide", "slid", "slid"),
    ("sling", "slung", "slung"),
    ("slit", "slit", "slit"),
    ("speak", "spoke", "spoken"),
    ("speed", "sped/speeded", "sped/speeded"),
    ("spend", "spent", "spent"),
    ("spill", "spilled/spilt", "spilled/spilt"),
    ("spin", "spun", "spun"),
    ("spit", "spat/spit", "spat/spit"),
    ("split", "split", "split"),
    ("spread", "spread", "spread"),
    ("spring", "sprang", "sprung"),
    ("stand", "stood", "stood"),
    ("steal", "stole", "stolen"),
    ("stick", "stuck", "stuck"),
    ("sting", "stung", "stung"),
    ("stink", "stank", "stunk"),
    ("stride", "strode", "stridden"),
    ("strike", "struck", "struck/stricken"),
    ("string", "strung", "strung"),
    ("strive", "strove/strived", "striven/strived"),
    ("swear", "swore", "sworn"),
    ("sweep", "swept", "swept"),
    ("swell", "swelled", "swollen/swelled"),
    ("swim", "swam", "swum"),
    ("swing", "swung", "swung"),
    ("take", "took", "taken"),
    ("teach", "taught", "taught"),
    ("tear", "tore", "torn"),
    ("tell", "told", "told"),
    ("think", "thought", "thought"),
    ("throw", "threw", "thrown"),
    ("thrust", "thrust", "thrust"),
    ("tread", "trod", "trodden"),
    ("wake", "woke", "woken"),
    ("wear", "wore", "worn"),
    ("weave", "wove", "woven"),
    ("wed", "wed/wedded", "wed/wedded"),
    ("weep", "wept", "wept"),
    ("win", "won", "won"),
    ("wind", "wound", "wound"),
    ("wring", "wrung", "wrung"),
    ("write", "wrote", "written"),
];

/// Prefixes under which a verb keeps its irregular forms (`withdraw` → `withdrew`).
const PREFIXES: &[&str] = &[
    "counter", "fore", "mis", "out", "over", "re", "un", "under", "up", "with",
];

/// Prefixed words that look like prefix + irregular verb but are regular.
const NOT_PREFIXED: &[&str] = &["relay", "relight", "unwind"];

/// Verbs of more than one syllable whose final consonant doubles (`commit` → `committed`).
const DOUBLES: &[&str] = &[
    "abet", "acquit", "admit", "allot", "beset", "commit", "compel", "concur", "confer", "control",
    "defer", "deter", "dispel", "embed", "emit", "enrol", "equip", "excel", "expel", "extol",
    "handicap", "incur", "infer", "kidnap", "occur", "omit", "patrol", "permit", "prefer",
    "program", "propel", "rebel", "recur", "refer", "regret", "remit", "repel", "submit",
    "transfer", "transmit", "unplug", "worship",
];

fn vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

fn syllables(w: &str) -> usize {
    let mut n = 0;
    let mut prev = false;
    for c in w.chars() {
        let v = vowel(c) || c == 'y';
        if v && !prev {
            n += 1;
        }
        prev = v;
    }
    n
}

/// Whether the last consonant doubles before `-ed`/`-ing`: one-syllable words ending in
/// one vowel and one consonant (not w, x, y), and the verbs of [`DOUBLES`].
fn doubles(w: &str) -> bool {
    if DOUBLES.contains(&w) {
        return true;
    }
    let c: Vec<char> = w.chars().collect();
    let n = c.len();
    n >= 3
        && !vowel(c[n - 1])
        && !matches!(c[n - 1], 'w' | 'x' | 'y')
        && vowel(c[n - 2])
        && !vowel(c[n - 3])
        && syllables(w) == 1
}

/// British doubling of a final `l` after one vowel in longer verbs (`cancel` → both
/// `canceled` and `cancelled`).
fn doubles_l_uk(w: &str) -> bool {
    let c: Vec<char> = w.chars().collect();
    let n = c.len();
    n >= 4 && c[n - 1] == 'l' && vowel(c[n - 2]) && !vowel(c[n - 3]) && syllables(w) > 1
}

/// The regular `-s`, `-ed` and `-ing` forms (several `-ed`/`-ing` spellings for British
/// doubling).
fn regular(w: &str) -> (String, Vec<String>, Vec<String>) {
    let last = w.chars().last().unwrap_or(' ');
    let before = w.chars().rev().nth(1).unwrap_or(' ');
    let stem_y = w.strip_suffix('y');
    if let (Some(stem), false) = (stem_y, vowel(before)) {
        if w.len() > 2 {
            return (
                format!("{stem}ies"),
                vec![format!("{stem}ied")],
                vec![format!("{w}ing")],
            );
        }
    }
    if let Some(stem) = w.strip_suffix("ie") {
        return (
            format!("{w}s"),
            vec![format!("{w}d")],
            vec![format!("{stem}ying")],
        );
    }
    if last == 'e' {
        let ing = if matches!(before, 'e' | 'y' | 'o') || w == "be" {
            format!("{w}ing")
        } else {
            format!("{}ing", &w[..w.len() - 1])
        };
        return (format!("{w}s"), vec![format!("{w}d")], vec![ing]);
    }
    let sibilant = w.ends_with(['s', 'x', 'z']) || w.ends_with("sh") || w.ends_with("ch");
    let s = if sibilant || (last == 'o' && !vowel(before)) {
        format!("{w}es")
    } else {
        format!("{w}s")
    };
    if w.len() > 3 && w.ends_with("ic") {
        return (s, vec![format!("{w}ked")], vec![format!("{w}king")]);
    }
    if doubles(w) {
        return (
            s,
            vec![format!("{w}{last}ed")],
            vec![format!("{w}{last}ing")],
        );
    }
    let (mut ed, mut ing) = (vec![format!("{w}ed")], vec![format!("{w}ing")]);
    if doubles_l_uk(w) {
        ed.push(format!("{w}led"));
        ing.push(format!("{w}ling"));
    }
    (s, ed, ing)
}

fn irregular(w: &str) -> Option<(String, &'static str, &'static str)> {
    if let Some(&(_, past, part)) = IRREGULAR.iter().find(|(b, _, _)| *b == w) {
        return Some((String::new(), past, part));
    }
    if NOT_PREFIXED.contains(&w) {
        return None;
    }
    for p in PREFIXES {
        if let Some(rest) = w.strip_prefix(p) {
            if rest.len() >= 2 {
                if let Some(&(_, past, part)) = IRREGULAR.iter().find(|(b, _, _)| *b == rest) {
                    return Some((p.to_string(), past, part));
                }
            }
        }
    }
    None
}

/// Every form of a verb lemma, uppercase, the lemma first: `urge` → `URGE`, `URGES`,
/// `URGED`, `URGING`; `stop` → `STOPPED`, `STOPPING`; `carry` → `CARRIES`, `CARRIED`;
/// `withdraw` → `WITHDREW`, `WITHDRAWN`; `be` → `AM`, `IS`, `ARE`, `WAS`, `WERE`...
///
/// ```
/// let forms = dyad_dict::verb_forms("seek");
/// assert_eq!(forms, ["SEEK", "SEEKS", "SEEKING", "SOUGHT"]);
/// ```
pub fn verb_forms(lemma: &str) -> Vec<String> {
    let w = lemma.trim().to_ascii_lowercase();
    let mut out = vec![w.clone()];
    let (s, ed, ing) = regular(&w);
    let s = match w.as_str() {
        "be" => "is".to_string(),
        "have" => "has".to_string(),
        _ => s,
    };
    out.push(s);
    if w == "be" {
        out.extend(["am", "are"].map(String::from));
    }
    out.extend(ing);
    match irregular(&w) {
        Some((prefix, past, part)) => {
            for f in past.split('/').chain(part.split('/')) {
                out.push(format!("{prefix}{f}"));
            }
        }
        None => out.extend(ed),
    }
    let mut seen = std::collections::HashSet::new();
    out.into_iter()
        .map(|f| f.to_ascii_uppercase())
        .filter(|f| seen.insert(f.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(lemma: &str, form: &str) -> bool {
        verb_forms(lemma).iter().any(|f| f == form)
    }

    #[test]
    fn regular_spelling_rules() {
        assert_eq!(verb_forms("urge"), ["URGE", "URGES", "URGING", "URGED"]);
        assert!(has("stop", "STOPPED") && has("stop", "STOPPING") && has("stop", "STOPS"));
        assert!(has("carry", "CARRIES") && has("carry", "CARRIED") && has("carry", "CARRYING"));
        assert!(has("play", "PLAYED") && has("play", "PLAYS"));
        assert!(has("push", "PUSHES") && has("fix", "FIXES") && has("fix", "FIXED"));
        assert!(has("veto", "VETOES") && has("echo", "ECHOES"));
        assert!(has("agree", "AGREEING") && has("agree", "AGREED"));
        assert!(has("tie", "TYING") && has("tie", "TIED"));
        assert!(has("commit", "COMMITTED") && has("visit", "VISITED") && !has("visit", "VISITTED"));
        assert!(has("open", "OPENED") && has("target", "TARGETED"));
        assert!(has("cancel", "CANCELED") && has("cancel", "CANCELLED"));
        assert!(has("appeal", "APPEALED") && !has("appeal", "APPEALLED"));
        assert!(has("panic", "PANICKED") && has("mimic", "MIMICKING"));
        assert!(has("row", "ROWED") && !has("row", "ROWWED"));
        assert!(has("equip", "EQUIPPED") && has("patrol", "PATROLLED"));
    }

    #[test]
    fn irregular_verbs() {
        assert!(has("take", "TOOK") && has("take", "TAKEN") && has("take", "TAKING"));
        assert!(!has("take", "TAKED"));
        assert!(has("withdraw", "WITHDREW") && has("withdraw", "WITHDRAWN"));
        assert!(has("undertake", "UNDERTOOK") && has("rebuild", "REBUILT"));
        assert!(has("relay", "RELAYED"));
        assert!(has("be", "WAS") && has("be", "IS") && has("be", "BEING") && has("be", "BEEN"));
        assert!(has("have", "HAS") && has("have", "HAD") && has("do", "DOES") && has("go", "WENT"));
        assert!(has("run", "RUNNING") && has("lie", "LYING") && has("see", "SEEING"));
    }
}
