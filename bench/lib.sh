# Pieces the bench scripts share; source it from the repository root.

# release DATA ROWS GEN: unless DATA already holds a release, generate ROWS
# rows (seed 1) into GEN and aggregate them, with the exclusion lists, into
# DATA, as synthetic data.
release() {
  local data=$1 rows=$2 gen=$3
  [ -s "$data/published.db" ] && return 0
  "$bin" generate --rows "$rows" --seed 1 --out "$gen" >/dev/null
  "$bin" aggregate --synthetic --data "$data" --asn "$gen/asn.csv" --deceased "$gen/meninggal.csv" "$gen/penyaluran.csv" >/dev/null 2>&1
}

# nginx_static ROOT PORT: serve the files in ROOT (a fresh folder) as static
# files with nginx on 127.0.0.1:PORT, two workers, no access log, sendfile
# on; nginx_stop ROOT stops it. The files must be readable by nginx's
# workers, which run as another user.
nginx_static() {
  local root=$1 port=$2
  chmod 755 "$root"
  chmod 644 "$root"/*
  mkdir -p "$root/logs"
  cat >"$root/logs/nginx.conf" <<CONF
worker_processes 2;
pid $root/logs/nginx.pid;
error_log $root/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  types { text/csv csv; text/html html; }
  server { listen 127.0.0.1:$port; root $root; index index.html; }
}
CONF
  nginx -p "$root/logs" -c "$root/logs/nginx.conf"
  sleep 0.5
}

nginx_stop() {
  [ -f "$1/logs/nginx.pid" ] && kill "$(cat "$1/logs/nginx.pid")" 2>/dev/null || true
}

# took MESSAGE LOG: the seconds the step that logged MESSAGE took, from a
# run's JSON log ("took":"1m2.5s", "850ms", "3.2s").
took() {
  grep -o "\"msg\":\"$1\".*" "$2" | grep -o '"took":"[^"]*"' | head -1 | cut -d'"' -f4 |
    awk '{ v=$1; if (v ~ /ms$/) { sub("ms","",v); print v/1000 } else if (v ~ /m/) { split(v,a,"m"); sub("s","",a[2]); print a[1]*60+a[2] } else { sub("s","",v); print v+0 } }'
}
