//! PETRARCH configuration files (`PETR_config.ini`) and coding options.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, Location, Warning};

/// The coding options PETRARCH reads from its config file (`[Options]`) and from
/// `<Config option=... value=...>` elements of validation files.
///
/// Defaults are PETRARCH's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodingOptions {
    /// Longest noun phrase (in words) taken as a new actor when no dictionary actor is
    /// found; 0 disables it (null codes `---` are used). Default 0.
    pub new_actor_length: usize,
    /// Events need both a source and a target. Default true.
    pub require_dyad: bool,
    /// Internal comma-delimited clauses of `comma_min..=comma_max` words are ignored.
    /// Defaults 2 and 8; a max of 0 disables it.
    pub comma_min: usize,
    /// See [`comma_min`](Self::comma_min).
    pub comma_max: usize,
    /// Same for a clause at the beginning of the sentence. Defaults 0 and 0 (disabled).
    pub comma_bmin: usize,
    /// See [`comma_bmin`](Self::comma_bmin).
    pub comma_bmax: usize,
    /// Same for a clause at the end of the sentence. Defaults 2 and 8.
    pub comma_emin: usize,
    /// See [`comma_emin`](Self::comma_emin).
    pub comma_emax: usize,
    /// Show events after each sentence rather than after each story. Default false.
    pub code_by_sentence: bool,
    /// Pause after each sentence (interactive use). Default false.
    pub pause_by_sentence: bool,
    /// Pause after each story (interactive use). Default false.
    pub pause_by_story: bool,
    /// Write the dictionary root phrase of each actor. Default false.
    pub write_actor_root: bool,
    /// Write the text of the phrases that named the actors. Default false.
    pub write_actor_text: bool,
    /// Write the text of the verb phrase that gave the event. Default false.
    pub write_event_text: bool,
    /// Report verb phrases not in the dictionary between coded actors, instead of events.
    pub null_verbs: bool,
    /// Report actors not in the dictionary around coded verbs, instead of events.
    pub null_actors: bool,
    /// Stop at the first bad record instead of skipping it. Default false.
    pub stop_on_error: bool,
}

impl Default for CodingOptions {
    fn default() -> Self {
        CodingOptions {
            new_actor_length: 0,
            require_dyad: true,
            comma_min: 2,
            comma_max: 8,
            comma_bmin: 0,
            comma_bmax: 0,
            comma_emin: 2,
            comma_emax: 8,
            code_by_sentence: false,
            pause_by_sentence: false,
            pause_by_story: false,
            write_actor_root: false,
            write_actor_text: false,
            write_event_text: false,
            null_verbs: false,
            null_actors: false,
            stop_on_error: false,
        }
    }
}

/// Why an option could not be set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OptionError {
    /// No option has this name.
    #[error("unknown option {0:?}")]
    Unknown(String),
    /// The value does not fit the option.
    #[error("option {option}: bad value {value:?}, expected {expected}")]
    BadValue {
        /// The option.
        option: String,
        /// The value given.
        value: String,
        /// What was expected.
        expected: &'static str,
    },
}

fn parse_bool(option: &str, value: &str) -> Result<bool, OptionError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        _ => Err(OptionError::BadValue {
            option: option.into(),
            value: value.into(),
            expected: "true or false",
        }),
    }
}

fn parse_count(option: &str, value: &str) -> Result<usize, OptionError> {
    value
        .trim()
        .parse::<usize>()
        .map_err(|_| OptionError::BadValue {
            option: option.into(),
            value: value.into(),
            expected: "a whole number",
        })
}

