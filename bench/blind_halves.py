#!/usr/bin/env python3
"""Split the repo's blind sets into their development and held halves, for scoring each apart.

usage: bench/blind_halves.py OUTDIR
Writes OUTDIR/setN/{vignettes-dev,vignettes-held,phrases-dev,phrases-held}.json. The halves are
the ones the tests' comments name: vignettes by index (0-based even = development), sentences
by the SHA-1 of their text (even = development). Nobody studies a held half; score it, in
aggregate only (`score_hard.py MODE FILE BIN`, `bench/score_phrases.py FILE BIN`).
"""
import hashlib, json, os, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crates")

def dump(path, rows):
    with open(path, "w") as f:
        json.dump(rows, f, indent=1, ensure_ascii=False)

def main():
    out = sys.argv[1]
    for n in range(2, 100):
        for kind, path in (("vignettes", f"runsore-triage/tests/data/blind{n}_vignettes.json"),
                           ("phrases", f"runsore-story/tests/data/blind{'' if n == 2 else n}_phrases.json")):
            path = os.path.join(ROOT, path)
            if not os.path.exists(path):
                continue
            rows = json.load(open(path))
            if kind == "vignettes":
                dev = [r for i, r in enumerate(rows) if i % 2 == 0]
                held = [r for i, r in enumerate(rows) if i % 2 == 1]
            else:
                even = lambda r: int(hashlib.sha1(r["text"].encode()).hexdigest(), 16) % 2 == 0
                dev = [r for r in rows if even(r)]
                held = [r for r in rows if not even(r)]
            d = os.path.join(out, f"set{n}")
            os.makedirs(d, exist_ok=True)
            dump(os.path.join(d, f"{kind}-dev.json"), dev)
            dump(os.path.join(d, f"{kind}-held.json"), held)
            print(f"set {n} {kind}: {len(dev)} development, {len(held)} held")

main()
