//! `dyad parse` goes on past bad inputs: an unreadable file is reported and skipped (exit
//! code 3), invalid UTF-8 is replaced with U+FFFD and reported.

use std::process::Command;

#[test]
fn parse_reports_and_skips_bad_inputs_and_goes_on() {
    let dir = std::env::temp_dir().join(format!("dyad-parse-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let good = dir.join("good.txt");
    let bad_utf8 = dir.join("latin1.txt");
    let missing = dir.join("missing.txt");
    let last = dir.join("last.txt");
    std::fs::write(&good, "Rebels attacked the town.\n").expect("write");
    std::fs::write(&bad_utf8, b"Troops entered Mos\xe9ul on Monday.\n").expect("write");
    std::fs::write(&last, "The army responded.\n").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .arg("parse")
        .args([&good, &bad_utf8, &missing, &last])
        .output()
        .expect("dyad runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    for text in [
        "# text = Rebels attacked the town.",
        "# text = Troops entered Mos\u{fffd}ul on Monday.",
        "# text = The army responded.",
    ] {
        assert!(stdout.contains(text), "missing {text:?} in:\n{stdout}");
    }
    assert!(
        stderr.contains("latin1.txt: invalid UTF-8 at byte 18"),
        "{stderr}"
    );
    assert!(
        stderr.contains("missing.txt: ") && stderr.contains("skipped"),
        "{stderr}"
    );
    assert!(
        stderr.contains("parse: inputs=3 skipped=1 utf8_replaced=1"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
