#!/usr/bin/env bash
# What a run costs when it adds one quarter to a history (issue on the
# national year): a generated year is split into its first three quarters
# (the history, aggregated once) and its fourth (the new file). The new
# file is then run twice on copies of that history, side by side: once as
# the portal runs it (quarters whose facts did not change keep their stored
# aggregates, private.db table quarter_agg) and once with those aggregates
# forgotten, so every quarter is aggregated from its facts again. Both must
# publish the same release.
#
#   bench/incremental.sh [ROWS]        default: 2000000
#
# Needs GNU time (/usr/bin/time) and sqlite3 (Debian packages "time",
# "sqlite3"). Output goes to bench/out/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-2000000}
out=bench/out/incremental
mkdir -p "$out"
for c in /usr/bin/time sqlite3 python3; do
  command -v "$c" >/dev/null || { echo "needs $c" >&2; exit 1; }
done
make -s build
bin=bin/portal
gen="$out/gen-$rows"
[ -s "$gen/penyaluran.csv" ] || "$bin" generate --rows "$rows" --seed 7 --out "$gen" >/dev/null
# Split by quarter with a real CSV reader (names may hold quoted line breaks).
if [ ! -s "$gen/q4.csv" ]; then
  python3 - "$gen" <<'PY'
import csv, re, sys
d = sys.argv[1]
def quarter(p):
    p = p.upper()
    m = re.fullmatch(r"\d{4}-Q([1-4])", p)
    if m: return int(m.group(1))
    m = re.fullmatch(r"\d{4}-(\d\d)", p)
    if m and 1 <= int(m.group(1)) <= 12: return (int(m.group(1)) - 1) // 3 + 1
    return 0
with open(f"{d}/penyaluran.csv", newline="", encoding="utf-8-sig") as f, \
     open(f"{d}/q1-q3.csv.tmp", "w", newline="", encoding="utf-8") as a, \
     open(f"{d}/q4.csv.tmp", "w", newline="", encoding="utf-8") as b:
    r = csv.reader(f); wa = csv.writer(a); wb = csv.writer(b)
    head = next(r); wa.writerow(head); wb.writerow(head)
    for row in r:
        (wb if len(row) > 1 and quarter(row[1]) == 4 else wa).writerow(row)
PY
  mv "$gen/q1-q3.csv.tmp" "$gen/q1-q3.csv"
  mv "$gen/q4.csv.tmp" "$gen/q4.csv"
fi
hist="$out/history-$rows"
if [ ! -s "$hist/published.db" ]; then
  rm -rf "$hist"
  "$bin" aggregate --synthetic --data "$hist" --log-format json --asn "$gen/asn.csv" --deceased "$gen/meninggal.csv" \
    "$gen/q1-q3.csv" >/dev/null 2>"$out/history-$rows.log"
fi

measure() { # label data-dir
  local label=$1 data=$2
  /usr/bin/time -v "$bin" aggregate --synthetic --data "$data" --log-format json "$gen/q4.csv" >/dev/null 2>"$out/$label.log" ||
    { tail -5 "$out/$label.log"; exit 1; }
  local secs rss agg
  secs=$(grep 'Elapsed (wall clock)' "$out/$label.log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep 'Maximum resident set size' "$out/$label.log" | awk '{print $NF}')
  agg=$(grep -o '"msg":"aggregated".*' "$out/$label.log" | grep -o '"quarters_aggregated":[0-9]*,"quarters_reused":[0-9]*\|"took":"[^"]*"' | tr '\n' ' ')
  printf '%-26s %7.1f s  peak RSS %5.0f MiB  aggregation: %s\n' "$label" "$secs" "$(echo "$rss / 1024" | bc -l)" "$agg"
}

echo "== Q4 of a $rows-row year added to its first three quarters"
for i in 1 2 3; do
  for mode in stored forgotten; do
    d="$out/run-$mode"
    rm -rf "$d"; cp -r "$hist" "$d"
    [ "$mode" = forgotten ] && sqlite3 "$d/private.db" 'DELETE FROM quarter_agg'
    measure "$mode aggregates #$i" "$d"
  done
  same() { # query
    [ "$(sqlite3 "$out/run-stored/published.db" "$1" | md5sum)" = "$(sqlite3 "$out/run-forgotten/published.db" "$1" | md5sum)" ]
  }
  for q in "SELECT number, k, disclosure, periods, counts FROM release ORDER BY 1" \
    "SELECT * FROM penyaluran ORDER BY release, periode, program, komponen, lvl, kode_wilayah" \
    "SELECT * FROM penyaluran_demografi_sel ORDER BY 1, 2, 3, 4, 5, 6" \
    "SELECT * FROM ketepatan_sasaran ORDER BY release, periode, program, lvl, kode_wilayah, alasan"; do
    same "$q" || { echo "the two releases differ: $q" >&2; exit 1; }
  done
done
