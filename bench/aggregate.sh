#!/usr/bin/env bash
# Aggregator speed and memory benchmark (issue 3).
#
# Generates 1M and 10M rows, runs `portal aggregate` on each from an empty
# data folder (rows/s end to end, peak RSS), then adds a fresh 1M-row file
# on top of the 10M-row history (peak RSS: target under 1 GiB).
#
#   bench/aggregate.sh [ROWS_SMALL] [ROWS_LARGE]     defaults: 1000000 10000000
#
# Needs GNU time (/usr/bin/time, Debian package "time"). Output goes to
# bench/out/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
small=${1:-1000000}
large=${2:-10000000}
out=bench/out/aggregate
mkdir -p "$out"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 1; }

make -s build
bin=bin/portal

gen() { # rows seed dir
  [ -s "$3/penyaluran.csv" ] || "$bin" generate --rows "$1" --seed "$2" --out "$3" >/dev/null
}

measure() { # label data-dir files...
  local label=$1 data=$2; shift 2
  local rows
  /usr/bin/time -v "$bin" aggregate --synthetic --data "$data" --log-format json --json "$@" \
    >"$out/$label.json" 2>"$out/$label.log" || { tail -5 "$out/$label.log"; exit 1; }
  local secs rss
  rows=$(grep -o '"rows": [0-9]*' "$out/$label.json" | head -1 | awk '{print $2}')
  secs=$(grep 'Elapsed (wall clock)' "$out/$label.log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep 'Maximum resident set size' "$out/$label.log" | awk '{print $NF}')
  printf '%-28s %12s rows %8.1f s %10.0f rows/s  peak RSS %6.0f MiB\n' "$label" "$rows" "$secs" "$(echo "$rows / $secs" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
  grep -o '"msg":"[a-z ]*","run":"[^"]*",[^}]*"took":"[^"]*"' "$out/$label.log" | sed 's/"run":"[^"]*",//' | sed 's/^/    /' || true
}

gen "$small" 101 "$out/gen-small"
gen "$large" 102 "$out/gen-large"
gen "$small" 103 "$out/gen-extra"

rm -rf "$out/data-small" "$out/data-large"
measure "1M from empty" "$out/data-small" "$out/gen-small/penyaluran.csv"
measure "10M from empty" "$out/data-large" "$out/gen-large/penyaluran.csv"
measure "1M on a 10M history" "$out/data-large" "$out/gen-extra/penyaluran.csv"
