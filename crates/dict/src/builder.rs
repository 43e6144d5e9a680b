//! The builder that reads dictionary files and the immutable bundle it produces.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::actors::{ActorDictionary, ActorLoader};
use crate::agents::{AgentDictionary, AgentLoader};
use crate::discards::{DiscardLoader, Discards};
use crate::error::{Diagnostic, Error, Result, Sink};
use crate::issues::{IssueLoader, Issues};
use crate::native::NativeLoader;
use crate::pattern::VerbSyntax;
use crate::verbs::{detect_syntax, VerbDictionary, VerbLoader};

/// What kind of dictionary a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DictKind {
    /// Actors (`*.actors.txt`).
    Actors,
    /// Agents (`*.agents.txt`).
    Agents,
    /// Verb patterns in the given syntax.
    Verbs(VerbSyntax),
    /// Discards.
    Discards,
    /// Issues.
    Issues,
    /// dyad's native format (`.dyad`): actors, agents or verbs, told apart by the content.
    /// Any file whose name ends in `.dyad` is read as native whatever kind it is given as
    /// (a given kind is then checked instead of detected).
    Native,
}

/// What one input file contributed, for reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileStats {
    /// The file name as given to the builder.
    pub file: Arc<str>,
    /// The kind it was read as (for verbs, with the syntax actually used).
    pub kind: DictKind,
    /// Entries read: actor records, agents, verbs, discards or issue lines.
    pub entries: usize,
    /// For verb files, patterns read (0 otherwise).
    pub patterns: usize,
    /// For verb files, synsets defined (0 otherwise).
    pub synsets: usize,
    /// Diagnostics this file produced.
    pub diagnostics: usize,
    /// Time spent reading and parsing the file, in microseconds.
    pub micros: u64,
    /// Finer counts by label, for native files (`actors`, `people`, `names`, `roles`;
    /// `agents`, `nouns`; `verbs`, `patterns`, `word lists`, `words`); empty otherwise.
    pub details: Vec<(&'static str, usize)>,
}

enum Data {
    Path(PathBuf),
    Text(String),
    Static(&'static str),
}

struct Input {
    kind: DictKind,
    name: Arc<str>,
    data: Data,
}

/// Collects dictionary files, then reads and compiles them once with
/// [`DictionaryBuilder::build`].
///
/// Several files of one kind are merged in the order added. By default a malformed entry
/// is skipped and reported in [`Dictionaries::diagnostics`]; with
/// [`strict`](DictionaryBuilder::strict) the first one fails the build.
#[derive(Default)]
pub struct DictionaryBuilder {
    strict: bool,
    inputs: Vec<Input>,
}

impl DictionaryBuilder {
    /// An empty builder (warn-and-skip mode).
    pub fn new() -> DictionaryBuilder {
        DictionaryBuilder::default()
    }

    /// Makes a malformed entry an error ([`ErrorKind::Malformed`](crate::ErrorKind)) instead
    /// of a diagnostic.
    pub fn strict(&mut self, yes: bool) -> &mut DictionaryBuilder {
        self.strict = yes;
        self
    }

    /// Adds a file of the given kind, read at [`build`](DictionaryBuilder::build) time.
    /// Diagnostics name it as given.
    pub fn file(&mut self, kind: DictKind, path: impl AsRef<Path>) -> &mut DictionaryBuilder {
        let path = path.as_ref();
        let name: Arc<str> = Arc::from(path.display().to_string());
        self.inputs.push(Input {
            kind,
            name,
            data: Data::Path(path.to_path_buf()),
        });
        self
    }

    /// Adds dictionary text held in memory; `name` is what diagnostics and
    /// [`SourceRef`](dyad_types::SourceRef)s call it.
    pub fn text(
        &mut self,
        kind: DictKind,
        name: &str,
        text: impl Into<String>,
    ) -> &mut DictionaryBuilder {
        self.inputs.push(Input {
            kind,
            name: Arc::from(name),
            data: Data::Text(text.into()),
        });
        self
    }

    /// Adds an actor file.
    pub fn actors(&mut self, path: impl AsRef<Path>) -> &mut DictionaryBuilder {
        self.file(DictKind::Actors, path)
    }

