//! `dyad parse` reads plain text files and JSON Lines articles, and goes on past bad
//! inputs: an unreadable file or record is reported and skipped (exit code 3), invalid
//! UTF-8 is replaced with U+FFFD and reported.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh temporary folder for one test.
fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dyad-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Runs `dyad parse FILES FLAGS`; returns its exit code, standard output and standard
/// error, after checking that the output holds every one of `lines`.
fn parse(files: &[&Path], flags: &[&str], lines: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .arg("parse")
        .args(files)
        .args(flags)
        .output()
        .expect("dyad runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    for line in lines {
        assert!(
            stdout.contains(line),
            "missing {line:?} in:\n{stdout}\n{stderr}"
        );
    }
    (out.status.code(), stdout, stderr)
}

#[test]
fn parse_reports_and_skips_bad_inputs_and_goes_on() {
    let dir = temp_dir("parse-cli");
    let good = dir.join("good.txt");
    let bad_utf8 = dir.join("latin1.txt");
    let missing = dir.join("missing.txt");
    let last = dir.join("last.txt");
    std::fs::write(&good, "Rebels attacked the town.\n").expect("write");
    std::fs::write(&bad_utf8, b"Troops entered Mos\xe9ul on Monday.\n").expect("write");
    std::fs::write(&last, "The army responded.\n").expect("write");
    let (code, _, stderr) = parse(
        &[&good, &bad_utf8, &missing, &last],
        &[],
        &[
            "# text = Rebels attacked the town.",
            "# text = Troops entered Mos\u{fffd}ul on Monday.",
            "# text = The army responded.",
        ],
    );
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.contains("latin1.txt: invalid UTF-8 at byte 18"),
        "{stderr}"
    );
    assert!(
        stderr.contains("missing.txt: ") && stderr.contains("skipped"),
        "{stderr}"
    );
    assert!(
        stderr.contains("parse: documents=3 skipped=1 warnings=1"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn parse_reads_json_lines_articles_by_id() {
    let dir = temp_dir("parse-jsonl");
    let input = dir.join("articles.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"a1\", \"text\": \"Rebels attacked the town.\"}\n\
         not json\n\
         {\"id\": \"a2\", \"text\": \"The army responded. Talks failed.\"}\n",
    )
    .expect("write");
    let (code, _, stderr) = parse(
        &[&input],
        &[],
        &[
            "# newdoc id = a1",
            "# text = Rebels attacked the town.",
            "# newdoc id = a2",
            "# sent_id = a2-2",
            "# text = Talks failed.",
        ],
    );
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains("articles.jsonl:2: not JSON"), "{stderr}");
    assert!(
        stderr.contains("parse: documents=2 skipped=1 warnings=0"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Documents are parsed in batches on worker threads; the output is the same, in input
/// order, whatever the thread count.
#[test]
fn parse_output_does_not_depend_on_threads() {
    let dir = temp_dir("parse-threads");
    let input = dir.join("many.jsonl");
    let records: String = (0..150)
        .map(|i| {
            format!(
                "{{\"id\": \"d{i}\", \"text\": \"Police arrested {i} protesters. The army responded.\"}}\n"
            )
        })
        .collect();
    std::fs::write(&input, records).expect("write");
    let (code, one, _) = parse(&[&input], &["--threads", "1"], &["# newdoc id = d149"]);
    assert_eq!(code, Some(0));
    let (_, three, _) = parse(&[&input], &["--threads", "3"], &[]);
    assert!(one == three, "outputs differ between 1 and 3 threads");
    let order: Vec<&str> = one.lines().filter(|l| l.starts_with("# newdoc")).collect();
    assert_eq!(order.len(), 150);
    assert_eq!(order[64], "# newdoc id = d64");
    let _ = std::fs::remove_dir_all(&dir);
}
