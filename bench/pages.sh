#!/usr/bin/env bash
# Dashboard and region page speed (issue 6), on loopback, bounded in time:
# requests/s and latency percentiles for the home dashboard and a province
# page under 50 concurrent clients (wrk), and the weight of a first view
# (compressed bytes and requests, everything the page loads).
#
#   bench/pages.sh [DATA_DIR]      default: a 2M-row demo release made here
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/pages
mkdir -p "$out"
. bench/lib.sh
make -s build
bin=$PWD/bin/portal
data=${1:-$out/data}
release "$data" 2000000 "$out/gen"
port=18590
"$bin" serve --no-demo --data "$data" --addr 127.0.0.1:$port --log-level warn >"$out/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
base=http://127.0.0.1:$port

weight() { # path: compressed bytes and requests of a first view
  local html assets total n
  html=$(curl -s --compressed "$base$1")
  total=$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$base$1")
  n=1
  assets=$(printf '%s' "$html" | grep -oE '(href|src)="/(static|peta)/[^"]+"' | sed -E 's/^(href|src)="//; s/"$//' | sort -u || true)
  # The map's shapes are fetched by the chart script.
  assets="$assets $(printf '%s' "$html" | grep -oE 'data-geo="[^"]+"' | sed -E 's/^data-geo="//; s/"$//' | sort -u || true)"
  for a in $assets; do
    total=$((total + $(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$base$a")))
    n=$((n + 1))
  done
  printf '   first view of %s: %d requests, %d bytes compressed (%.0f KB)\n' "$1" "$n" "$total" "$(echo "$total/1024" | bc -l)"
}

run() {
  printf '\n== %s\n' "$1"
  wrk -t2 -c50 -d10s --latency -H 'Accept-Encoding: gzip' "$base$1" | grep -E 'Requests/sec|^ +(50|90|99)%|Non-2xx|Socket errors'
}
echo "release data: $data"
weight /
weight /wilayah/32
run /
run /wilayah/32