impl CodingOptions {
    /// Sets one option by its PETRARCH name (case-insensitive), parsing the value as
    /// PETRARCH does (`True`/`false`, whole numbers).
    ///
    /// ```
    /// let mut o = dyad_io::CodingOptions::default();
    /// o.set("require_dyad", "FALSE")?;
    /// o.set("comma_emax", "0")?;
    /// assert!(!o.require_dyad);
    /// assert!(o.set("no_such_thing", "1").is_err());
    /// # Ok::<(), dyad_io::OptionError>(())
    /// ```
    pub fn set(&mut self, option: &str, value: &str) -> Result<(), OptionError> {
        let name = option.trim().to_ascii_lowercase();
        let o = name.as_str();
        match o {
            "new_actor_length" => self.new_actor_length = parse_count(o, value)?,
            "require_dyad" => self.require_dyad = parse_bool(o, value)?,
            "comma_min" => self.comma_min = parse_count(o, value)?,
            "comma_max" => self.comma_max = parse_count(o, value)?,
            "comma_bmin" => self.comma_bmin = parse_count(o, value)?,
            "comma_bmax" => self.comma_bmax = parse_count(o, value)?,
            "comma_emin" => self.comma_emin = parse_count(o, value)?,
            "comma_emax" => self.comma_emax = parse_count(o, value)?,
            "code_by_sentence" => self.code_by_sentence = parse_bool(o, value)?,
            "pause_by_sentence" => self.pause_by_sentence = parse_bool(o, value)?,
            "pause_by_story" => self.pause_by_story = parse_bool(o, value)?,
            "write_actor_root" => self.write_actor_root = parse_bool(o, value)?,
            "write_actor_text" => self.write_actor_text = parse_bool(o, value)?,
            "write_event_text" => self.write_event_text = parse_bool(o, value)?,
            "null_verbs" => self.null_verbs = parse_bool(o, value)?,
            "null_actors" => self.null_actors = parse_bool(o, value)?,
            "stop_on_error" => self.stop_on_error = parse_bool(o, value)?,
            _ => return Err(OptionError::Unknown(option.trim().to_string())),
        }
        Ok(())
    }
}

/// A PETRARCH configuration file, read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PetrConfig {
    /// `verbfile_name`.
    pub verb_file: Option<String>,
    /// `actorfile_list`, split at commas.
    pub actor_files: Vec<String>,
    /// `agentfile_name`.
    pub agent_file: Option<String>,
    /// `discardfile_name`.
    pub discard_file: Option<String>,
    /// `issuefile_name`.
    pub issue_file: Option<String>,
    /// `textfile_list`, split at commas.
    pub text_files: Vec<String>,
    /// `textfile_name`: a file listing the text files, one per line.
    pub textfile_name: Option<String>,
    /// `eventfile_name`: where events are written.
    pub event_file: Option<String>,
    /// `[StanfordNLP] stanford_dir`.
    pub stanford_dir: Option<String>,
    /// The coding options.
    pub options: CodingOptions,
    /// Unknown sections and options, bad values, unreadable lines.
    pub warnings: Vec<Warning>,
}

/// Reads a PETRARCH INI config from text. Never fails: anything it cannot use becomes a
/// [`Warning`] naming `file` and the line, and the default is kept.
///
/// ```
/// let ini = "[Dictionaries]\nactorfile_list = a.txt, b.txt\n[Options]\nrequire_dyad = False\ncolour = blue\n";
/// let c = dyad_io::parse_petrarch_config(ini, "PETR_config.ini");
/// assert_eq!(c.actor_files, ["a.txt", "b.txt"]);
/// assert!(!c.options.require_dyad);
/// assert_eq!(c.warnings[0].to_string(), "PETR_config.ini:5: warning: unknown option \"colour\"");
/// ```
pub fn parse_petrarch_config(src: &str, file: &str) -> PetrConfig {
    let file: Arc<str> = Arc::from(file);
    let mut c = PetrConfig::default();
    let mut section = String::new();
    for (k, raw) in src.lines().enumerate() {
        let line_no = k + 1;
        let warn = |c: &mut PetrConfig, message: String| {
            c.warnings.push(Warning {
                location: Location {
                    file: file.clone(),
                    line: line_no,
                },
                message,
            })
        };
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            match rest.strip_suffix(']') {
                Some(name) => {
                    section = name.trim().to_string();
                    if !matches!(
                        section.to_ascii_lowercase().as_str(),
                        "dictionaries" | "options" | "stanfordnlp"
                    ) {
                        warn(&mut c, format!("unknown section [{section}]"));
                    }
                }
                None => warn(&mut c, format!("unreadable section header {line:?}")),
            }
            continue;
        }
        let Some((key, value)) = line.split_once(['=', ':']) else {
            warn(&mut c, format!("unreadable line {line:?}"));
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        if section.is_empty() {
            warn(&mut c, format!("option {key:?} outside any [section]"));
        }
        let value = strip_inline_comment(value).trim().to_string();
        let list = |v: &str| {
            v.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        };
        let some = |v: &str| (!v.is_empty()).then(|| v.to_string());
        match key.as_str() {
            "verbfile_name" => c.verb_file = some(&value),
            "actorfile_list" => c.actor_files = list(&value),
            "agentfile_name" => c.agent_file = some(&value),
            "discardfile_name" => c.discard_file = some(&value),
            "issuefile_name" => c.issue_file = some(&value),
            "textfile_list" => c.text_files = list(&value),
            "textfile_name" => c.textfile_name = some(&value),
            "eventfile_name" => c.event_file = some(&value),
            "stanford_dir" => c.stanford_dir = some(&value),
            _ => match c.options.set(&key, &value) {
                Ok(()) => {}
                Err(e) => warn(&mut c, e.to_string()),
            },
        }
    }
    c
}

