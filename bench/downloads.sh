#!/usr/bin/env bash
# Download and API speed (issue 5), on loopback, bounded in time:
# requests/s and latency percentiles under 50 concurrent clients (wrk) for a
# filtered CSV, the full CSV and a filtered API page, and the full CSV's
# throughput against nginx serving the same bytes as a static file, side by
# side in one run.
#
#   bench/downloads.sh [DATA_DIR]
#
# DATA_DIR: a data folder with a published release (default: the 10M-row
# folder bench/aggregate.sh leaves, else a 2M-row release made here).
# Needs wrk and nginx (Debian: apt-get install wrk nginx-light).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/downloads
mkdir -p "$out"
. bench/lib.sh
make -s build
bin=$PWD/bin/portal
data=${1:-}
if [ -z "$data" ]; then
  if [ -s bench/out/aggregate/data-large/published.db ]; then
    data=bench/out/aggregate/data-large
  else
    data=$out/data
    if [ ! -s "$data/published.db" ]; then
      "$bin" generate --rows 2000000 --seed 1 --out "$out/gen" >/dev/null
      "$bin" aggregate --synthetic --data "$data" "$out/gen/penyaluran.csv" >/dev/null 2>&1
    fi
  fi
fi
port=18580
nport=18581
"$bin" serve --no-demo --data "$data" --addr 127.0.0.1:$port --rate-limit 0 --log-level warn >"$out/serve.log" 2>&1 &
portal_pid=$!
nginx_prefix=$(mktemp -d)
cleanup() {
  kill "$portal_pid" 2>/dev/null || true
  nginx_stop "$nginx_prefix"
  rm -rf "$nginx_prefix"
}
trap cleanup EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

# Warm the release's file cache, then give nginx the same bytes.
curl -sf -o "$nginx_prefix/penyaluran.csv" "http://127.0.0.1:$port/dataset/penyaluran.csv"
size=$(stat -c %s "$nginx_prefix/penyaluran.csv")
nginx_static "$nginx_prefix" $nport

run() { # label url
  printf '\n== %s\n' "$1"
  wrk -t2 -c50 -d10s --latency "$2" | grep -E 'Requests/sec|Transfer/sec|^ +(50|90|99)%|Non-2xx|Socket errors'
}
echo "release data: $data; full penyaluran.csv = $size bytes"
run "filtered CSV (periode=2025-Q1, program=PKH, tingkat=provinsi)" "http://127.0.0.1:$port/dataset/penyaluran.csv?periode=2025-Q1&program=PKH&tingkat=provinsi"
run "API page (penyaluran rows, periode=2025-Q1, tingkat=kabupaten, limit=100)" "http://127.0.0.1:$port/api/v1/datasets/penyaluran/rows?periode=2025-Q1&tingkat=kabupaten&limit=100"
run "full CSV, portal" "http://127.0.0.1:$port/dataset/penyaluran.csv"
run "full CSV, nginx static" "http://127.0.0.1:$nport/penyaluran.csv"
