//! What `dyad code --config` and `dyad validate` share: loading the dictionaries a PETRARCH
//! config or validation `<Environment>` names, and turning its options into coder options.

use std::path::Path;

use anyhow::Context as _;
use dyad_coder::CoderOptions;
use dyad_dict::{Dictionaries, DictionaryBuilder, VerbSyntax};
use dyad_io::CodingOptions;

/// The dictionary files a PETRARCH config or validation environment names.
pub struct DictFiles<'a> {
    /// `verbfile_name` / `<Verbfile>`.
    pub verbs: Option<&'a str>,
    /// `actorfile_list` / `<Actorfile>`s.
    pub actors: &'a [String],
    /// `agentfile_name` / `<Agentfile>`.
    pub agents: Option<&'a str>,
    /// `discardfile_name` / `<Discardfile>`.
    pub discards: Option<&'a str>,
    /// `issuefile_name` / `<Issuefile>`.
    pub issues: Option<&'a str>,
}

/// Loads `files` from `dir`; prints the first dictionary diagnostics as warnings.
pub fn load_dictionaries(
    dir: &Path,
    files: &DictFiles<'_>,
    strict: bool,
) -> anyhow::Result<Dictionaries> {
    let mut b = DictionaryBuilder::new();
    b.strict(strict);
    b.verbs(dir.join(files.verbs.context("no verb dictionary is named")?));
    for a in files.actors {
        b.actors(dir.join(a));
    }
    if let Some(a) = files.agents {
        b.agents(dir.join(a));
    }
    if let Some(d) = files.discards {
        b.discards(dir.join(d));
    }
    if let Some(i) = files.issues {
        b.issues(dir.join(i));
    }
    let dicts = b.build().context("cannot load the dictionaries")?;
    const SHOWN: usize = 5;
    let diagnostics = dicts.diagnostics();
    for d in diagnostics.iter().take(SHOWN) {
        eprintln!("warning: {d}");
    }
    if diagnostics.len() > SHOWN {
        eprintln!(
            "warning: {} more dictionary entries skipped (--strict stops at the first)",
            diagnostics.len() - SHOWN
        );
    }
    Ok(dicts)
}

/// Coder options from PETRARCH options. PETRARCH-1/TABARI verb dictionaries split actor
/// codes written with `/` into one actor per code, as PETRARCH-1 does.
pub fn coder_options(o: &CodingOptions, dicts: &Dictionaries) -> CoderOptions {
    let split_slash_codes = dicts
        .verbs()
        .blocks()
        .first()
        .is_some_and(|blk| blk.syntax == VerbSyntax::Tabari);
    CoderOptions {
        require_dyad: o.require_dyad,
        new_actor_length: o.new_actor_length,
        comma_min: o.comma_min,
        comma_max: o.comma_max,
        comma_bmin: o.comma_bmin,
        comma_bmax: o.comma_bmax,
        comma_emin: o.comma_emin,
        comma_emax: o.comma_emax,
        split_slash_codes,
    }
}
