package main

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a writer the flusher and the test can share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
	// gate, when set, blocks every write until it is closed.
	gate chan struct{}
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	if l.gate != nil {
		<-l.gate
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestAsyncWriterKeepsOrderAndFlushesOnClose(t *testing.T) {
	out := &lockedBuffer{}
	w := newAsyncWriter(out)
	var want strings.Builder
	for i := range 5000 {
		line := fmt.Sprintf("line %d\n", i)
		want.WriteString(line)
		buf := []byte(line)
		if _, err := w.Write(buf); err != nil {
			t.Fatal(err)
		}
		copy(buf, "XXXX") // the caller reuses its buffer, as slog does
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != want.String() {
		t.Fatalf("got %d bytes, want %d, in order", len(got), want.Len())
	}
	// After Close, writes go straight through.
	w.Write([]byte("late\n"))
	if !strings.HasSuffix(out.String(), "late\n") {
		t.Error("a write after Close was lost")
	}
}

func TestAsyncWriterFlushesWithoutClose(t *testing.T) {
	out := &lockedBuffer{}
	w := newAsyncWriter(out)
	defer w.Close()
	w.Write([]byte("one line\n"))
	deadline := time.Now().Add(5 * time.Second)
	for out.String() == "" && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if out.String() != "one line\n" {
		t.Fatalf("not flushed within 5 s: %q", out.String())
	}
}

// A reader that stops must not stop the site: writes return at once,
// lines beyond maxPending are dropped and counted once it reads again.
func TestAsyncWriterDropsWhenTheReaderStalls(t *testing.T) {
	out := &lockedBuffer{gate: make(chan struct{})}
	w := newAsyncWriter(out)
	line := bytes.Repeat([]byte("x"), 1023)
	line = append(line, '\n')
	n := 3 * maxPending / len(line)
	done := make(chan struct{})
	go func() {
		for range n {
			w.Write(line)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("writes blocked behind a stalled reader")
	}
	close(out.gate)
	w.Close()
	got := out.String()
	if !strings.Contains(got, `"msg":"log lines dropped: the log's reader fell behind"`) {
		t.Fatal("no line says how many were dropped")
	}
	kept := strings.Count(got, strings.Repeat("x", 1023)+"\n")
	if kept == 0 || kept >= n {
		t.Errorf("%d of %d lines kept: some must be, not all", kept, n)
	}
}