    /// Adds an agent file.
    pub fn agents(&mut self, path: impl AsRef<Path>) -> &mut DictionaryBuilder {
        self.file(DictKind::Agents, path)
    }

    /// Adds a verb file whose syntax is detected ([`VerbSyntax::Auto`]).
    pub fn verbs(&mut self, path: impl AsRef<Path>) -> &mut DictionaryBuilder {
        self.file(DictKind::Verbs(VerbSyntax::Auto), path)
    }

    /// Adds a discard file.
    pub fn discards(&mut self, path: impl AsRef<Path>) -> &mut DictionaryBuilder {
        self.file(DictKind::Discards, path)
    }

    /// Adds an issue file.
    pub fn issues(&mut self, path: impl AsRef<Path>) -> &mut DictionaryBuilder {
        self.file(DictKind::Issues, path)
    }

    /// Adds a dictionary file in dyad's native format (`.dyad`); its kind (actors, agents,
    /// verbs) is told from its content.
    pub fn native(&mut self, path: impl AsRef<Path>) -> &mut DictionaryBuilder {
        self.file(DictKind::Native, path)
    }

    /// Adds native-format dictionary text held in memory.
    pub fn native_text(&mut self, name: &str, text: impl Into<String>) -> &mut DictionaryBuilder {
        self.text(DictKind::Native, name, text)
    }

    /// Adds dyad's default dictionaries (`dictionaries/**/*.dyad`, embedded in the
    /// library), in path order; files added afterwards win ties against them.
    pub fn embedded_defaults(&mut self) -> &mut DictionaryBuilder {
        for (name, text) in crate::defaults::FILES {
            self.inputs.push(Input {
                kind: DictKind::Native,
                name: Arc::from(*name),
                data: Data::Static(text),
            });
        }
        self
    }

