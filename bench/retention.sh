#!/usr/bin/env bash
# Retention (docs/input.md §3, "Retention"; issue on the national year):
# what a bounded history saves each file. Every file is checked against
# the transaction ids remembered; with nothing forgotten that is the whole
# history, with --retain-quarters only the open quarters'.
#
# A generated year (2025, ROWS rows) is aggregated into a data folder as
# it would be in January 2026. Then a file of the next year (2026, NEXT
# rows) is aggregated into copies of that folder on one day, 2026-12-03
# (--as-of): remembering everything, and with --retain-quarters 4, which
# keeps 2025-Q4 to 2026-Q4 open and forgets 2025-Q1 to Q3. ROUNDS times
# each, alternately. For each run it prints the stored ids the file was
# checked against (ids_read), the time that check took ("repeats looked
# up"), the run's wall time and peak RSS, and the chunks of ids and
# receipts forgotten after the commit. Then whether both published the very
# same release: the 2026 file has no row of a closed quarter, so they must.
#
#   bench/retention.sh [ROWS] [NEXT] [ROUNDS]   defaults 20000000, 1000000, 2
#
# Needs GNU time and python3. Output goes to bench/out/retention/ (ignored
# by git); the generated files and the base folder are kept for the next
# run with the same sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
rows=${1:-20000000}
next=${2:-1000000}
rounds=${3:-2}
out=bench/out/retention
mkdir -p "$out"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 1; }
make -s build
bin=bin/portal

base="$out/base-$rows"
if [ ! -s "$base/published.db" ]; then
  gen="$out/gen-$rows"
  rm -rf "$gen" "$base"
  echo "aggregating a 2025 of $rows rows into $base …"
  "$bin" generate --rows "$rows" --seed 12 --year 2025 --out "$gen" >/dev/null
  "$bin" aggregate --synthetic --data "$base" --as-of 2026-01-05 --log-format json \
    "$gen/asn.csv" "$gen/meninggal.csv" "$gen/kuota.csv" "$gen/dtsen.csv" "$gen/penyaluran.csv" >/dev/null 2>"$out/base.log" ||
    { tail -5 "$out/base.log"; exit 1; }
  rm -rf "$gen"
fi
later="$out/gen-2026-$next"
if [ ! -s "$later/penyaluran.csv" ]; then
  "$bin" generate --rows "$next" --seed 13 --year 2026 --out "$later" >/dev/null
fi

run() { # run TAG [FLAGS…]
  local tag=$1 data="$out/data-$1"
  shift
  rm -rf "$data"
  cp -a "$base" "$data"
  /usr/bin/time -f "%e %M" "$bin" aggregate --synthetic --data "$data" --as-of 2026-12-03 --log-format json "$@" \
    "$later/penyaluran.csv" >/dev/null 2>"$out/log-$tag"
  local ids wall rss forgot
  ids=$(grep -o '"msg":"repeats looked up".*' "$out/log-$tag" | grep -o '"ids_read":[0-9]*' | cut -d: -f2)
  forgot=$(grep -o '"msg":"closed quarters forgotten".*' "$out/log-$tag" | grep -o '"chunks":[0-9]*' | cut -d: -f2 || true)
  read -r wall rss < <(tail -1 "$out/log-$tag")
  printf '%-9s ids_read %11s  lookup %6.2f s  wall %6.1f s  peak RSS %5.0f MiB  forgotten %s chunks\n' \
    "$tag" "$ids" "$(took 'repeats looked up' "$out/log-$tag")" "$wall" "$(echo "$rss / 1024" | bc -l)" "${forgot:-0}"
}

for i in $(seq 1 "$rounds"); do
  run "all$i"
  run "retain$i" --retain-quarters 4
done
python3 bench/release_digest.py "$out/data-all1/published.db" "$out/data-retain1/published.db"
