#!/usr/bin/env bash
# The serving path against nginx (issue 14): the same dashboard bytes, once
# from the portal's page cache under its default settings (request log
# on), once as a static file from nginx, side by side on loopback with
# wrk, alternating ROUNDS times at 50 and 200 connections. Prints each
# round and the medians: requests/s, p99, and the portal's share of
# nginx's throughput and its p99 ratio. wrk shares the machine's cores
# with both servers: compare medians, not single runs.
#
#   bench/serving.sh [DATA_DIR [ROUNDS [SECONDS]]]
#       DATA_DIR defaults to a 200k-row release made here; 3 rounds of 6 s.
#
# Needs wrk and nginx (Debian: apt-get install wrk nginx-light).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/serving
mkdir -p "$out"
rounds=${2:-3}
secs=${3:-6}
. bench/lib.sh
make -s build
bin=$PWD/bin/portal
data=${1:-$out/data}
release "$data" 200000 "$out/gen"
port=18592
"$bin" serve --no-demo --data "$data" --addr 127.0.0.1:$port --rate-limit 0 >"$out/serve.log" 2>&1 &
pid=$!
root=$(mktemp -d)
cleanup() {
  kill $pid 2>/dev/null || true
  nginx_stop "$root"
  rm -rf "$root"
}
trap cleanup EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
curl -sf -o "$root/index.html" "http://127.0.0.1:$port/"
nginx_static "$root" $((port + 1))
echo "page: $(stat -c %s "$root/index.html") bytes; $rounds rounds of ${secs}s"
measure() { wrk -t2 -c"$2" -d"${secs}s" --latency "$1" | awk '/Requests\/sec/{r=$2} / 99%/{p=$2} END{print r, p}'; }
ms() { awk '{v=$1; if (v ~ /us$/) v=v/1000; else if (v ~ /ms$/) v=v+0; else if (v ~ /s$/) v=v*1000; print v}'; }
for c in 50 200; do
  : >"$out/c$c.txt"
  for r in $(seq 1 "$rounds"); do
    n=$(measure "http://127.0.0.1:$((port + 1))/" "$c"); p=$(measure "http://127.0.0.1:$port/" "$c")
    echo "$n $p" >>"$out/c$c.txt"
    echo "c=$c round $r: nginx $n | portal $p"
  done
  med() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
  nr=$(awk '{print $1}' "$out/c$c.txt" | med); pr=$(awk '{print $3}' "$out/c$c.txt" | med)
  np=$(awk '{print $2}' "$out/c$c.txt" | ms | med); pp=$(awk '{print $4}' "$out/c$c.txt" | ms | med)
  printf 'c=%s medians: nginx %.0f req/s p99 %.1f ms | portal %.0f req/s p99 %.1f ms | portal/nginx throughput %.0f %%, p99 ratio %.1fx\n' \
    "$c" "$nr" "$np" "$pr" "$pp" "$(echo "100*$pr/$nr" | bc -l)" "$(echo "$pp/$np" | bc -l)"
done
