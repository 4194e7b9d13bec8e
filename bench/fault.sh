#!/usr/bin/env bash
# Faults (issue 8), on loopback, bounded in time:
#   1. kill -9 of the serving process during a scheduled aggregation of a
#      1M-row file, at several phases, then a restart: the release in force
#      is the one before or the one after, never half; every store passes
#      PRAGMA integrity_check; the restarted process publishes the file and
#      its rows add up (rows = accepted + rejected + quarantined + replayed).
#   2. a full disk (a small tmpfs; needs root) under an aggregation and a
#      backup: a clear error, the previous release intact.
#   3. a read-only data folder (the tmpfs remounted read-only): aggregate
#      and serve stop with a clear error; nothing is corrupted.
#   4. hostile files (gzip bombs, a 100 MB line, 5M rows all bad): time,
#      memory, the error or the quarantine.
#   5. kill -9 during the press office's publication of 5,000 embargoed
#      posts, three times at random points, then a restart: press.db passes
#      PRAGMA integrity_check, every post is published whole (address,
#      revision, audit line, counted in the public version) or still
#      scheduled, and the restart publishes the rest and feeds them.
#
#   bench/fault.sh [kill|disk|hostile|press]   (default: all)
#
# Kill points are log messages of a run (aggregator/run.go); a new kind of
# write (e.g. the press office's publication) gets its own kill point by
# adding a scenario that starts the process, waits for its message and
# calls kill_at / check below.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/fault
mkdir -p "$out"
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
make -s build
bin=$PWD/bin/portal
port=18592
pid=
only=${1:-all}
want() { [ "$only" = all ] || [ "$only" = "$1" ]; }
if want kill || want disk; then
  [ -s "$out/base/penyaluran.csv" ] || "$bin" generate --rows 50000 --seed 8 --out "$out/base" >/dev/null
  [ -s "$out/big/penyaluran.csv" ] || "$bin" generate --rows 1000000 --seed 9 --out "$out/big" >/dev/null
fi

cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  mountpoint -q "$out/disk" 2>/dev/null && umount "$out/disk" || true
}
trap cleanup EXIT

q() { sqlite3 -readonly -cmd '.timeout 5000' "$1" "$2"; }

