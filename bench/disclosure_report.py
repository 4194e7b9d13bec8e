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
              f"  audit rounds {d['audit_rounds']}  suppression + audit {d['took']}")
row = sqlite3.connect(db).execute("SELECT disclosure FROM release ORDER BY number DESC LIMIT 1").fetchone()
r = json.loads(row[0])
for name, ds in sorted(r["datasets"].items()):
    print(f"   {name}: {ds['cells']:,} cells, {ds['primary']:,} primary, {ds['secondary']:,} secondary")
    for lvl in ["nasional", "provinsi", "kabupaten", "kecamatan"]:
        l = ds["levels"].get(lvl)
        if l:
            print(f"      {lvl:10} cells {l['cells']:>9,}  primary {l['primary']:>8,}  secondary {l['secondary']:>7,}"
                  f"  families withheld {100 * l['families_withheld_share']:5.2f}%"
                  f"  rupiah withheld {100 * l['rupiah_withheld_share']:5.2f}%")
