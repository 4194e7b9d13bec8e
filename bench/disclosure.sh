#!/usr/bin/env bash
# Information loss of disclosure control (issue 4), on generated
# national-shaped releases: cells withheld by primary suppression
# (unavoidable), by secondary suppression (the method's cost), the share of
# families and rupiah in withheld cells per level, and the time of
# suppression + audit.
#
#   bench/disclosure.sh [ROWS...]        default: 2000000 10000000
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/disclosure
mkdir -p "$out"
make -s build
bin=bin/portal
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2000000 10000000)
for rows in "${sizes[@]}"; do
  gen="$out/gen-$rows"; data="$out/data-$rows"
  [ -s "$gen/penyaluran.csv" ] || "$bin" generate --rows "$rows" --seed 1 --out "$gen" >/dev/null
  rm -rf "$data"
  "$bin" aggregate --synthetic --data "$data" --log-format json --asn "$gen/asn.csv" --deceased "$gen/meninggal.csv" \
    "$gen/penyaluran.csv" >/dev/null 2>"$out/run-$rows.log"
  echo "== $rows rows, k = 10"
  python3 bench/disclosure_report.py "$out/run-$rows.log" "$data/published.db"
done
