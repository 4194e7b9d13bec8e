#!/usr/bin/env bash
# Load while aggregating (issue 8), on loopback, bounded in time: wrk at 200
# concurrent connections against the dashboard, a province page, the API and
# a filtered CSV download, 50 each at once, while the serving process runs a
# scheduled aggregation of a 1M-row file (or ROWS). Prints p50/p99, requests/s and
# non-2xx / socket errors per URL, and the run's outcome.
#
#   bench/load.sh [SECONDS [ROWS]]   defaults 20 and 1000000 (a 1M-row run
#                                    takes ~20-40 s here, 5M about 2 minutes)
#
# The rate limit is disabled (--rate-limit 0): 200 connections from one
# address are one client to the limiter, which would answer 429 by design.
# Request logs stay on (info), as in production.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
rows=${2:-1000000} # rows of the file aggregated during the load
out=bench/out/load
rm -rf "$out/data"
mkdir -p "$out"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
make -s build
bin=$PWD/bin/portal
data=$out/data

# A first release to serve (200k rows), then a file of ROWS for the inbox.
# Not --synthetic: the scheduled run takes the second file from the inbox,
# and a scheduled run is never synthetic (a folder holds one kind of data).
[ -s "$out/base/penyaluran.csv" ] || "$bin" generate --rows 200000 --seed 6 --out "$out/base" >/dev/null
big=$out/big-$rows
[ -s "$big/penyaluran.csv" ] || "$bin" generate --rows "$rows" --seed 7 --out "$big" >/dev/null
"$bin" aggregate --data "$data" --asn "$out/base/asn.csv" --deceased "$out/base/meninggal.csv" "$out/base/penyaluran.csv" >/dev/null 2>&1

port=18591
base=http://127.0.0.1:$port
"$bin" serve --no-demo --data "$data" --addr 127.0.0.1:$port --schedule '@every 5s' --rate-limit 0 \
  --log-level info --log-format json >"$out/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.2; done

metric() { curl -s "$base/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
running() { [ "$(metric 'portal_aggregation_runs{outcome="running"}')" = "1" ]; }
rel0=$(metric portal_release)

# The four URLs at once, 50 connections each: 200 concurrent connections.
urls=(/ /wilayah/32 '/api/v1/datasets/penyaluran/rows?kode_wilayah=32&limit=100' '/dataset/penyaluran.csv?kode_wilayah=32')
load() { # SECONDS LABEL
  local secs=$1 i=0 wrks=() url r rps p50 p99 non2xx sock
  for url in "${urls[@]}"; do
    wrk -t1 -c50 -d"${secs}s" --timeout 10s --latency -H 'Accept-Encoding: gzip' "$base$url" >"$out/wrk-$i.txt" &
    wrks+=($!)
    i=$((i + 1))
  done
  wait "${wrks[@]}"
  printf '\n%-58s %9s %9s %9s %8s %8s\n' "$2" req/s p50 p99 non2xx sockerr
  i=0
  for url in "${urls[@]}"; do
    r=$(cat "$out/wrk-$i.txt"); i=$((i + 1))
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$r")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$r")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$r")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$r"); non2xx=${non2xx:-0}
    sock=$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' <<<"$r"); sock=${sock:-0}
    printf '%-58s %9s %9s %9s %8s %8s\n' "$url" "$rps" "$p50" "$p99" "$non2xx" "$sock"
  done
}

load 10 "no aggregation running (50 connections each, 200 in all)"
echo

# Hand the file to the inbox atomically (hidden while copying), then wait
# for the scheduled run to start.
cp "$big/penyaluran.csv" "$data/inbox/.penyaluran.csv.part"
mv "$data/inbox/.penyaluran.csv.part" "$data/inbox/penyaluran-1m.csv"
for _ in $(seq 1 100); do running && break; sleep 0.2; done
running || { echo "the scheduled aggregation did not start"; exit 1; }
t0=$(date +%s)
echo "release in force: $rel0; aggregation of $rows rows running in the serving process"

load "$secs" "aggregating $rows rows (50 connections each, 200 in all)"
if running; then still="still running after the load"; else still="finished during the load"; fi
echo "aggregation: $still"

for _ in $(seq 1 600); do running || break; sleep 1; done
rel1=$(metric portal_release)
echo
echo "aggregation finished $(( $(date +%s) - t0 )) s after it was seen running; release in force $rel0 -> $rel1"
echo "5xx in the request log: $(grep -c '"status":5' "$out/serve.log" || true); clients that hung up (499, wrk stopping): $(grep -c '"status":499' "$out/serve.log" || true)"
echo "runs in the ledger by outcome:"; curl -s "$base/metrics" | grep '^portal_aggregation_runs{' | sed 's/^/  /'
echo "peak RSS of the serving process: $(awk '/VmHWM/ {print $2, $3}' /proc/$pid/status)"

# A backup taken while the site serves 200 connections, then restored and
# served from a fresh folder: the same release.
echo
wrk -t2 -c200 -d15s --timeout 10s "$base/wilayah/32" >/dev/null 2>&1 &
wrk_pid=$!
sleep 1
rm -rf "$out/restored" "$out/backup.tar.gz"
t0=$(date +%s.%N)
"$bin" backup --data "$data" --log-level warn "$out/backup.tar.gz" >/dev/null
t1=$(date +%s.%N)
wait $wrk_pid || true
t1b=$(date +%s.%N)
"$bin" restore --data "$out/restored" --log-level warn "$out/backup.tar.gz" >/dev/null 2>&1
t2=$(date +%s.%N)
printf 'backup under load: %.1f s, %s bytes (stores: %s); restore: %.1f s\n' "$(echo "$t1 - $t0" | bc)" \
  "$(stat -c %s "$out/backup.tar.gz")" "$(du -cb "$data"/*.db | tail -1 | cut -f1)" "$(echo "$t2 - $t1b" | bc)"
cp "$data/secret.key" "$out/restored/"
"$bin" serve --no-demo --data "$out/restored" --addr 127.0.0.1:$((port + 1)) --log-level warn >"$out/restored.log" 2>&1 &
rpid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$((port + 1))/readyz" >/dev/null && break; sleep 0.2; done
echo "primary /readyz:  $(curl -s "$base/readyz")"
echo "restored /readyz: $(curl -s "http://127.0.0.1:$((port + 1))/readyz")"
a=$(curl -s "$base/dataset/penyaluran.csv?release=$rel1" | sha256sum | cut -c1-16)
b=$(curl -s "http://127.0.0.1:$((port + 1))/dataset/penyaluran.csv?release=$rel1" | sha256sum | cut -c1-16)
echo "penyaluran.csv of release $rel1: primary $a, restored $b"
kill $rpid