    /// Adds the dictionaries a PETRARCH `PETR_config.ini` names in its `[Dictionaries]`
    /// section (`verbfile_name`, `actorfile_list`, `agentfile_name`, `discardfile_name`,
    /// `issuefile_name`), resolved against `dir` (default: the config file's folder).
    ///
    /// Fails when the config cannot be read or names no verb file.
    pub fn petrarch_config(
        &mut self,
        ini: impl AsRef<Path>,
        dir: Option<&Path>,
    ) -> Result<&mut DictionaryBuilder> {
        let ini = ini.as_ref();
        let text = std::fs::read_to_string(ini).map_err(|e| Error::io(ini.to_path_buf(), e))?;
        let base = match dir {
            Some(d) => d.to_path_buf(),
            None => ini.parent().map(Path::to_path_buf).unwrap_or_default(),
        };
        let file: Arc<str> = Arc::from(ini.display().to_string());
        let mut section = String::new();
        let mut found: Vec<(DictKind, PathBuf)> = Vec::new();
        let mut has_verbs = false;
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split(['#', ';']).next().unwrap_or("").trim();
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = name.trim().to_ascii_lowercase();
                continue;
            }
            if section != "dictionaries" || line.is_empty() {
                continue;
            }
            let Some((key, value)) = line.split_once(['=', ':']) else {
                let at = dyad_types::SourceRef {
                    file: file.clone(),
                    line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                };
                return Err(Error::malformed(Diagnostic::new(
                    at,
                    format!("expected 'key = value', got {line:?}"),
                )));
            };
            let kind = match key.trim().to_ascii_lowercase().as_str() {
                "verbfile_name" => DictKind::Verbs(VerbSyntax::Auto),
                "actorfile_list" | "actorfile_name" => DictKind::Actors,
                "agentfile_name" => DictKind::Agents,
                "discardfile_name" => DictKind::Discards,
                "issuefile_name" => DictKind::Issues,
                _ => continue,
            };
            for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                has_verbs |= matches!(kind, DictKind::Verbs(_));
                found.push((kind, base.join(name)));
            }
        }
        if !has_verbs {
            let at = dyad_types::SourceRef { file, line: 0 };
            return Err(Error::malformed(Diagnostic::new(
                at,
                "no verbfile_name in [Dictionaries]",
            )));
        }
        for (kind, path) in found {
            self.file(kind, path);
        }
        Ok(self)
    }

    /// Reads every file and compiles the dictionaries.
    ///
    /// Fails when a file cannot be read, or in strict mode on the first malformed entry.
    pub fn build(&self) -> Result<Dictionaries> {
        let mut actors = ActorLoader::default();
        let mut agents = AgentLoader::default();
        let mut verbs = VerbLoader::default();
        let mut discards = DiscardLoader::default();
        let mut issues = IssueLoader::default();
        let mut native = NativeLoader::default();
        let mut diagnostics = Vec::new();
        let mut files = Vec::new();
        for input in &self.inputs {
            let started = Instant::now();
            let owned;
            let text: &str = match &input.data {
                Data::Text(t) => t,
                Data::Static(t) => t,
                Data::Path(p) => {
                    let bytes = std::fs::read(p).map_err(|e| Error::io(p.clone(), e))?;
                    owned = String::from_utf8(bytes)
                        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                    &owned
                }
            };
            let mut sink = Sink::new(self.strict);
            let name = &input.name;
            let (mut patterns, mut synsets) = (0, 0);
            let mut kind = input.kind;
            let mut details = Vec::new();
            let is_native = matches!(
                input.kind,
                DictKind::Native | DictKind::Verbs(VerbSyntax::Native)
            ) || name.ends_with(".dyad");
            let entries = match input.kind {
                _ if is_native => {
                    let c = native.load(
                        text,
                        name,
                        input.kind,
                        &mut actors,
                        &mut agents,
                        &mut verbs,
                        &mut sink,
                    );
                    kind = c.kind;
                    patterns = c.patterns;
                    synsets = c.synsets;
                    details = c.details;
                    c.entries
                }
                DictKind::Actors => actors.load(text, name, &mut sink),
                DictKind::Agents => agents.load(text, name, &mut sink),
                DictKind::Discards => discards.load(text, name, &mut sink),
                DictKind::Issues => issues.load(text, name, &mut sink),
                DictKind::Verbs(syntax) => {
                    let syntax = match syntax {
                        VerbSyntax::Auto => detect_syntax(text),
                        s => s,
                    };
                    kind = DictKind::Verbs(syntax);
                    let c = verbs.load(text, name, syntax, &mut sink);
                    patterns = c.patterns;
                    synsets = c.synsets;
                    c.verbs
                }
                // Only reachable for native input, handled above.
                DictKind::Native => 0,
            };
            if let Some(first) = sink.first_error {
                return Err(Error::malformed(first));
            }
            files.push(FileStats {
                file: name.clone(),
                kind,
                entries,
                patterns,
                synsets,
                diagnostics: sink.diagnostics.len(),
                micros: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
                details,
            });
            diagnostics.extend(sink.diagnostics);
        }
        Ok(Dictionaries {
            inner: Arc::new(Inner {
                actors: actors.finish(),
                agents: agents.finish(),
                verbs: verbs.finish(),
                discards: discards.finish(),
                issues: issues.finish(),
                diagnostics,
                files,
            }),
        })
    }
}

#[derive(Debug, Default)]
struct Inner {
    actors: ActorDictionary,
    agents: AgentDictionary,
    verbs: VerbDictionary,
    discards: Discards,
    issues: Issues,
    diagnostics: Vec<Diagnostic>,
    files: Vec<FileStats>,
}

/// Every compiled dictionary, immutable and cheap to clone (one `Arc`); share it freely
/// between threads.
#[derive(Clone, Debug, Default)]
pub struct Dictionaries {
    inner: Arc<Inner>,
}

impl Dictionaries {
    /// No dictionaries at all.
    pub fn empty() -> Dictionaries {
        Dictionaries::default()
    }

    /// The actors.
    pub fn actors(&self) -> &ActorDictionary {
        &self.inner.actors
    }

    /// The agents.
    pub fn agents(&self) -> &AgentDictionary {
        &self.inner.agents
    }

    /// The verbs, patterns, synsets and transformations.
    pub fn verbs(&self) -> &VerbDictionary {
        &self.inner.verbs
    }

    /// The discard list.
    pub fn discards(&self) -> &Discards {
        &self.inner.discards
    }

    /// The issues.
    pub fn issues(&self) -> &Issues {
        &self.inner.issues
    }

