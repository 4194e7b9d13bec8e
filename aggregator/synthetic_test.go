package aggregator

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
)

// runKind runs the aggregator over inputs as a synthetic run or not.
func (e *testEnv) runKind(synthetic bool, inputs ...Input) (*Result, error) {
	e.t.Helper()
	return Run(context.Background(), Options{
		Published: e.pub, Private: e.priv, Regions: region.Default(), Key: e.key, K: e.k, Workers: 2,
		Synthetic: synthetic, DataDir: e.dir,
	}, inputs)
}

// count is one number from a store.
func count(t *testing.T, q release.Querier, query string) int {
	t.Helper()
	var n int
	if err := q.QueryRowContext(context.Background(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestSyntheticAndRealAreKeptApart: a data folder holds synthetic or real
// data, never both. A run of the other kind is refused before it changes
// anything but the run ledger, which records it with a message that names
// no server path.
func TestSyntheticAndRealAreKeptApart(t *testing.T) {
	dist := func(id string) string {
		return header + row(id+"1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR") +
			row(id+"2", nikB, kkB, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR")
	}
	type step struct {
		synthetic bool
		lists     bool // the run carries an ASN list only
		refused   error
	}
	for _, tc := range []struct {
		name  string
		steps []step
		holds Holding
	}{
		{"synthetic on synthetic", []step{{synthetic: true}, {synthetic: true}}, HoldsSynthetic},
		{"real on real", []step{{}, {}}, HoldsReal},
		{"real on the demo is refused", []step{{synthetic: true}, {refused: ErrDemoFolder}}, HoldsSynthetic},
		{"synthetic on real is refused", []step{{}, {synthetic: true, refused: ErrRealFolder}}, HoldsReal},
		{"real on synthetic lists is refused", []step{{synthetic: true, lists: true}, {refused: ErrDemoFolder}}, HoldsSynthetic},
		{"a refused run leaves the folder as it was", []step{{synthetic: true}, {refused: ErrDemoFolder}, {refused: ErrDemoFolder}, {synthetic: true}}, HoldsSynthetic},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t)
			ctx := context.Background()
			if h, err := Holds(ctx, e.pub.R); err != nil || h != HoldsNothing {
				t.Fatalf("a new folder holds %v (%v)", h, err)
			}
			for i, st := range tc.steps {
				in := []Input{{Path: e.write("asn.csv", "nik\n"+nikB+"\n"), Kind: ListASN}}
				if !st.lists {
					in = append(in, Input{Path: e.write("data.csv", dist(string(rune('A'+i))))})
				}
				releases := count(t, e.pub.R, `SELECT count(*) FROM release`)
				state := count(t, e.priv.R, `SELECT count(*) FROM run`)
				res, err := e.runKind(st.synthetic, in...)
				if st.refused == nil {
					if err != nil {
						t.Fatalf("step %d: %v", i, err)
					}
					if st.lists {
						continue
					}
					rel, err := release.Get(ctx, e.pub.R, res.Release)
					if err != nil || rel.Synthetic != st.synthetic {
						t.Errorf("step %d: release %d synthetic %v (%v), want %v", i, res.Release, rel.Synthetic, err, st.synthetic)
					}
					continue
				}
				if !errors.Is(err, st.refused) || res != nil {
					t.Fatalf("step %d: %v (result %v), want %v", i, err, res, st.refused)
				}
				var me *MixError
				if !errors.As(err, &me) || me.Demo && !strings.Contains(err.Error(), "'portal demo remove --data "+e.dir+"'") {
					t.Errorf("step %d: the refusal does not say how to clear the folder: %v", i, err)
				}
				if got := count(t, e.pub.R, `SELECT count(*) FROM release`); got != releases {
					t.Errorf("step %d: releases %d → %d", i, releases, got)
				}
				if got := count(t, e.priv.R, `SELECT count(*) FROM run`); got != state {
					t.Errorf("step %d: private runs %d → %d", i, state, got)
				}
				var outcome, msg string
				if err := e.pub.R.QueryRow(`SELECT outcome, error FROM run ORDER BY started_at DESC, rowid DESC LIMIT 1`).Scan(&outcome, &msg); err != nil {
					t.Fatal(err)
				}
				if outcome != "failed" || strings.Contains(msg, e.dir) || !strings.HasPrefix(msg, "this data folder holds") {
					t.Errorf("step %d: ledger %s %q", i, outcome, msg)
				}
			}
			if h, err := Holds(ctx, e.pub.R); err != nil || h != tc.holds {
				t.Errorf("the folder holds %v (%v), want %v", h, err, tc.holds)
			}
		})
	}
}

// TestScheduledRunIntoDemoFolder: the inbox of a folder that holds the
// demo is not taken; its files stay where they are (not in failed/), and
// the refused run is in the ledger for /status.
func TestScheduledRunIntoDemoFolder(t *testing.T) {
	e := newTestEnv(t)
	e.runKind(true, Input{Path: e.write("demo.csv", header+row("D1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR"))})
	inbox := filepath.Join(e.dir, "inbox")
	os.MkdirAll(inbox, 0o750)
	real := filepath.Join(inbox, "penyaluran-2025-01.csv")
	os.WriteFile(real, []byte(header+row("T1", nikB, kkB, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR")), 0o600)

	// The options of a demo load: the scheduler never runs synthetic.
	opt := Options{Published: e.pub, Private: e.priv, Regions: region.Default(), Key: e.key, K: 2, Synthetic: true}
	s, err := NewScheduler("@every 1h", e.dir, inbox, opt)
	if err != nil {
		t.Fatal(err)
	}
	var gotErr error
	s.After = func(_ *Result, err error) { gotErr = err }
	s.RunNow(context.Background())
	if !errors.Is(gotErr, ErrDemoFolder) {
		t.Fatalf("scheduled run into the demo: %v", gotErr)
	}
	if _, err := os.Stat(real); err != nil {
		t.Errorf("the inbox file is gone: %v", err)
	}
	for _, sub := range []string{ProcessedDir, FailedDir} {
		if _, err := os.Stat(filepath.Join(inbox, sub)); err == nil {
			t.Errorf("%s/ was created", sub)
		}
	}
	var trigger, outcome, msg string
	e.pub.R.QueryRow(`SELECT trigger, outcome, error FROM run WHERE outcome = 'failed'`).Scan(&trigger, &outcome, &msg)
	want := "this data folder holds the demo (synthetic data); real files are never added to demo rows; " +
		"to start clean run 'portal demo remove --data DIR' or use a fresh --data folder"
	if trigger != "schedule" || msg != want {
		t.Errorf("ledger: %s %s %q", trigger, outcome, msg)
	}
	if n := count(t, e.pub.R, `SELECT count(*) FROM release`); n != 1 {
		t.Errorf("%d releases", n)
	}
}
