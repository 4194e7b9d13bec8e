package backup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/store"
	"github.com/portal-data-bansos/portal/portal"
)

// TestExportedReleaseServesTheSame: a replica serving an exported release
// answers as the primary does for that release, and cannot write.
func TestExportedReleaseServesTheSame(t *testing.T) {
	ctx := context.Background()
	src := openFolder(t, t.TempDir())
	src.aggregate(t, 5000, 40, true)
	src.aggregate(t, 3000, 41, false)

	tests := []struct {
		name    string
		release int
		// current: the replica's unpinned answers equal the primary's
		// (only for the release in force on the primary).
		current bool
	}{
		{"past release", 1, false},
		{"release in force", 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "rilis.db")
			if err := ExportRelease(ctx, src.pub.Path, tt.release, file); err != nil {
				t.Fatal(err)
			}
			before := fileSum(t, file)
			pub, err := store.OpenFile(ctx, file, store.Published, store.Options{ReadOnly: true, Immutable: true})
			if err != nil {
				t.Fatal(err)
			}
			defer pub.Close()
			replica, err := portal.New(portal.Options{Log: slog.New(slog.DiscardHandler), Published: pub, Press: src.press, ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range answers {
				pinned := strings.Contains(u, "%d")
				if !pinned && !tt.current {
					continue
				}
				u := strings.Replace(u, "%d", strconv.Itoa(tt.release), 1)
				if strings.HasPrefix(u, "/api/v1/releases") {
					continue // lists every release the store holds
				}
				cp, bp := fetch(t, src.site, u)
				cr, br := fetch(t, replica, u)
				// A page of a past release on the primary says that a newer
				// one is in force; the replica holds no newer one.
				bp = pinnedNote.ReplaceAll(bp, nil)
				if cp != http.StatusOK || cr != cp || !bytes.Equal(bp, br) {
					t.Errorf("%s: primary %d (%d bytes), replica %d (%d bytes)", u, cp, len(bp), cr, len(br))
				}
			}
			// Only that release's rows are in the file.
			for _, q := range []string{
				`SELECT count(*) FROM release WHERE number <> ?`,
				`SELECT count(*) FROM penyaluran WHERE release <> ?`,
				`SELECT count(*) FROM run WHERE release IS NOT ? `,
			} {
				var n int
				if err := pub.R.QueryRowContext(ctx, q, tt.release).Scan(&n); err != nil || n != 0 {
					t.Errorf("%s: %d rows of other releases (%v)", q, n, err)
				}
			}
			var rows int
			pub.R.QueryRowContext(ctx, `SELECT count(*) FROM penyaluran`).Scan(&rows)
			if rows == 0 {
				t.Error("no penyaluran rows exported")
			}
			// Writes are impossible: no writer, and the readers refuse.
			if pub.W != nil {
				t.Error("the replica's store has a writer")
			}
			if _, err := pub.R.ExecContext(ctx, `DELETE FROM penyaluran`); err == nil {
				t.Error("a reader connection could delete rows")
			}
			if c, b := fetch(t, replica, "/readyz"); c != http.StatusOK || !strings.Contains(string(b), `"readonly":true`) ||
				!strings.Contains(string(b), `"release":`+strconv.Itoa(tt.release)) {
				t.Errorf("/readyz: %d %s", c, b)
			}
			if c, b := fetch(t, replica, "/status"); c != http.StatusOK || !strings.Contains(string(b), "replika hanya-baca") {
				t.Errorf("/status: %d, no read-only note", c)
			}
			if after := fileSum(t, file); after != before {
				t.Error("serving changed the release file")
			}
		})
	}
	if err := ExportRelease(ctx, src.pub.Path, 9, filepath.Join(t.TempDir(), "x.db")); err == nil || !strings.Contains(err.Error(), "release 9 does not exist") {
		t.Errorf("export of a missing release: %v", err)
	}
}

var pinnedNote = regexp.MustCompile(`<div class="pinned-banner" role="note"><div class="wrap">[^<]*</div></div>`)

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}
