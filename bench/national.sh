#!/usr/bin/env bash
# A national year, month by month (issue on the national year): a
# generated year is delivered as twelve monthly exports (`portal generate
# --monthly`: monthly periods in their month, tahap rows in the month they
# were paid), and `portal aggregate` runs once per month on the same data
# folder, as the cron job would: `--as-of` the 5th of the next month, so a
# quarter is published whole once it is due (30 days after it ends), as it
# would have been that year. For each month it prints the rows, wall
# time, rows/s, peak RSS, the sizes of private.db and published.db and the
# time each phase took (ingestion, storing state, aggregation, disclosure
# control, release write). The curve should be flat: a month costs what
# its own rows cost, whatever the history before it.
#
#   bench/national.sh [ROWS_PER_MONTH]      default 5000000 (60M a year)
#   bench/national.sh --full                25000000 a month (300M a year,
#                                           about 45 GB of CSV; an hour)
#
# NATIONAL_MONTHS=N runs months 1–N only (default 12): NATIONAL_MONTHS=4
# --full protects a national quarter (2025-Q1, in April's run).
# NATIONAL_WINDOW=W writes W months' files at a time (default 12; 4 with
# --full): the year is generated whole each time (streamed, about five
# minutes at full size) but only the window's months are written, and
# each is deleted once aggregated, so a national year needs some 16 GB of
# CSV on disk at a time, not 45, beside a private.db that grows to some
# 16 GB. With the whole year in one window the files are kept for the
# next run with the same size.
# Bounded in time: it stops after the month that ends past $NATIONAL_BUDGET
# seconds (default 3600) and says so. Needs GNU time (/usr/bin/time).
# Output goes to bench/out/national/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
per=${1:-5000000}
[ "$per" = --full ] && per=25000000
budget=${NATIONAL_BUDGET:-3600}
months=${NATIONAL_MONTHS:-12}
[[ "$months" =~ ^([1-9]|1[0-2])$ ]] || { echo "NATIONAL_MONTHS=$months: want 1–12" >&2; exit 2; }
last=$(printf %02d "$months")
window=${NATIONAL_WINDOW:-12}
[ "$per" = 25000000 ] && window=${NATIONAL_WINDOW:-4}
[[ "$window" =~ ^([1-9]|1[0-2])$ ]] || { echo "NATIONAL_WINDOW=$window: want 1–12" >&2; exit 2; }
out=bench/out/national
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 1; }
make -s build
bin=bin/portal
gen="$out/gen-$per"
# generate FROM: write the files of months FROM to FROM+window-1 (at most
# the last month run), replacing what gen holds.
generate() {
  local to=$(( $1 + window - 1 < months ? $1 + window - 1 : months ))
  rm -rf "$gen"
  echo "generating $((per * 12)) rows, writing months $1–$to as monthly files in $gen …"
  "$bin" generate --rows $((per * 12)) --seed 12 --year 2025 --monthly --months "$1-$to" --out "$gen" >/dev/null
}
if [ "$window" -ge "$months" ] && [ ! -s "$gen/penyaluran-2025-$last.csv" ]; then
  generate 1
fi
data="$out/data-$per"
rm -rf "$data"
size() { [ -f "$1" ] && du -m "$1" | cut -f1 || echo 0; }
printf '%-8s %10s %8s %10s %9s %9s %8s | %7s %6s %7s %7s %7s\n' month rows wall rows/s "RSS MiB" "priv MiB" "pub MiB" ingest state aggr protect publish
start=$(date +%s)
for m in $(seq -w 1 12 | head -n "$months"); do
  [ -s "$gen/penyaluran-2025-$m.csv" ] || generate $((10#$m))
  files=("$gen/penyaluran-2025-$m.csv")
  [ "$m" = 01 ] && files=("$gen/asn.csv" "$gen/meninggal.csv" "$gen/kuota.csv" "$gen/dtsen.csv" "${files[@]}")
  log="$out/month-$m.log"
  next=$((10#$m + 1)); asof="2025-$(printf %02d $next)-05"; [ "$m" = 12 ] && asof=2026-01-05
  /usr/bin/time -v "$bin" aggregate --synthetic --data "$data" --as-of "$asof" --log-format json --json "${files[@]}" >"$out/month-$m.json" 2>"$log" ||
    { tail -5 "$log"; exit 1; }
  rows=$(grep -o '"rows": [0-9]*' "$out/month-$m.json" | head -1 | awk '{print $2}')
  secs=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  ingest=$(grep -o '"msg":"file ingested".*' "$log" | grep -o '"took":"[^"]*"' | tail -1 | cut -d'"' -f4)
  printf '%-8s %10s %8.1f %10.0f %9.0f %9s %8s | %7s %6s %7s %7s %7s\n' "2025-$m" "$rows" "$secs" "$(echo "$rows / $secs" | bc -l)" \
    "$(echo "$rss / 1024" | bc -l)" "$(size "$data/private.db")" "$(size "$data/published.db")" \
    "$ingest" "$(took 'state stored' "$log")" "$(took aggregated "$log")" "$(took 'disclosure control' "$log")" "$(took 'release published' "$log")"
  [ "$window" -lt "$months" ] && rm -f "$gen/penyaluran-2025-$m.csv" # aggregated: make room for the next window
  if [ $(( $(date +%s) - start )) -gt "$budget" ] && [ "$m" != "$last" ]; then
    echo "stopped after 2025-$m: past the time budget of ${budget}s (NATIONAL_BUDGET)"
    break
  fi
done
