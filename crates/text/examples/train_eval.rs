//! Train a model and score it without the CLI:
//! `cargo run --release -p dyad-text --example train_eval -- TRAIN DEV OUT [EVAL...]`
//! or score an existing model: `... --example train_eval -- --eval MODEL GOLD...`.

use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (model, rest) = if args.first().map(String::as_str) == Some("--prune") {
        // --prune IN OUT TAGGER_MIN PARSER_MIN GOLD...
        let bytes = std::fs::read(args.get(1).ok_or("in")?)?;
        let t: i16 = args.get(3).ok_or("tagger min")?.parse()?;
        let p: i16 = args.get(4).ok_or("parser min")?.parse()?;
        let out = dyad_text::Model::prune_bytes(&bytes, t, p)?;
        std::fs::write(args.get(2).ok_or("out")?, &out)?;
        eprintln!("pruned {} -> {} bytes", bytes.len(), out.len());
        (dyad_text::Model::from_bytes(&out)?, &args[5..])
    } else if args.first().map(String::as_str) == Some("--eval") {
        let m = dyad_text::Model::load(Path::new(args.get(1).ok_or("model path")?))?;
        (m, &args[2..])
    } else {
        let [train, dev, out, ..] = args.as_slice() else {
            return Err("usage: TRAIN DEV OUT [EVAL...]".into());
        };
        let t0 = std::time::Instant::now();
        let train = dyad_text::conllu::read_file(Path::new(train))?;
        let dev = dyad_text::conllu::read_file(Path::new(dev))?;
        let mut opt = dyad_text::TrainOptions::default();
        if let Ok(v) = std::env::var("DYAD_JACKKNIFE") {
            opt.jackknife_folds = v.parse()?;
        }
        if let Ok(v) = std::env::var("DYAD_TAG_EPOCHS") {
            opt.tagger_epochs = v.parse()?;
        }
        if let Ok(v) = std::env::var("DYAD_PARSE_PRUNE") {
            opt.parser_min_weight = v.parse()?;
        }
        if let Ok(v) = std::env::var("DYAD_TAG_MIN") {
            opt.tagger_min_updates = v.parse()?;
        }
        if let Ok(v) = std::env::var("DYAD_PARSE_MIN") {
            opt.parser_min_updates = v.parse()?;
        }
        if let Ok(v) = std::env::var("DYAD_TAG_PASS2") {
            opt.tagger_second_pass_folds = v.parse()?;
        }
        if let Ok(v) = std::env::var("DYAD_EXPLORE_FROM") {
            opt.explore_from = v.parse()?;
        }
        if let Ok(v) = std::env::var("DYAD_EXPLORE") {
            opt.explore = v.parse()?;
        }
        if let Ok(v) = std::env::var("DYAD_PARSE_EPOCHS") {
            opt.parser_epochs = v.parse()?;
        }
        let bytes = dyad_text::train(&train, &dev, &opt, &mut |m| {
            eprintln!("[{:6.1}s] {m}", t0.elapsed().as_secs_f64())
        })?;
        std::fs::write(out, &bytes)?;
        eprintln!("wrote {out}: {} bytes", bytes.len());
        let t1 = std::time::Instant::now();
        let m = dyad_text::Model::from_bytes(&bytes)?;
        eprintln!("load: {:.0} ms", t1.elapsed().as_secs_f64() * 1000.0);
        (m, &args[3..])
    };
    for g in rest {
        let gold = dyad_text::conllu::read_file(Path::new(g))?;
        if std::env::var("DYAD_ROOTS").is_ok() {
            let mut shown = 0;
            for s in &gold {
                let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
                let toks = model.annotate_tokens(&forms);
                let p = toks.iter().position(|t| t.head == 0);
                let g = s.words.iter().position(|w| w.head == Some(0));
                if p != g && shown < 25 {
                    shown += 1;
                    let pi = p.unwrap_or(0);
                    let gi = g.unwrap_or(0);
                    println!(
                        "pred {}({}) gold {}({}) | {}",
                        forms[pi],
                        toks[pi].upos,
                        forms[gi],
                        s.words[gi].upos,
                        forms.join(" ")
                    );
                }
            }
        }
        if std::env::var("DYAD_CONFUSIONS").is_ok() {
            let mut conf: std::collections::BTreeMap<String, usize> = Default::default();
            for s in &gold {
                let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
                for (t, w) in model.annotate_tokens(&forms).iter().zip(&s.words) {
                    if t.upos != w.upos {
                        *conf
                            .entry(format!("upos {} -> {}", w.upos, t.upos))
                            .or_default() += 1;
                    }
                    if t.head == w.head.unwrap_or(0) && t.deprel != w.deprel {
                        *conf
                            .entry(format!("label {} -> {}", w.deprel, t.deprel))
                            .or_default() += 1;
                    }
                    if t.head != w.head.unwrap_or(0) {
                        *conf.entry(format!("head of {}", w.deprel)).or_default() += 1;
                    }
                }
            }
            let mut v: Vec<_> = conf.into_iter().collect();
            v.sort_by_key(|x| std::cmp::Reverse(x.1));
            for (k, c) in v.iter().take(40) {
                println!("{c:6} {k}");
            }
        }
        let s = dyad_text::eval::evaluate(&model, &gold);
        println!(
            "{g}: sentences={} tokens={} upos={:.4} xpos={:.4} lemma={:.4} uas={:.4} las={:.4} las_u={:.4} tokens_per_s={:.0}",
            s.sentences, s.tokens, s.upos, s.xpos, s.lemma, s.uas, s.las, s.las_universal, s.tokens_per_second()
        );
    }
    Ok(())
}
