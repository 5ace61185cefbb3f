#!/usr/bin/env python3
"""Checks that two runsore binaries read every story the same: runs `check --story - --json` with
each on every story of the given files (JSON lists of objects with `story` or `text`, or phrase
tables of `sentence | fields` lines) and compares what each understood (`understood`: the intake,
the words each field came from and their modifiers). For a change to how the reader compiles and
matches its patterns, which must never change what it reads.

Usage: bench/same_reading.py OLD_BINARY NEW_BINARY FILE...
Prints the number of stories and of differences (by file and index, not the text); exit code 1
when any differ, 2 on bad input.
"""

import json
import os
import subprocess
import sys
import tempfile


def stories(path):
    """The stories of one file, in order."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".json"):
        rows = json.loads(text)
        if not isinstance(rows, list):
            sys.exit(f"{path}: not a JSON list")
        out = []
        for i, row in enumerate(rows):
            story = row.get("story") or row.get("text") if isinstance(row, dict) else None
            if not isinstance(story, str):
                sys.exit(f"{path}: item {i} has no story or text")
            out.append(story)
        return out
    # A phrase table: one sentence a line before " | ", comments with "#".
    return [
        line.split(" | ", 1)[0].strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def understood(binary, story, env):
    """What `binary` understood of `story` (or its error output, so that errors compare too)."""
    run = subprocess.run(
        [binary, "check", "--story", "-", "--json"],
        input=story,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if run.returncode != 0:
        return {"exit": run.returncode, "stderr": run.stderr}
    return json.loads(run.stdout).get("understood")


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    old, new, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    env = dict(os.environ)
    env["RUNSORE_DB"] = os.path.join(tempfile.mkdtemp(), "none.db")
    # One clock for both, so that "since Sunday" means the same day.
    env["RUNSORE_NOW"] = env.get("RUNSORE_NOW", "2026-12-06T09:00:00Z")
    total = 0
    differ = []
    for path in files:
        for i, story in enumerate(stories(path)):
            total += 1
            if understood(old, story, env) != understood(new, story, env):
                differ.append(f"{os.path.basename(path)}#{i}")
    print(f"{total} stories, {len(differ)} read differently")
    for d in differ:
        print(f"  {d}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