# check DATA: integrity of every store; prints the release in force and
# whether the newest report's rows add up.
check() {
  local d=$1 ok=yes
  for s in published private press; do
    r=$(q "$d/$s.db" 'PRAGMA integrity_check' 2>&1)
    [ "$r" = ok ] || { ok="NO ($s: $r)"; }
  done
  rel=$(q "$d/published.db" 'SELECT coalesce(max(number), 0) FROM release')
  sums=$(q "$d/published.db" "SELECT json_extract(report, '\$.rows'),
      json_extract(report, '\$.accepted') + json_extract(report, '\$.replayed')
      + (SELECT coalesce(sum(value), 0) FROM json_each(report, '\$.rejected'))
      + (SELECT coalesce(sum(value), 0) FROM json_each(report, '\$.quarantined'))
    FROM release WHERE number = $rel")
  pending=$(q "$d/private.db" "SELECT count(*) FROM run WHERE state = 'pending'")
  spills=$(find "$d" -maxdepth 1 -name '.run-spill-*' | wc -l)
  echo "integrity ok: $ok; release in force: $rel; rows|accounted: $sums; pending runs in private.db: $pending; spill folders: $spills"
}

serve() { # DATA LOG
  "$bin" serve --no-demo --data "$1" --addr 127.0.0.1:$port --schedule '@every 2s' --log-format json \
    --log-level info >"$2" 2>&1 &
  pid=$!
}

# kill_at DATA MESSAGE: serve, let the scheduled run reach MESSAGE, kill -9.
kill_at() {
  local d=$1 msg=$2 log=$out/kill-$(echo "$2" | tr -c 'a-z' _).log
  serve "$d" "$log"
  local t0=$SECONDS
  until grep -q "\"msg\":\"$msg\"" "$log"; do
    kill -0 "$pid" 2>/dev/null || { echo "   process ended before '$msg'"; return 1; }
    [ $((SECONDS - t0)) -lt 300 ] || { echo "   '$msg' not seen in 300 s"; return 1; }
    sleep 0.05
  done
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "   killed at '$msg' after $((SECONDS - t0)) s; inbox: $(ls "$d/inbox" | tr '\n' ' ')"
  echo "   $(check "$d")"
}

if want kill; then
echo "== 1. kill -9 during a scheduled aggregation of 1,000,000 rows"
d=$out/kill
rm -rf "$d"
# Not --synthetic: the scheduled runs below take a file from the inbox, and a
# scheduled run is never synthetic (a folder holds one kind of data).
"$bin" aggregate --data "$d" --asn "$out/base/asn.csv" --deceased "$out/base/meninggal.csv" "$out/base/penyaluran.csv" >/dev/null 2>&1
echo "   before: $(check "$d")"
mkdir -p "$d/inbox"
cp "$out/big/penyaluran.csv" "$d/inbox/.part" && mv "$d/inbox/.part" "$d/inbox/penyaluran-1m.csv"
for msg in "state opened" "repeats looked up" "state stored" "aggregated" "disclosure control"; do
  kill_at "$d" "$msg" || true
done
echo "   restart and let the next scheduled run finish:"
serve "$d" "$out/kill-restart.log"
t0=$SECONDS
if [ ! -e "$d/inbox/penyaluran-1m.csv" ]; then
  # A fast run can publish between its last kill point and the kill.
  echo "   the last kill came after the run had published; nothing left to publish"
else
  until grep -q '"msg":"scheduled aggregation published"' "$out/kill-restart.log"; do
    [ $((SECONDS - t0)) -lt 600 ] || { echo "   no release in 600 s"; break; }
    sleep 0.5
  done
fi
grep -o '"msg":"undid interrupted runs"[^}]*' "$out/kill-restart.log" | head -1 | sed 's/^/   /' || true
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
echo "   after: $(check "$d"); inbox now: $(ls "$d/inbox" | tr '\n' ' ')"
echo
fi

if want disk; then
echo "== 2. a full disk"
d=$out/disk
mkdir -p "$d"
if mount -t tmpfs -o size=48m tmpfs "$d" 2>/dev/null; then
  "$bin" aggregate --synthetic --data "$d/data" --asn "$out/base/asn.csv" --deceased "$out/base/meninggal.csv" "$out/base/penyaluran.csv" >/dev/null 2>&1
  echo "   before: $(check "$d/data") ($(df -h --output=used,size "$d" | tail -1 | xargs) used)"
  set +e
  "$bin" aggregate --synthetic --data "$d/data" --log-format text "$out/big/penyaluran.csv" >"$out/disk-aggregate.log" 2>&1
  echo "   aggregate 1M rows on a full disk: exit $?; $(grep -m1 -iE 'level=ERROR|portal aggregate:' "$out/disk-aggregate.log" | cut -c1-400)"
  echo "   after: $(check "$d/data")"
  head -c 40M /dev/zero >"$d/filler" 2>/dev/null
  "$bin" backup --data "$d/data" --log-format text "$d/backup.tar.gz" >"$out/disk-backup.log" 2>&1
  echo "   backup onto a full disk: exit $?; $(grep -m1 -iE 'level=ERROR' "$out/disk-backup.log" | cut -c1-400)"
  echo "   leftovers of the failed backup: $(ls -A "$d" | grep -c '^\.backup' || true)"
  rm -f "$d/filler"
  echo
  echo "== 3. a read-only data folder"
  mount -o remount,ro "$d"
  "$bin" aggregate --synthetic --data "$d/data" --log-format text "$out/base/penyaluran.csv" >"$out/ro-aggregate.log" 2>&1
  echo "   aggregate: exit $?; $(grep -m1 -iE 'level=ERROR|portal aggregate:' "$out/ro-aggregate.log" | cut -c1-300)"
  timeout 20 "$bin" serve --no-demo --data "$d/data" --addr 127.0.0.1:$port --log-format text >"$out/ro-serve.log" 2>&1
  echo "   serve: exit $?; $(grep -m1 -iE 'level=ERROR' "$out/ro-serve.log" | cut -c1-300)"
  set -e
  mount -o remount,rw "$d"
  echo "   after: $(check "$d/data")"
  umount "$d"
else
  echo "   skipped: mounting a tmpfs needs root"
fi
echo
fi

if want hostile; then
echo "== 4. hostile files: time, peak memory and the error of 'portal aggregate'"
h=$out/hostile
mkdir -p "$h"
hdr='id_transaksi,periode,program,komponen,NIK,no_kk,nama,jenis_kelamin,tanggal_lahir,Kode_Wilayah,desil,nominal,status,tanggal_salur,penyalur,keterangan'
row='TRX-2025-S8-000000001,2025-Q1,PKH,SMP,3205365407000001,3205362802080001,ENOK LESTARI,P,2000-07-14,32.05.36.2003,3,375000,SALUR,2025-04-04,BRI,'
set +o pipefail # yes ends with SIGPIPE
[ -s "$h/bomb-zeros.csv.gz" ] || { echo "$hdr"; head -c 1G /dev/zero; } | gzip -9 >"$h/bomb-zeros.csv.gz"
[ -s "$h/bomb-rows.csv.gz" ] || { echo "$hdr"; yes "$row" | head -c 1G; } | gzip -9 >"$h/bomb-rows.csv.gz"
set -o pipefail
[ -s "$h/one-line.csv" ] || { echo "$hdr"; head -c 100M /dev/zero | tr '\0' x; echo; } >"$h/one-line.csv"
# An export in which every row is bad (5M rows, all BAD_NIK): every row is
# quarantined, and the run's memory must not follow them.
set +o pipefail
[ -s "$h/all-bad.csv" ] || { echo "$hdr"; yes "${row/3205365407000001/32053654070000x1}" | head -n 5000000; } >"$h/all-bad.csv"
set -o pipefail
for f in bomb-zeros.csv.gz bomb-rows.csv.gz one-line.csv all-bad.csv; do
  rm -rf "$h/data"
  set +e
  /usr/bin/time -f '%e s, peak RSS %M KB' -o "$h/time.txt" "$bin" aggregate --data "$h/data" --log-level error "$h/$f" >/dev/null 2>"$h/err.txt"
  code=$?
  set -e
  printf '   %-18s %6s bytes: exit %s, %s; %s\n' "$f" "$(stat -c %s "$h/$f")" "$code" "$(tail -n 1 "$h/time.txt")" \
    "$(grep -m1 refused "$h/err.txt" | cut -c1-200)$([ -f "$h/data/private.db" ] && q "$h/data/private.db" "SELECT count(*) || ' rows quarantined' FROM quarantine HAVING count(*) > 0")"
done
echo
fi

if want press; then
echo "== 5. kill -9 during the press office's publication of 5,000 embargoed posts"
d=$out/press
rm -rf "$d"
echo 'a long enough password' | "$bin" user add redaksi --role admin --data "$d" >/dev/null
# Posts have no command of their own: 5,000 scheduled posts by the admin,
# due a minute ago, go straight into press.db. serve's publisher catches up
# on due embargoes at start, one transaction per post.
sqlite3 "$d/press.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
  INSERT INTO post (kind, status, lang, title_id, summary_id, body_id, category, tags, regions, programs, links, author_id,
    created_at, updated_at, publish_at)
  SELECT 'siaran_pers', 'scheduled', 'id', 'Siaran uji ' || i, 'Ringkasan.', 'Isi siaran pers uji nomor ' || i || '.', 'umum',
    '[\"uji\"]', ' 32 ', ' PKH ', '[]', (SELECT id FROM user WHERE name = 'redaksi'),
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 minutes'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 minutes'),
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 minutes') FROM n"
published() { q "$d/press.db" "SELECT count(*) FROM post WHERE status = 'published'"; }
# press_check: integrity, published whole or untouched, public version.
press_check() {
  local r half pv n
  r=$(q "$d/press.db" 'PRAGMA integrity_check' 2>&1)
  n=$(published)
  half=$(q "$d/press.db" "SELECT count(*) FROM post p WHERE NOT (
      (p.status = 'published' AND p.slug IS NOT NULL AND p.published_at IS NOT NULL AND p.revision = 1
        AND (SELECT count(*) FROM post_revision WHERE post_id = p.id AND kind = 'publish') = 1
        AND (SELECT count(*) FROM post_revision WHERE post_id = p.id) = 1
        AND (SELECT count(*) FROM audit WHERE post_id = p.id AND action = 'post.publish' AND detail = p.slug) = 1)
   OR (p.status = 'scheduled' AND p.slug IS NULL AND p.published_at IS NULL AND p.revision = 0
        AND (SELECT count(*) FROM post_revision WHERE post_id = p.id) = 0
        AND (SELECT count(*) FROM audit WHERE post_id = p.id AND action = 'post.publish') = 0))")
  pv=$(q "$d/press.db" 'SELECT version FROM public_version')
  echo "integrity: $r; published: $n of 5000; half-published: $half; public version: $pv"
}
for round in 1 2 3; do
  n0=$(published)
  target=$((n0 + 1 + RANDOM % ((5000 - n0) / 3)))
  serve "$d" "$out/press-kill-$round.log"
  t0=$SECONDS
  while [ "$(published)" -lt "$target" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "   process ended before $target posts"; break; }
    [ $((SECONDS - t0)) -lt 120 ] || { echo "   $target posts not published in 120 s"; break; }
  done
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; pid=
  echo "   kill $round at >= $target published: $(press_check)"
done
echo "   restart:"
serve "$d" "$out/press-restart.log"
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
items=$(curl -s "http://127.0.0.1:$port/feed.json" | grep -o '"url": *"[^"]*/berita/[^"]*"' | wc -l || true)
slug=$(q "$d/press.db" "SELECT slug FROM post WHERE status = 'published' ORDER BY random() LIMIT 1")
page=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/berita/$slug")
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
echo "   after: $(press_check); /feed.json items: $items; a random post's page: $page"
fi