/// `value  # comment` → `value` (a `#` or `;` preceded by whitespace starts a comment).
fn strip_inline_comment(v: &str) -> &str {
    let b = v.as_bytes();
    for i in 1..b.len() {
        if (b[i] == b'#' || b[i] == b';') && b[i - 1].is_ascii_whitespace() {
            return &v[..i];
        }
    }
    v
}

/// Reads a PETRARCH config file (see [`parse_petrarch_config`]).
pub fn read_petrarch_config(path: &Path) -> Result<PetrConfig, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(parse_petrarch_config(
        &String::from_utf8_lossy(&bytes),
        &path.display().to_string(),
    ))
}

impl fmt::Display for CodingOptions {
    /// The options as `name = value` lines, in PETRARCH's names.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = |x: bool| if x { "True" } else { "False" };
        writeln!(f, "new_actor_length = {}", self.new_actor_length)?;
        writeln!(f, "require_dyad = {}", b(self.require_dyad))?;
        writeln!(f, "comma_min = {}", self.comma_min)?;
        writeln!(f, "comma_max = {}", self.comma_max)?;
        writeln!(f, "comma_bmin = {}", self.comma_bmin)?;
        writeln!(f, "comma_bmax = {}", self.comma_bmax)?;
        writeln!(f, "comma_emin = {}", self.comma_emin)?;
        writeln!(f, "comma_emax = {}", self.comma_emax)?;
        writeln!(f, "code_by_sentence = {}", b(self.code_by_sentence))?;
        writeln!(f, "pause_by_sentence = {}", b(self.pause_by_sentence))?;
        writeln!(f, "pause_by_story = {}", b(self.pause_by_story))?;
        writeln!(f, "write_actor_root = {}", b(self.write_actor_root))?;
        writeln!(f, "write_actor_text = {}", b(self.write_actor_text))?;
        writeln!(f, "write_event_text = {}", b(self.write_event_text))?;
        writeln!(f, "null_verbs = {}", b(self.null_verbs))?;
        writeln!(f, "null_actors = {}", b(self.null_actors))?;
        writeln!(f, "stop_on_error = {}", b(self.stop_on_error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_lists_and_options() {
        let ini = "# c\n[Dictionaries]\nverbfile_name    = V.txt\nactorfile_list = A.txt,  B.txt ,\n\
                   [Options]\nnew_actor_length = 4   # inline\nwrite_event_text = True\ncomma_bmax = x\n\
                   [Other]\nnot a line\n";
        let c = parse_petrarch_config(ini, "c.ini");
        assert_eq!(c.verb_file.as_deref(), Some("V.txt"));
        assert_eq!(c.actor_files, ["A.txt", "B.txt"]);
        assert_eq!(c.options.new_actor_length, 4);
        assert!(c.options.write_event_text);
        assert_eq!(c.options.comma_bmax, 0);
        let lines: Vec<usize> = c.warnings.iter().map(|w| w.location.line).collect();
        assert_eq!(lines, [8, 9, 10]);
    }

    #[test]
    fn display_round_trips_through_the_parser() {
        let mut o = CodingOptions::default();
        o.set("Write_Actor_Text", "true").unwrap();
        o.set("comma_max", "3").unwrap();
        let text = format!("[Options]\n{o}");
        let c = parse_petrarch_config(&text, "x");
        assert_eq!(c.options, o);
        assert!(c.warnings.is_empty());
    }
}
