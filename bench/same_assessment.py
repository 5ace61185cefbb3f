#!/usr/bin/env python3
"""Checks that two runsore binaries assess every case the same: for a change to how the engine
computes (never to what it chooses). For every case of the given vignette files (JSON lists of
objects with `intake`, and `story` where present) it compares the whole `check --json` output of
both binaries, byte for byte:

  intake    the case's full intake;
  dialogue  score_hard.py's dialogue: from `where` and `onset` only, the first question not yet
            asked is answered from the full intake (field by field, unknown where the case is
            silent), every step's output compared, until no question is left (at most 15);
  story     the case's story (`check --story`), when it has one.

With DB=path (a store with runs) and RUNSORE_NOW set, the same with the evidence from the runs.
Usage: bench/same_assessment.py OLD_BINARY NEW_BINARY FILE...
Prints the number of outputs compared and of differences (by file, case id and step); exit 1
when any differ, 2 on bad input.
"""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


def check(binary, args, stdin):
    cmd = [binary]
    if os.environ.get("DB"):
        cmd += ["--db", os.environ["DB"]]
    run = subprocess.run(cmd + ["check", *args, "--json"], input=stdin, capture_output=True, text=True, check=False)
    return run.returncode, run.stdout, run.stderr


def get(intake, path):
    node = intake
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def put(intake, path, value):
    parts = path.split(".")
    node = intake
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def fields_of(q):
    return list(q.get("fields") or ([q["field"]] if q.get("field") else []))


def one_case(old, new, label, case):
    """(outputs compared, [differences]) for one case."""
    compared, diffs = 0, []

    def same(step, args, stdin):
        nonlocal compared
        a, b = check(old, args, stdin), check(new, args, stdin)
        compared += 1
        if a != b:
            diffs.append(f"{label} {case.get('id')} {step}")
        return a

    full = case["intake"]
    same("intake", ["--intake", "-"], json.dumps(full))
    if isinstance(case.get("story"), str):
        same("story", ["--story", "-"], case["story"])
    intake = {k: full[k] for k in ("where", "onset") if k in full}
    asked, count, step = set(), 0, 0
    rc, out, _ = same("dialogue 0", ["--intake", "-"], json.dumps(intake))
    while rc == 0 and count < 15:
        questions = json.loads(out).get("questions", [])
        fresh = [q for q in questions if any(f not in asked for f in fields_of(q))]
        if not fresh:
            break
        fields = [f for f in fields_of(fresh[0]) if f not in asked]
        asked.update(fields)
        count += max(1, -(-len(fields) // 6))
        known = [(f, get(full, f)) for f in fields if get(full, f) is not None]
        if not known:
            continue
        for f, value in known:
            put(intake, f, value)
        step += 1
        rc, out, _ = same(f"dialogue {step}", ["--intake", "-"], json.dumps(intake))
    return compared, diffs


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    old, new, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    jobs = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            cases = json.load(f)
        if not isinstance(cases, list) or not all(isinstance(c, dict) and "intake" in c for c in cases):
            print(f"{path}: not a list of cases with an intake", file=sys.stderr)
            sys.exit(2)
        jobs += [(os.path.basename(path), c) for c in cases]
    compared, diffs = 0, []
    with ThreadPoolExecutor(max_workers=int(os.environ.get("JOBS", "2"))) as pool:
        for n, d in pool.map(lambda j: one_case(old, new, *j), jobs):
            compared += n
            diffs += d
    for d in diffs:
        print("differs:", d)
    print(f"{len(jobs)} cases, {compared} outputs compared, {len(diffs)} differ")
    sys.exit(1 if diffs else 0)


main()
