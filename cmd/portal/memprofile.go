package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// peakHeapProfile writes to path a heap profile taken when the run's
// live heap (as the last garbage collection measured it) was at its
// highest: checked every interval, and taken again each time it has
// grown by a sixteenth since the last profile. It is for finding what a
// run's peak memory holds: go tool pprof -sample_index=inuse_space. The
// returned stop waits for the watcher and writes the profile.
func peakHeapProfile(ctx context.Context, path string, interval time.Duration) (stop func() error, err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("memory profile: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	var best bytes.Buffer
	var peak uint64
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	take := func() {
		metrics.Read(sample)
		v := sample[0].Value.Uint64()
		if v <= peak+peak/16 {
			return
		}
		peak = v
		best.Reset()
		_ = pprof.Lookup("heap").WriteTo(&best, 0)
	}
	go func() {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				take()
			}
		}
	}()
	return func() error {
		cancel()
		<-done
		take() // a run shorter than interval has its profile too
		defer f.Close()
		if _, err := f.Write(best.Bytes()); err != nil {
			return fmt.Errorf("memory profile: %w", err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("memory profile: %w", err)
		}
		return nil
	}, nil
}
