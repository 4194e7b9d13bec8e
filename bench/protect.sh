#!/usr/bin/env bash
# Disclosure control, before and after a change (issue on the national
# year): the same generated year is aggregated into a fresh data folder by
# the working tree's build and by revision REV's, alternately, ROUNDS times
# each, with the same pseudonymisation key, so both publish from the same
# pseudonyms. For each run it prints the time disclosure control took, the
# wall time and peak RSS; then whether the two published the very same
# release (every published table, the run report and the disclosure
# report, less run ids and timings). A change to the protection's speed
# must leave that line "identical".
#
#   bench/protect.sh [REV] [ROWS] [ROUNDS]   defaults: HEAD~1, 3000000, 2
#
# GOMEMLIMIT is passed through: compare peak RSS under one limit (the
# portal's own soft limit lets the heap grow to 896 MiB, so a faster run
# can peak higher without holding more). Needs GNU time and python3.
# Output goes to bench/out/protect/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-HEAD~1}
rows=${2:-3000000}
rounds=${3:-2}
out=bench/out/protect
mkdir -p "$out"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 1; }

make -s build
cp bin/portal "$out/portal-new"
wt=$(mktemp -d)
trap 'git worktree remove --force "$wt" >/dev/null 2>&1 || true' EXIT
git worktree add --detach "$wt" "$rev" >/dev/null
(cd "$wt" && go build -o "$OLDPWD/$out/portal-old" ./cmd/portal)

gen="$out/gen-$rows"
if [ ! -s "$gen/penyaluran.csv" ]; then
  "$out/portal-new" generate --rows "$rows" --seed 5 --year 2025 --out "$gen" >/dev/null
fi
# One key for every run: the first run makes it, the others copy it.
key="$out/secret.key"
rm -f "$key"

run() { # run BIN TAG
  local data="$out/data-$2"
  rm -rf "$data"; mkdir -p "$data"; chmod 750 "$data"
  [ -f "$key" ] && install -m 600 "$key" "$data/secret.key"
  /usr/bin/time -f "%e %M" "$1" aggregate --synthetic --data "$data" --log-format json \
    "$gen/asn.csv" "$gen/meninggal.csv" "$gen/kuota.csv" "$gen/dtsen.csv" "$gen/penyaluran.csv" >/dev/null 2>"$out/log-$2"
  [ -f "$key" ] || cp "$data/secret.key" "$key"
  local took wall rss
  took=$(grep -o '"msg":"disclosure control".*' "$out/log-$2" | grep -o '"took":"[^"]*"' | cut -d'"' -f4)
  read -r wall rss < <(tail -1 "$out/log-$2")
  printf '%-4s %-10s protect %-10s wall %6.1f s  peak RSS %5.0f MiB\n' "$2" "$3" "$took" "$wall" "$(echo "$rss / 1024" | bc -l)"
}

for i in $(seq 1 "$rounds"); do
  run "$out/portal-old" "old$i" "$rev"
  run "$out/portal-new" "new$i" "worktree"
done

python3 bench/release_digest.py "$out/data-old1/published.db" "$out/data-new1/published.db"
