#!/usr/bin/env python3
"""Score a phrase table through `runsore check --story - --json`'s "understood" intake, plus
the safety-screen denials that the app keeps out of it (so the screen still asks them) but shows,
as read, in "understood_from": what the reader read, whatever the app then asks again.

usage: score_phrases.py PHRASES.json BINARY [--fields-only-red]
Each row: {"text": ..., "expect": {"field.path": value-or-null}}; a list field may be named by
item, "medications[statin]": true when the list read holds it, false when it is read without it. For each expected field we
compare the value read. Per field: tp/fp/fn on "the reader asserted a value" where a value is
expected (true/false/enum), and wrong-value errors. null expected = must stay unknown.
Precision: of fields the reader set (for rows that name that field), how many were right.
Recall: of expected non-null values, how many were read exactly.
"""
import json, subprocess, sys
from collections import defaultdict

RED = {"saddle_numbness","bladder_bowel_change","radiates_both_legs","dark_urine","can_bear_weight",
       "chest_pain","short_of_breath","fainting","confusion","nausea_vomiting","fever",
       "belly_or_testicle_pain","cold_pale_leg","calf_swelling","palpitations","fall","weakness",
       "headache","drank_a_lot","pain_at_rest","pain_at_night","limping","general_weakness"}

def get(d, path):
    # "medications[statin]": whether the list holds that item (unknown while the list is).
    if path.endswith("]") and "[" in path:
        base, item = path[:-1].split("[", 1)
        got = get(d, base)
        return None if got is None else (item in got if isinstance(got, list) else got == item)
    for p in path.split("."):
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d

def norm(v):
    if isinstance(v, list):
        return sorted(v)
    return v

def main():
    rows = json.load(open(sys.argv[1])); binary = sys.argv[2]
    stats = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "n": 0})
    misses = []
    for r in rows:
        p = subprocess.run([binary, "check", "--story", "-", "--json"], input=r["text"],
                           capture_output=True, text=True, timeout=20)
        try:
            out = json.loads(p.stdout)
            und = out.get("understood", {})
            for span in out.get("understood_from", []):
                if span.get("value") is False and get(und, span.get("field", "")) is None:
                    und[span["field"]] = False
        except Exception:
            und = {}
            misses.append((r["text"], "ERROR", p.stderr.strip()[:120]))
        for field, want in r["expect"].items():
            got = get(und, field)
            s = stats[field]; s["n"] += 1
            if want is None:
                if got is not None:
                    s["fp"] += 1; misses.append((r["text"], field, f"want unknown, got {got}"))
                continue
            if got is None:
                s["fn"] += 1; misses.append((r["text"], field, f"want {want}, got unknown"))
            elif norm(got) == norm(want) or (isinstance(want,(int,float)) and not isinstance(want,bool) and isinstance(got,(int,float)) and not isinstance(got,bool) and abs(got-want) <= 0.1*max(abs(want),1)) or (isinstance(got, list) and not isinstance(want, list) and want in got):
                s["tp"] += 1
            else:
                s["fp"] += 1; s["fn"] += 1; misses.append((r["text"], field, f"want {want}, got {got}"))
    def pr(s):
        p = s["tp"] / (s["tp"] + s["fp"]) if s["tp"] + s["fp"] else 1.0
        rc = s["tp"] / (s["tp"] + s["fn"]) if s["tp"] + s["fn"] else 1.0
        return p, rc
    agg = {"tp": 0, "fp": 0, "fn": 0}
    aggr = {"tp": 0, "fp": 0, "fn": 0}
    for f in sorted(stats):
        s = stats[f]; p, rc = pr(s)
        print(f"{f:28} n={s['n']:3} precision={p:.2f} recall={rc:.2f}")
        for k in agg: agg[k] += s[k]
        if f in RED:
            for k in aggr: aggr[k] += s[k]
    p, rc = pr(agg); print(f"ALL fields: precision={p:.3f} recall={rc:.3f}")
    p, rc = pr(aggr); print(f"RED-FLAG fields: precision={p:.3f} recall={rc:.3f}")
    if "-v" in sys.argv:
        for m in misses: print("MISS", m)

main()
