//! Throughput of tagging + lemmatizing + parsing on one or more threads:
//! `cargo run --release -p dyad-text --example bench_text -- FILE [--threads N] [--repeat R]
//! [--batch B]`.
//!
//! `FILE` is plain text (paragraphs separated by blank lines) or JSON Lines with a
//! `"text"` field per line (`.jsonl`). The text is split into sentences first (timed
//! apart); then the sentences are dealt round-robin to `N` threads that share one
//! model, and each thread annotates its share `R` times, one sentence at a time
//! ([`dyad_text::Model::annotate_tokens`]) or `B` at a time
//! ([`dyad_text::Model::annotate_batch`]). Prints sentences/s and
//! tokens/s for the annotation step, plus a checksum of the output (heads, tags and
//! labels), which must not depend on the thread count.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut file = None;
    let (mut threads, mut repeat, mut batch) = (1usize, 1usize, 0usize);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => threads = args.next().ok_or("--threads N")?.parse()?,
            "--repeat" => repeat = args.next().ok_or("--repeat R")?.parse()?,
            "--batch" => batch = args.next().ok_or("--batch B")?.parse()?,
            _ => file = Some(a),
        }
    }
    let file = file.ok_or("usage: bench_text FILE [--threads N] [--repeat R]")?;
    let raw = std::fs::read_to_string(&file)?;
    let docs: Vec<String> = if file.ends_with(".jsonl") {
        raw.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l)?;
                Ok(v["text"].as_str().unwrap_or_default().to_string())
            })
            .collect::<Result<_, serde_json::Error>>()?
    } else {
        raw.split("\n\n").map(str::to_string).collect()
    };

    let t0 = Instant::now();
    let model = dyad_text::Model::embedded()?;
    eprintln!("model load: {:.3} s", t0.elapsed().as_secs_f64());

    let t0 = Instant::now();
    let sentences: Vec<Vec<String>> = docs
        .iter()
        .flat_map(|d| dyad_text::tokenize::segment(d))
        .map(|s| s.tokens.into_iter().map(|t| t.form).collect())
        .filter(|s: &Vec<String>| !s.is_empty())
        .collect();
    let n_tokens: usize = sentences.iter().map(Vec::len).sum();
    let seg = t0.elapsed().as_secs_f64();
    eprintln!(
        "segment: {} sentences, {n_tokens} tokens in {seg:.3} s ({:.0} tokens/s)",
        sentences.len(),
        n_tokens as f64 / seg
    );

    let t0 = Instant::now();
    let sums: Vec<(u64, f64)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                let (model, sentences) = (&model, &sentences);
                s.spawn(move || {
                    let cpu0 = thread_cpu_seconds();
                    let mut sum = 0u64;
                    for _ in 0..repeat {
                        let mine: Vec<usize> =
                            (0..sentences.len()).filter(|i| i % threads == k).collect();
                        for ids in mine.chunks(batch.max(1)) {
                            let forms: Vec<Vec<&str>> = ids
                                .iter()
                                .map(|&i| sentences[i].iter().map(String::as_str).collect())
                                .collect();
                            let out = if batch == 0 {
                                forms.iter().map(|f| model.annotate_tokens(f)).collect()
                            } else {
                                let refs: Vec<&[&str]> = forms.iter().map(Vec::as_slice).collect();
                                model.annotate_batch(&refs)
                            };
                            for (&i, tokens) in ids.iter().zip(out) {
                                let mut h = i as u64;
                                for t in tokens {
                                    for part in [&t.xpos, &t.deprel, &t.lemma, &t.feats] {
                                        for b in part.bytes() {
                                            h = h.wrapping_mul(0x100_0000_01b3) ^ b as u64;
                                        }
                                    }
                                    h = h.wrapping_mul(0x100_0000_01b3) ^ t.head as u64;
                                }
                                // Order-free sum: the checksum does not depend on threads.
                                sum = sum.wrapping_add(h.wrapping_mul(0x9e37_79b9_7f4a_7c15));
                            }
                        }
                    }
                    (sum, thread_cpu_seconds() - cpu0)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or((0, 0.0)))
            .collect()
    });
    let secs = t0.elapsed().as_secs_f64();
    let cpu: f64 = sums.iter().map(|s| s.1).sum();
    let total = (n_tokens * repeat) as f64;
    println!(
        "threads={threads} repeat={repeat} sentences/s={:.0} tokens/s={:.0} seconds={secs:.3} \
         cpu_seconds={cpu:.3} tokens/cpu_s={:.0} checksum={:016x}",
        (sentences.len() * repeat) as f64 / secs,
        total / secs,
        total / cpu,
        sums.iter().fold(0u64, |a, b| a.wrapping_add(b.0))
    );
    Ok(())
}

/// CPU time of the calling thread (0 where not measured), so that figures are less
/// disturbed by other processes on a loaded machine.
fn thread_cpu_seconds() -> f64 {
    #[cfg(target_os = "linux")]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0 {
            return ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9;
        }
    }
    0.0
}
