"""Whether two published.db files hold the very same releases.

python3 bench/release_digest.py A/published.db B/published.db

Digests every published table and, of each release, its run report and
disclosure report less run ids and timings; prints "releases: identical"
(exit 0) or "releases: DIFFERENT" (exit 1) with both digests. The bench
scripts use it to check that a change of speed changed no published
number.
"""
import hashlib
import json
import sqlite3
import sys


def digest(path):
    db, h = sqlite3.connect(path), hashlib.sha256()
    for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN "
                           "('release','run','schema_migrations','release_file') ORDER BY name"):
        h.update("\n".join(sorted(repr(r) for r in db.execute(f'SELECT * FROM "{t}"'))).encode())

    def clean(o):
        if isinstance(o, dict):
            return {k: clean(v) for k, v in o.items()
                    if not any(x in k.lower() for x in ("run_id", "took", "duration", "time", "second", "_at"))}
        return [clean(x) for x in o] if isinstance(o, list) else o
    cols = [r[1] for r in db.execute("PRAGMA table_info(release)")]
    for row in db.execute("SELECT * FROM release"):
        for c, v in zip(cols, row):
            if c in ("report", "disclosure") and v:
                h.update(json.dumps(clean(json.loads(v)), sort_keys=True).encode())
    return h.hexdigest()[:16]


a, b = digest(sys.argv[1]), digest(sys.argv[2])
print("releases:", "identical" if a == b else "DIFFERENT", a, b)
sys.exit(0 if a == b else 1)
