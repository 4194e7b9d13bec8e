// Package testkit builds the data the site's tests read: a data folder in
// which the real aggregator has published releases of generated data. It
// is built once per test binary and shared; tests that only read open it
// read-only, tests that write get their own copy (CopyStores). Only tests
// import this package.
package testkit

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/portal-data-bansos/portal/aggregator"
	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/store"
	"github.com/portal-data-bansos/portal/internal/synth"
)

// Release fixtures: the releases of one generated year in West Java only
// (120,000 rows, seed 40, k = 10), so that regencies and districts are
// dense enough to publish (docs/disclosure.md), delivered in two files —
// the first three quarters, then the fourth — so that the folder holds
// releases 1 and 2. WithTargets adds the kuota and DTSEN lists to the
// first delivery (the exclusion lists always come with it).
type Fixture struct{ WithTargets bool }

var fixtures [2]struct {
	once sync.Once
	dir  string
	err  error
}

// Dir returns the folder holding the fixture's stores, building it on
// first use. Call Cleanup from TestMain to remove it.
func (f Fixture) Dir() (string, error) {
	x := &fixtures[0]
	if f.WithTargets {
		x = &fixtures[1]
	}
	x.once.Do(func() { x.dir, x.err = build(f.WithTargets) })
	return x.dir, x.err
}

// Cleanup removes the fixtures built by this test binary.
func Cleanup() {
	for i := range fixtures {
		if fixtures[i].dir != "" {
			os.RemoveAll(fixtures[i].dir)
		}
	}
}

// CopyStores copies the fixture's three store files into dst, for a test
// that writes.
func (f Fixture) CopyStores(dst string) error {
	src, err := f.Dir()
	if err != nil {
		return err
	}
	for _, k := range store.Kinds {
		body, err := os.ReadFile(filepath.Join(src, k.FileName()))
		if err != nil {
			return fmt.Errorf("testkit: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dst, k.FileName()), body, 0o600); err != nil {
			return fmt.Errorf("testkit: %w", err)
		}
	}
	return nil
}

func build(withTargets bool) (string, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "portal-fixture-")
	if err != nil {
		return "", err
	}
	var dbs []*store.DB
	open := func(k store.Kind) *store.DB {
		db, e := store.Open(ctx, dir, k, store.Options{})
		if e != nil && err == nil {
			err = e
		}
		dbs = append(dbs, db)
		return db
	}
	pub, priv, _ := open(store.Published), open(store.Private), open(store.Press)
	defer func() {
		for _, db := range dbs {
			if db != nil {
				db.Close() // checkpoints the WAL: each store is one file
			}
		}
	}()
	if err != nil {
		return dir, err
	}
	// A fixed key: the same fixture, and the same release, on every run.
	keyFile := datadir.DefaultKeyFile(dir)
	if err := os.WriteFile(keyFile, bytes.Repeat([]byte{0x5a}, datadir.KeySize), 0o600); err != nil {
		return dir, err
	}
	key, err := datadir.LoadOrCreateKey(keyFile)
	if err != nil {
		return dir, err
	}
	gen := filepath.Join(dir, "gen")
	if _, err := synth.Generate(ctx, gen, synth.Options{Rows: 120000, Seed: 40, Provinces: []string{"32"}}); err != nil {
		return dir, err
	}
	parts := [2]string{filepath.Join(dir, "part-1", synth.DistributionFile), filepath.Join(dir, "part-2", synth.DistributionFile)}
	q4 := func(_ int, p string) bool {
		return p == "2025-10" || p == "2025-11" || p == "2025-12" || strings.EqualFold(p, "2025-Q4")
	}
	if err := synth.SplitRecords(filepath.Join(gen, synth.DistributionFile), parts, q4); err != nil {
		return dir, err
	}
	return dir, Deliver(ctx, aggregator.Options{Published: pub, Private: priv, Key: key, K: 10}, gen, parts[:], withTargets)
}

// Deliver runs the aggregator once per part of a generated year in gen:
// the exclusion lists (and with targets the kuota and DTSEN lists) come
// with the first part.
func Deliver(ctx context.Context, opt aggregator.Options, gen string, parts []string, targets bool) error {
	for i, part := range parts {
		inputs := []aggregator.Input{{Path: part}}
		if i == 0 {
			inputs = append([]aggregator.Input{
				{Path: filepath.Join(gen, synth.ASNFile), Kind: aggregator.ListASN},
				{Path: filepath.Join(gen, synth.DeceasedFile), Kind: aggregator.ListDeceased},
			}, inputs...)
			if targets {
				inputs = append([]aggregator.Input{
					{Path: filepath.Join(gen, synth.KuotaFile), Kind: aggregator.ListKuota},
					{Path: filepath.Join(gen, synth.DTSENFile), Kind: aggregator.ListDTSEN},
				}, inputs...)
			}
		}
		if _, err := aggregator.Run(ctx, opt, inputs); err != nil {
			return fmt.Errorf("testkit: deliver %s: %w", part, err)
		}
	}
	return nil
}

// OpenReadOnly opens the fixture's published and press stores read-only
// and immutable, as a replica opens an exported release: tests that only
// read share the one copy, in parallel; tests that write take their own
// (CopyStores). The stores are closed with the test.
func (f Fixture) OpenReadOnly(t testing.TB) (pub, press *store.DB) {
	t.Helper()
	dir, err := f.Dir()
	if err != nil {
		t.Fatal(err)
	}
	dbs := open(t, dir, store.Options{ReadOnly: true, Immutable: true}, store.Published, store.Press)
	return dbs[0], dbs[1]
}

// OpenStores opens the three real stores in dir, created and migrated
// when absent, closed with the test.
func OpenStores(t testing.TB, dir string) (pub, priv, press *store.DB) {
	t.Helper()
	dbs := open(t, dir, store.Options{}, store.Published, store.Private, store.Press)
	return dbs[0], dbs[1], dbs[2]
}

func open(t testing.TB, dir string, opt store.Options, kinds ...store.Kind) []*store.DB {
	t.Helper()
	dbs := make([]*store.DB, len(kinds))
	for i, k := range kinds {
		db, err := store.Open(context.Background(), dir, k, opt)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	return dbs
}
