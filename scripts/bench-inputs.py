#!/usr/bin/env python3
"""Turn the raw-news benchmark corpora of ../shared/bench into dyad's JSON Lines articles.

    python3 scripts/bench-inputs.py [SHARED_BENCH_DIR] [OUT_DIR]

Defaults: ../shared/bench and target/bench. Writes guardian.jsonl (the Guardian sample:
`date`, `text`, `source`) and synthetic.jsonl (the synthetic stories: `title`, `text`,
`source`; no dates). The corpora stay outside the repository; only this converter is ours.
Standard library only.
"""

import csv
import io
import json
import os
import sys
import zipfile

csv.field_size_limit(sys.maxsize)


def rows(zip_path):
    with zipfile.ZipFile(zip_path) as z:
        for name in z.namelist():
            if not name.lower().endswith(".csv") or name.startswith("__MACOSX"):
                continue
            with z.open(name) as raw:
                yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))


def convert(zip_path, out_path, prefix, keep):
    n = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for row in rows(zip_path):
            text = (row.get("text") or "").strip()
            if not text:
                continue
            record = {"id": f"{prefix}{n}"}
            for key in keep:
                if row.get(key):
                    record[key] = row[key]
            record["text"] = text
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    print(f"{out_path}: {n} articles", file=sys.stderr)


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "bench")
    out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join("target", "bench")
    if not os.path.isdir(shared):
        sys.exit(f"bench-inputs: {shared} not found (needs the shared benchmark corpora)")
    os.makedirs(out_dir, exist_ok=True)
    convert(os.path.join(shared, "Guardian_SDF_sample.csv.zip"),
            os.path.join(out_dir, "guardian.jsonl"), "g", ["date", "source"])
    convert(os.path.join(shared, "gpt_synthetic_events_2023-10-19_19.csv.zip"),
            os.path.join(out_dir, "synthetic.jsonl"), "s", ["title", "source"])


if __name__ == "__main__":
    main()
