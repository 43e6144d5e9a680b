//! Embeds dyad's default dictionaries: lists `../../dictionaries/**/*.dyad` (sorted) into
//! `$OUT_DIR/default_dictionaries.rs`, a table of `(name, include_str!(...))` that
//! `src/defaults.rs` includes. Adding a `.dyad` file to that folder embeds it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "dyad") {
            out.push(p);
        }
    }
}

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let root = Path::new(&manifest).join("../../dictionaries");
    println!("cargo:rerun-if-changed=../../dictionaries");
    println!("cargo:rerun-if-changed=build.rs");
    let mut files = Vec::new();
    collect(&root, &mut files);
    let mut rel: Vec<String> = files
        .iter()
        .filter_map(|p| p.strip_prefix(&root).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    rel.sort();
    if rel.is_empty() {
        println!(
            "cargo:warning=no default dictionaries found in {}",
            root.display()
        );
    }
    let mut src = String::from("pub(crate) const FILES: &[(&str, &str)] = &[\n");
    for r in &rel {
        let _ = writeln!(
            src,
            "    (\"dictionaries/{r}\", include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/../../dictionaries/{r}\"))),"
        );
    }
    src.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    if let Err(e) = std::fs::write(out.join("default_dictionaries.rs"), src) {
        panic!("cannot write the default dictionary table: {e}");
    }
}
