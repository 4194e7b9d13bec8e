"""Prints the disclosure figures of a run: the aggregator's log line and the
release's stored disclosure report. Used by bench/disclosure.sh."""
import json
import sqlite3
import sys

log, db = sys.argv[1], sys.argv[2]
for line in open(log):
    if '"msg":"disclosure control"' in line:
        d = json.loads(line)
        p, s = d["primary"], d["secondary"]
        print(f"   primary {p:,}  secondary {s:,}  (+{100 * s / max(p, 1):.1f}% on top of primary)"
              f"  partly withheld {d.get('partial', 0):,}  held back {d.get('held_back', 0)}"
              f"  witnesses {d.get('witnesses', 0):,}  protection {d['took']}")
row = sqlite3.connect(db).execute("SELECT disclosure FROM release ORDER BY number DESC LIMIT 1").fetchone()
r = json.loads(row[0])
for name, ds in sorted(r["datasets"].items()):
    print(f"   {name}: {ds['cells']:,} cells, {ds['primary']:,} primary, {ds['secondary']:,} secondary")
    for lvl in ["nasional", "provinsi", "kabupaten", "kecamatan"]:
        l = ds["levels"].get(lvl)
        if l:
            pct = lambda v: "   n/a" if v is None else f"{100 * v:5.1f}%"
            print(f"      {lvl:10} cells {l['cells']:>9,}  primary {l['primary']:>8,}  secondary {l['secondary']:>7,}"
                  f"  families withheld {pct(l.get('families_withheld_share'))}"
                  f"  rupiah withheld {pct(l.get('rupiah_withheld_share'))}")
