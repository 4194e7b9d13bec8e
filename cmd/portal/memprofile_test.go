package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// --memprofile writes a profile in pprof's format, for a run that held
// memory and let it go, and fails clearly when it cannot create it.
func TestPeakHeapProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "heap.pprof")
	stop, err := peakHeapProfile(context.Background(), path, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	held := make([][]byte, 0, 64)
	for range 64 {
		held = append(held, bytes.Repeat([]byte{1}, 1<<20))
	}
	runtime.GC()
	time.Sleep(20 * time.Millisecond)
	runtime.KeepAlive(held)
	held = nil
	runtime.GC()
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 100 || b[0] != 0x1f || b[1] != 0x8b { // pprof's gzipped protobuf
		t.Fatalf("%d bytes, not a pprof profile", len(b))
	}
	if _, err := peakHeapProfile(context.Background(), filepath.Join(t.TempDir(), "no", "such", "dir"), time.Millisecond); err == nil {
		t.Error("a profile that cannot be created is no error")
	}
}
