//! `dyad validate`: run a PETRARCH / UniversalPetrarch validation file and score the coder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use dyad_coder::{Coder, CoderBuilder, Outcome};
use dyad_io::{CodingOptions, ReadOptions, Record};

mod score {
    //! Scoring coded events against a validation record's expectations.
    //!
    //! A record is *exact* when the multiset of `(source, target, code)` it produced equals the
    //! expected one (for no-event, discard and error records: when the expected outcome
    //! occurred). For the rates, events with a null actor (`---`, alone or before an agent)
    //! are left out on both sides, as UniversalPetrarch's scorer does: `tp` is the share of
    //! expected events found, `fp` the number of extra events per record.

    use std::collections::BTreeMap;

    /// One `(source, target, code)` triple.
    pub type Triple = (String, String, String);

    /// What a record expects.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum Expected {
        /// These events (possibly none: `noevents`).
        Events(Vec<Triple>),
        /// The sentence is discarded (`sentencediscard`/`storydiscard`).
        Discard {
            /// True for `storydiscard`.
            story: bool,
        },
        /// Some other error outcome (`bad_input_parse`, `dateline`, ...).
        Error(String),
    }

    /// What the coder did with a record.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum Got {
        /// These events (possibly none).
        Events(Vec<Triple>),
        /// The coder discarded the sentence.
        Discard {
            /// True for a story-level discard.
            story: bool,
        },
        /// The record could not be read (bad parse): the input was rejected.
        Rejected,
    }

    /// A triple with a null actor on either side.
    pub fn has_null(t: &Triple) -> bool {
        let null = |c: &str| c.is_empty() || c.starts_with("---");
        null(&t.0) || null(&t.1)
    }

    /// Per-record result.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct Score {
        /// Outcome matched exactly.
        pub exact: bool,
        /// Expected events without null actors.
        pub expected: usize,
        /// Of those, how many were produced.
        pub found: usize,
        /// Produced events (without null actors) that were not expected.
        pub extra: usize,
        /// Events with a null actor (expected or produced), left out of the rates.
        pub null: usize,
    }

    fn counts(v: &[Triple]) -> BTreeMap<&Triple, usize> {
        let mut m = BTreeMap::new();
        for t in v {
            *m.entry(t).or_insert(0) += 1;
        }
        m
    }

    /// Scores one record.
    pub fn score(expected: &Expected, got: &Got) -> Score {
        let empty = Vec::new();
        let got_events = match got {
            Got::Events(v) => v,
            _ => &empty,
        };
        let exact = match (expected, got) {
            (Expected::Events(e), Got::Events(g)) => counts(e) == counts(g),
            (Expected::Discard { story: a }, Got::Discard { story: b }) => a == b,
            (Expected::Error(_), Got::Rejected) => true,
            _ => false,
        };
        let exp_events = match expected {
            Expected::Events(v) => v,
            _ => &empty,
        };
        let e: Vec<Triple> = exp_events
            .iter()
            .filter(|t| !has_null(t))
            .cloned()
            .collect();
        let g: Vec<Triple> = got_events
            .iter()
            .filter(|t| !has_null(t))
            .cloned()
            .collect();
        let null = exp_events.len() - e.len() + got_events.len() - g.len();
        let ec = counts(&e);
        let gc = counts(&g);
        let found: usize = ec
            .iter()
            .map(|(t, n)| (*n).min(gc.get(t).copied().unwrap_or(0)))
            .sum();
        Score {
            exact,
            expected: e.len(),
            found,
            extra: g.len() - found,
            null,
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn t(s: &str, g: &str, c: &str) -> Triple {
            (s.into(), g.into(), c.into())
        }

        #[test]
        fn multisets_and_null_actors() {
            let e = Expected::Events(vec![t("ARN", "GON", "064"), t("---GOV", "---", "023")]);
            let g = Got::Events(vec![t("GON", "ARN", "064"), t("ARN", "GON", "064")]);
            let s = score(&e, &g);
            assert_eq!(
                (s.exact, s.expected, s.found, s.extra, s.null),
                (false, 1, 1, 1, 1)
            );
            let s = score(&Expected::Events(vec![]), &Got::Events(vec![]));
            assert!(s.exact);
            assert!(
                score(
                    &Expected::Discard { story: true },
                    &Got::Discard { story: true }
                )
                .exact
            );
            assert!(!score(&Expected::Discard { story: true }, &Got::Events(vec![])).exact);
        }
    }
}

