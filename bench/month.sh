#!/usr/bin/env bash
# One large monthly file on an empty data folder and on a long history
# (issue on the national year): a run's memory and time must follow its
# own rows, not the history before it. The same generated file of ROWS
# rows (year 2025) is aggregated twice: into an empty folder, and into a
# folder holding HISTORY earlier files of ROWS rows each (year 2024,
# generated one at a time and deleted after their run, so the disk holds
# one CSV at a time). For each run it prints rows, wall time, rows/s,
# peak RSS, the size of private.db and the time of each phase; then the
# ratios of the second month run to the first.
#
#   bench/month.sh [ROWS] [HISTORY]     defaults: 25000000, 4 (a 25M-row
#                                       month on a 100M-row history; about
#                                       15 minutes and 25 GB of disk here)
#
# Every run is judged --as-of 2024-02-05, when no quarter of 2024 or 2025
# is due yet, so they ingest, store and aggregate but protect nothing (the
# protection of a quarter is measured by bench/national.sh and
# bench/protect.sh). Needs GNU time (/usr/bin/time). Output goes to
# bench/out/month/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
rows=${1:-25000000}
history=${2:-4}
out=bench/out/month
mkdir -p "$out"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 1; }
make -s build
bin=bin/portal
month="$out/gen-$rows"
[ -s "$month/penyaluran.csv" ] || "$bin" generate --rows "$rows" --seed 7 --year 2025 --out "$month" >/dev/null

declare -A wall rss
# aggregate TAG DATA ASOF FILES…: one run, measured, one line of figures.
aggregate() {
  local tag=$1 data=$2 asof=$3
  shift 3
  local log="$out/$tag.log"
  # Read the inputs once first: a file just delivered to the inbox is in
  # the page cache, and a disk's speed is not what this measures.
  cat "$@" >/dev/null
  /usr/bin/time -v "$bin" aggregate --synthetic --data "$data" --as-of "$asof" --log-format json --json "$@" >"$out/$tag.json" 2>"$log" ||
    { tail -5 "$log"; exit 1; }
  local n secs kib
  n=$(grep -o '"rows": [0-9]*' "$out/$tag.json" | head -1 | awk '{print $2}')
  secs=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  kib=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  wall[$tag]=$secs rss[$tag]=$kib
  printf '%-10s %11s %7.1f s %9.0f rows/s %6.0f MiB RSS %7s MiB private.db | ingest %6s  state %5s  aggregate %5s\n' \
    "$tag" "$n" "$secs" "$(echo "$n / $secs" | bc -l)" "$(echo "$kib / 1024" | bc -l)" \
    "$(du -m "$data/private.db" | cut -f1)" "$(took 'file ingested' "$log")s" "$(took 'state stored' "$log")s" "$(took aggregated "$log")s"
}

lists=("$month/asn.csv" "$month/meninggal.csv")
rm -rf "$out/empty"
aggregate month-empty "$out/empty" 2024-02-05 "${lists[@]}" "$month/penyaluran.csv"
rm -rf "$out/empty"

# The history is kept for the next run of the same size, and copied for
# each month run, so every month run sees the same history: delete
# bench/out/month/history-* to build it again.
hist="$out/history-$rows-$history"
if [ ! -f "$hist/.built" ]; then
  rm -rf "$hist"
  for i in $(seq 1 "$history"); do
    gen="$out/history-gen"
    rm -rf "$gen"
    "$bin" generate --rows "$rows" --seed $((100 + i)) --year 2024 --out "$gen" >/dev/null
    aggregate "history-$i" "$hist" 2024-02-05 "$gen/penyaluran.csv"
    rm -rf "$gen"
  done
  touch "$hist/.built"
fi
data="$out/on-history"
rm -rf "$data"
cp -a "$hist" "$data"
aggregate month-hist "$data" 2024-02-05 "${lists[@]}" "$month/penyaluran.csv"
rm -rf "$data"
printf 'month on a %s-row history against an empty folder: wall %.2fx, peak RSS %.2fx\n' "$((rows * history))" \
  "$(echo "${wall[month-hist]} / ${wall[month-empty]}" | bc -l)" "$(echo "${rss[month-hist]} / ${rss[month-empty]}" | bc -l)"
