//! A writer killed in the middle of ingesting loses nothing it acknowledged and leaves no
//! article half-stored.
//!
//! The test re-runs its own binary as a child process (selected by an environment
//! variable) that ingests articles in a loop and prints `ACK <id> <version>` after each
//! commit; the parent kills it at an arbitrary moment, reopens the store and checks it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use dyad_store::{content_hash, ArticleInput, EventInput, Store};
use dyad_types::{ActorMention, Date, Event};

const CHILD_ENV: &str = "DYAD_STORE_CRASH_CHILD";
const START_ENV: &str = "DYAD_STORE_CRASH_START";

/// Article `n` in `version` 1 or 2 (2 has other text and other events).
fn article(n: usize, version: usize) -> ArticleInput {
    let actors = ["USA", "CHNGOV", "RUSMIL", "DEU", "IRN", "ISRGOV"];
    let codes = ["042", "190", "112", "0231", "057"];
    let count = 2 + (n + version) % 6;
    let day = Date::new(2020, 1 + (n % 12) as u32, 1 + (n % 28) as u32)
        .unwrap_or_else(|_| unreachable!());
    let events = (0..count)
        .map(|i| {
            let actor = |k: usize| ActorMention {
                code: actors[k % actors.len()].into(),
                ..Default::default()
            };
            EventInput {
                sentence: i,
                event: Event {
                    sentence_id: format!("{n}-{i}"),
                    source: actor(n + i),
                    target: actor(n + i + 1 + version),
                    // Shared keys across articles: the same few dates, dyads and codes recur.
                    code: codes[(i + version) % codes.len()].into(),
                    pattern: format!("pattern {i}"),
                    ..Default::default()
                },
            }
        })
        .collect();
    ArticleInput {
        id: format!("crash-{n}"),
        date: Some(day),
        title: format!("article {n}"),
        url: format!("https://news.example/{n}"),
        source: format!("outlet-{}", n % 4),
        text: format!("text of article {n}, version {version}"),
        sentences: (0..count + 1)
            .map(|i| format!("sentence {i} of {n} v{version}"))
            .collect(),
        events,
        coder_version: "crash-test".into(),
    }
}

/// The child: ingest forever, acknowledging each commit on stdout. Does nothing unless
/// started by `killed_writer_loses_nothing_acknowledged`.
#[test]
fn crash_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let start: usize = std::env::var(START_ENV)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let store = Store::open(&path).expect("child opens the store");
    let mut writer = store.writer().expect("child gets the writer");
    let mut out = std::io::stdout().lock();
    for n in start.. {
        if n % 5 == 0 {
            // A batch: both articles commit together, or neither does.
            let batch = [article(n, 1), article(n + 100_000, 1)];
            writer.ingest_batch(&batch).expect("batch ingest");
            writeln!(out, "ACK {n} 1\nACK {} 1", n + 100_000)
                .and_then(|_| out.flush())
                .expect("ack");
        } else {
            writer.ingest(&article(n, 1)).expect("ingest");
            writeln!(out, "ACK {n} 1")
                .and_then(|_| out.flush())
                .expect("ack");
        }
        if n % 3 == 0 && n > start {
            // Replace an earlier article with its second version.
            writer.ingest(&article(n - 1, 2)).expect("replace");
            writeln!(out, "ACK {} 2", n - 1)
                .and_then(|_| out.flush())
                .expect("ack");
        }
    }
}

#[test]
fn killed_writer_loses_nothing_acknowledged() {
    let path = std::env::temp_dir().join(format!("dyad-store-crash-{}.db", std::process::id()));
    let cleanup = || {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    };
    cleanup();
    let exe = std::env::current_exe().expect("test binary path");
    // Highest acknowledged version per article id.
    let mut acked: HashMap<usize, usize> = HashMap::new();
    for round in 0..3 {
        let mut child = Command::new(&exe)
            .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &path)
            .env(START_ENV, (round * 10_000).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        let stdout = child.stdout.take().expect("child stdout");
        let mut lines = BufReader::new(stdout).lines();
        let record = |line: &str, acked: &mut HashMap<usize, usize>| {
            let mut parts = line.strip_prefix("ACK ")?.split(' ');
            let n: usize = parts.next()?.parse().ok()?;
            let v: usize = parts.next()?.parse().ok()?;
            let e = acked.entry(n).or_insert(v);
            *e = (*e).max(v);
            Some(())
        };
        let mut seen = 0;
        for line in lines.by_ref() {
            let line = line.expect("read child output");
            if record(&line, &mut acked).is_some() {
                seen += 1;
                if seen >= 30 {
                    break;
                }
            }
        }
        assert!(seen >= 30, "child stopped early (round {round})");
        // Let it run on for a moment that has nothing to do with its commits, then kill it.
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        std::thread::sleep(Duration::from_micros(u64::from(nanos % 30_000)));
        child.kill().expect("kill child");
        let status = child.wait().expect("reap child");
        assert!(!status.success(), "the child was killed, not finished");
        // Acknowledgements written before the kill are still in the pipe.
        for line in lines {
            let Ok(line) = line else { break };
            record(&line, &mut acked);
        }
    }

    let store = Store::open(&path).expect("reopen after crashes");
    let reader = store.reader().expect("reader");
    reader.verify().expect("aggregates match the mentions");
    let mut present = 0;
    let max_n = acked.keys().copied().max().unwrap_or(0);
    // Articles committed but killed before their ACK was written lie just past the
    // highest acknowledged id of their sequence (at most 5 further, for batches).
    for n in 0..=max_n + 10 {
        let Some(stored) = reader.article(&format!("crash-{n}")).expect("read article") else {
            assert!(
                !acked.contains_key(&n),
                "acknowledged article {n} is missing"
            );
            continue;
        };
        present += 1;
        // Whole: exactly one of the two versions, with all its sentences and events.
        let version = [1, 2]
            .into_iter()
            .find(|&v| stored.content_hash == content_hash(&article(n, v).text))
            .unwrap_or_else(|| panic!("article {n} has an unknown text hash"));
        let want = article(n, version);
        assert_eq!(
            stored.sentences, want.sentences,
            "article {n} v{version}: sentences"
        );
        assert_eq!(
            stored.mentions as usize,
            want.events.len(),
            "article {n} v{version}: mentions"
        );
        if let Some(&v) = acked.get(&n) {
            assert!(
                version >= v,
                "article {n}: version {v} was acknowledged, {version} is stored"
            );
        }
    }
    assert_eq!(
        present as u64,
        reader.stats().expect("stats").articles,
        "no stray articles"
    );
    assert!(acked.len() >= 60, "{} articles acknowledged", acked.len());

    // The store is usable after the crashes.
    let mut writer = store.writer().expect("writer after crash");
    writer
        .ingest(&article(999_999, 1))
        .expect("ingest after crash");
    reader.verify().expect("still consistent");
    drop((writer, reader, store));
    cleanup();
}
