//! `dyad demo`: stores the seed article and a small bundled sample of invented wire
//! articles in an event store, then serves the API and the dashboard over it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use dyad_server::{AppState, ArticleStatus, PipelineOptions, ServerConfig, DEMO_ARTICLES};
use serde_json::Value;

/// Flags of this subcommand.
#[derive(clap::Args)]
pub struct Args {
    /// The event store (SQLite file, created if absent; the demo's articles are added).
    #[arg(long, default_value = "dyad-demo.db")]
    pub db: PathBuf,
    /// Address to serve on. The default answers only this machine.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// The seed article(s), JSON Lines; skipped with a message when the file is absent.
    #[arg(long, default_value = "../shared/examples/seed-article.jsonl")]
    pub seed: PathBuf,
    /// Date given to seed articles that have none (undated events are in no series).
    #[arg(long, default_value = "2023-10-16")]
    pub seed_date: String,
    /// Store the articles and exit, without serving.
    #[arg(long)]
    pub no_serve: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    dyad_types::Date::parse_iso(&args.seed_date)
        .map_err(|e| anyhow::anyhow!("--seed-date {}: {e}", args.seed_date))?;
    let mut articles = Vec::new();
    if args.seed.exists() {
        let text = std::fs::read_to_string(&args.seed)
            .with_context(|| format!("cannot read {}", args.seed.display()))?;
        let name = args.seed.display().to_string();
        for mut article in jsonl(&name, &text)? {
            let undated = article.get("date").is_none_or(Value::is_null);
            if let (true, Some(fields)) = (undated, article.as_object_mut()) {
                fields.insert("date".into(), Value::String(args.seed_date.clone()));
                eprintln!(
                    "demo: {name}: article {} has no date; dated {} for the demo (--seed-date)",
                    fields
                        .get("id")
                        .and_then(Value::as_str)
                        .unwrap_or("(no id)"),
                    args.seed_date
                );
            }
            articles.push(article);
        }
    } else {
        eprintln!(
            "demo: no seed article at {} (--seed); storing the bundled sample only",
            args.seed.display()
        );
    }
    articles.extend(jsonl("<bundled demo articles>", DEMO_ARTICLES)?);

    let (pipeline, warnings) = dyad_server::build_pipeline(&PipelineOptions::default())?;
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let store = dyad_store::Store::open(&args.db)
        .with_context(|| format!("cannot open the store {}", args.db.display()))?;
    let state = AppState::new(store, pipeline, ServerConfig::default())?;
    let reports = state.ingest_articles(articles)?;
    let count = |s: ArticleStatus| reports.iter().filter(|r| r.status == s).count();
    for r in reports
        .iter()
        .filter(|r| r.status == ArticleStatus::Rejected)
    {
        eprintln!(
            "demo: article {} not stored: {}",
            r.id.as_deref().unwrap_or("(no id)"),
            r.error.as_deref().unwrap_or("rejected")
        );
    }
    eprintln!(
        "demo: {} articles in {} (inserted={} replaced={} unchanged={} rejected={}), {} events",
        reports.len(),
        args.db.display(),
        count(ArticleStatus::Inserted),
        count(ArticleStatus::Replaced),
        count(ArticleStatus::Unchanged),
        count(ArticleStatus::Rejected),
        reports.iter().map(|r| r.events).sum::<usize>()
    );
    if args.no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    dyad_server::run(&args.addr, state, |addr| {
        eprintln!("demo: dashboard and API on http://{addr}/ (Ctrl-C stops)");
        println!("http://{addr}/");
    })?;
    eprintln!("demo: stopped");
    Ok(ExitCode::SUCCESS)
}

/// The JSON values of a JSON Lines text (blank lines skipped); a bad line is an error
/// naming `name:line`.
fn jsonl(name: &str, text: &str) -> anyhow::Result<Vec<Value>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| format!("{name}:{}: not a JSON article", i + 1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_sample_is_json_lines_of_dated_articles() {
        let articles = jsonl("demo", DEMO_ARTICLES).unwrap();
        assert!((10..=20).contains(&articles.len()), "{}", articles.len());
        for a in &articles {
            assert!(a["date"].as_str().is_some(), "{a}");
            assert!(a["id"].as_str().is_some(), "{a}");
        }
        let err = jsonl("f.jsonl", "{}\n\nnot json\n").unwrap_err();
        assert!(format!("{err:#}").starts_with("f.jsonl:3:"), "{err:#}");
    }
}