use score::{score, Expected, Got, Score, Triple};

/// Flags of this subcommand.
#[derive(clap::Args)]
pub struct Args {
    /// The validation file (`PETR.UnitTest.records.xml`, `PETR_Validate_records_2_02.xml`).
    pub file: PathBuf,
    /// Where the dictionaries named in `<Environment>` are (default: the file's folder).
    #[arg(long)]
    pub dict_dir: Option<PathBuf>,
    /// Fail on malformed dictionary entries and on unreadable records.
    #[arg(long)]
    pub strict: bool,
    /// Print every record that is not coded exactly: expected and produced events, and
    /// what happened to each verb.
    #[arg(long)]
    pub show_failures: bool,
}

/// Totals for one category (or all).
#[derive(Default, Clone)]
struct Row {
    records: usize,
    exact: usize,
    expected: usize,
    found: usize,
    extra: usize,
    null: usize,
}

impl Row {
    fn add(&mut self, s: &Score) {
        self.records += 1;
        self.exact += usize::from(s.exact);
        self.expected += s.expected;
        self.found += s.found;
        self.extra += s.extra;
        self.null += s.null;
    }

    fn tp(&self) -> f64 {
        if self.expected == 0 {
            0.0
        } else {
            self.found as f64 / self.expected as f64
        }
    }

    fn fp(&self) -> f64 {
        if self.records == 0 {
            0.0
        } else {
            self.extra as f64 / self.records as f64
        }
    }
}

/// The coder options for the current `<Config>` state. PETRARCH-1/TABARI dictionaries
/// split `/` actor codes into separate actors (PETRARCH-1 behaviour); PETRARCH-2
/// dictionaries keep them whole (UniversalPetrarch behaviour).
fn triples(events: &[dyad_types::Event]) -> Vec<Triple> {
    events
        .iter()
        .map(|e| (e.source.code.clone(), e.target.code.clone(), e.code.clone()))
        .collect()
}

fn expected_of(r: &Record) -> Expected {
    match r.expected_error.as_deref() {
        Some("sentencediscard") => Expected::Discard { story: false },
        Some("storydiscard") => Expected::Discard { story: true },
        Some(e) => Expected::Error(e.to_string()),
        None => Expected::Events(
            r.expected
                .iter()
                .map(|e| (clean(&e.source), clean(&e.target), clean(&e.code)))
                .collect(),
        ),
    }
}