    /// Every entry that was skipped, with file, line and reason, in load order.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.inner.diagnostics
    }

    /// What each input file contributed, in the order added.
    pub fn files(&self) -> &[FileStats] {
        &self.inner.files
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const KINDS: [DictKind; 6] = [
        DictKind::Actors,
        DictKind::Agents,
        DictKind::Verbs(VerbSyntax::Petrarch2),
        DictKind::Verbs(VerbSyntax::Tabari),
        DictKind::Discards,
        DictKind::Issues,
    ];

    /// Deterministic mutations of the fixtures: every loader must survive them without a
    /// panic, reporting diagnostics instead.
    #[test]
    fn garbage_never_panics() {
        let seeds = [
            include_str!("../tests/data/p2.verbs.txt"),
            include_str!("../tests/data/tabari.verbs.txt"),
            "A_B [X 950101-960101]\n+C\n\t[Y >950101]\n!P! = A, B\nX!P! {} [~G]\nn:x+y [Z]\n",
        ];
        let specials: Vec<char> = "[]{}()_+&$%^*#<!-~|:; \t\n\u{e9}0>".chars().collect();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for seed in seeds {
            for _ in 0..300 {
                let mut chars: Vec<char> = seed.chars().collect();
                for _ in 0..(next() % 12) {
                    let pos = (next() as usize) % (chars.len() + 1);
                    let c = specials[(next() as usize) % specials.len()];
                    if next() % 3 == 0 && pos < chars.len() {
                        chars.remove(pos);
                    } else {
                        chars.insert(pos, c);
                    }
                }
                let text: String = chars.into_iter().collect();
                for kind in KINDS {
                    let built = DictionaryBuilder::new()
                        .text(kind, "fuzz", text.as_str())
                        .build();
                    assert!(built.is_ok(), "non-strict build failed on {text:?}");
                }
            }
        }
    }

    #[test]
    fn reads_a_petrarch_config() {
        let ini = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/petr_config.ini");
        let mut b = DictionaryBuilder::new();
        b.petrarch_config(ini, None).unwrap();
        let names: Vec<(DictKind, String)> = b
            .inputs
            .iter()
            .map(|i| (i.kind, i.name.rsplit('/').next().unwrap_or("").to_string()))
            .collect();
        assert_eq!(
            names,
            vec![
                (
                    DictKind::Verbs(VerbSyntax::Auto),
                    "p2.verbs.txt".to_string()
                ),
                (DictKind::Actors, "small.actors.txt".to_string()),
                (DictKind::Agents, "small.agents.txt".to_string()),
                (DictKind::Issues, "small.issues.txt".to_string()),
            ]
        );
        let d = b.build().unwrap();
        assert!(d.verbs().lookup("ACCUSED").is_some());
        assert!(d.actors().get("AMERICAN").is_some());
        let missing = DictionaryBuilder::new()
            .petrarch_config("/nonexistent.ini", None)
            .map(|_| ())
            .unwrap_err();
        assert!(matches!(missing.kind(), ErrorKind::Io { .. }));
    }

    #[test]
    fn files_are_merged_in_order_and_counted() {
        let d = DictionaryBuilder::new()
            .text(DictKind::Actors, "a", "ARNOR [ARN]\n")
            .text(DictKind::Actors, "b", "GONDOR [GON]\n+ARNOR\nBAD [X 1-2]\n")
            .build()
            .unwrap();
        assert_eq!(d.actors().len(), 2, "the malformed record is skipped");
        // The last loaded of two equal phrases wins.
        assert_eq!(d.actors().get("ARNOR").unwrap().code_on(None), Some("GON"));
        let counts: Vec<(usize, usize)> = d
            .files()
            .iter()
            .map(|f| (f.entries, f.diagnostics))
            .collect();
        assert_eq!(counts, vec![(1, 0), (1, 1)]);
        assert_eq!(
            d.diagnostics()[0].to_string(),
            "b:3: bad date in [X 1-2]: malformed date \"1\": expected YYMMDD"
        );
        let strict = DictionaryBuilder::new()
            .strict(true)
            .text(DictKind::Actors, "b", "BAD [X 1-2]\n")
            .build();
        assert!(
            matches!(strict.map_err(|e| e.to_string()), Err(m) if m.starts_with("b:1: bad date"))
        );
    }
}