/// Expected codes as written, without blanks; an empty slot is the null actor `---`.
fn clean(s: &str) -> String {
    let t = s.trim();
    if t.is_empty() {
        "---".to_string()
    } else {
        t.to_string()
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    // Validation parses are sometimes edited apart from their text: code from the parse.
    let read = ReadOptions {
        strict_alignment: false,
        ..ReadOptions::default()
    };
    let file =
        dyad_io::read_petrarch_file(&args.file, &read).map_err(|e| anyhow::anyhow!("{e}"))?;
    let dir: PathBuf = match &args.dict_dir {
        Some(d) => d.clone(),
        None => args
            .file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(".")),
    };
    let env = &file.environment;
    let files = super::petrarch::DictFiles {
        verbs: env.verb_file.as_deref(),
        actors: &env.actor_files,
        agents: env.agent_file.as_deref(),
        discards: env.discard_file.as_deref(),
        issues: env.issue_file.as_deref(),
    };
    let dicts = super::petrarch::load_dictionaries(&dir, &files, args.strict)?;
    let ontology = match &env.pico_file {
        Some(p) => {
            let path = dir.join(p);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            dyad_coder::CodeOntology::parse(&text, &path.display().to_string())?
        }
        None => dyad_coder::CodeOntology::default(),
    };

    let mut options = CodingOptions::default();
    let apply = |options: &mut CodingOptions, cfg: &[dyad_io::ConfigOption]| {
        for c in cfg {
            if let Err(e) = options.set(&c.option, &c.value) {
                eprintln!("{}: {e}", c.location);
            }
        }
    };
    apply(&mut options, &env.config);
    let build = |o: &CodingOptions| -> anyhow::Result<Coder> {
        Ok(CoderBuilder::new()
            .dictionaries(dicts.clone())
            .ontology(ontology.clone())
            .options(super::petrarch::coder_options(o, &dicts))
            .build()?)
    };
    let mut current = super::petrarch::coder_options(&options, &dicts);
    let mut coder = build(&options)?;

    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut total = Row::default();
    let (mut skipped, mut broken) = (0usize, 0usize);
    for rec in &file.records {
        let r = match rec {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{e}");
                broken += 1;
                // A record meant to be rejected (`bad_input_parse`) that is rejected is
                // coded exactly.
                if e.expected_error.is_some() {
                    let s = score(
                        &Expected::Error(e.expected_error.clone().unwrap_or_default()),
                        &Got::Rejected,
                    );
                    let cat = "(rejected)".to_string();
                    if !rows.contains_key(&cat) {
                        order.push(cat.clone());
                    }
                    rows.entry(cat).or_default().add(&s);
                    total.add(&s);
                }
                continue;
            }
        };
        apply(&mut options, &r.config);
        let wanted = super::petrarch::coder_options(&options, &dicts);
        if wanted != current {
            coder = build(&options)?;
            current = wanted;
        }
        if !r.evaluate || !env.includes(r.category.as_deref()) {
            skipped += 1;
            continue;
        }
        let coding = coder.code_detailed(&r.sentence);
        let got = match &coding.outcome {
            Outcome::Discarded { story, .. } => Got::Discard { story: *story },
            _ => Got::Events(triples(&coding.events)),
        };
        let expected = expected_of(r);
        let s = score(&expected, &got);
        let cat = r.category.clone().unwrap_or_else(|| "-".into());
        if !rows.contains_key(&cat) {
            order.push(cat.clone());
        }
        rows.entry(cat).or_default().add(&s);
        total.add(&s);
        if args.show_failures && !s.exact {
            println!("--- {} [{}] {}", r.id, r.location, r.text());
            println!("    expected: {expected:?}");
            println!("    got:      {got:?}");
            let parse: Vec<String> = r
                .sentence
                .tokens
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    format!(
                        "{}:{}/{}>{}:{}",
                        i,
                        t.form,
                        t.xpos,
                        t.head as i64 - 1,
                        t.deprel
                    )
                })
                .collect();
            println!("    parse:    {}", parse.join(" "));
            for v in &coding.verbs {
                println!(
                    "    verb {:?} {} code {} pattern {} {:?}",
                    v.tokens,
                    v.verb,
                    v.code,
                    v.pattern.as_deref().unwrap_or("-"),
                    v.rejection
                );
            }
        }
    }

    println!(
        "{:<10} {:>7} {:>6} {:>8} {:>6} {:>6} {:>5} {:>7} {:>7}",
        "category", "records", "exact", "expected", "found", "extra", "null", "tp", "fp"
    );
    let line = |name: &str, r: &Row| {
        println!(
            "{:<10} {:>7} {:>6} {:>8} {:>6} {:>6} {:>5} {:>7.3} {:>7.3}",
            name,
            r.records,
            r.exact,
            r.expected,
            r.found,
            r.extra,
            r.null,
            r.tp(),
            r.fp()
        )
    };
    for c in &order {
        if let Some(r) = rows.get(c) {
            line(c, r);
        }
    }
    line("total", &total);
    println!(
        "events with a null actor (---) are left out of expected/found/extra, tp and fp ('null' counts them); \
         skipped records (evaluate=\"false\" or category not in <Include>): {skipped}; unreadable records: {broken}; {:.2}s",
        started.elapsed().as_secs_f64()
    );
    println!(
        "validate: records={} exact={} tp={:.3} fp={:.3}",
        total.records,
        total.exact,
        total.tp(),
        total.fp()
    );
    if args.strict && broken > 0 {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
