package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// asyncWriter takes the server's log lines off the request path: a Write
// only appends to a buffer; one goroutine hands the buffer to the real
// writer every flushEvery, or at once when it holds flushAt bytes. Writing
// each request's line to stderr as it happens put a system call, and a
// wait for whatever reads stderr, behind every answer (issue on the
// national year: p99 over a second at 200 connections with the default
// log). When the reader falls more than maxPending bytes behind, lines are
// dropped and counted rather than slowing the site, and a line says how
// many once it catches up. Close flushes what is left.
type asyncWriter struct {
	mu      sync.Mutex
	buf     []byte
	dropped int
	out     io.Writer
	kick    chan struct{}
	done    chan struct{}
	closed  bool
	wg      sync.WaitGroup
}

const (
	flushEvery = 100 * time.Millisecond
	flushAt    = 64 << 10
	maxPending = 8 << 20
)

func newAsyncWriter(out io.Writer) *asyncWriter {
	w := &asyncWriter{out: out, kick: make(chan struct{}, 1), done: make(chan struct{})}
	w.wg.Add(1)
	go w.loop()
	return w
}

// Write keeps a copy of p (slog reuses its buffer) for the next flush.
func (w *asyncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return w.out.Write(p)
	}
	if len(w.buf)+len(p) > maxPending {
		w.dropped++
		w.mu.Unlock()
		return len(p), nil
	}
	w.buf = append(w.buf, p...)
	full := len(w.buf) >= flushAt
	w.mu.Unlock()
	if full {
		select {
		case w.kick <- struct{}{}:
		default:
		}
	}
	return len(p), nil
}

func (w *asyncWriter) loop() {
	defer w.wg.Done()
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	var spare []byte
	for {
		select {
		case <-t.C:
		case <-w.kick:
		case <-w.done:
			w.flush(&spare)
			return
		}
		w.flush(&spare)
	}
}

// flush writes out what is buffered, swapping buffers so writers never
// wait for the output.
func (w *asyncWriter) flush(spare *[]byte) {
	w.mu.Lock()
	b, dropped := w.buf, w.dropped
	w.buf, w.dropped = (*spare)[:0], 0
	w.mu.Unlock()
	if len(b) > 0 {
		_, _ = w.out.Write(b)
	}
	if dropped > 0 {
		fmt.Fprintf(w.out, "{\"time\":%q,\"level\":\"WARN\",\"msg\":\"log lines dropped: the log's reader fell behind\",\"dropped\":%d}\n",
			time.Now().Format(time.RFC3339Nano), dropped)
	}
	*spare = b
}

// Fd is the underlying file's descriptor, so the log format can still
// tell a terminal; an invalid one for other writers.
func (w *asyncWriter) Fd() uintptr {
	if f, ok := w.out.(interface{ Fd() uintptr }); ok {
		return f.Fd()
	}
	return ^uintptr(0)
}

// Close flushes the buffer and makes later writes go straight through.
func (w *asyncWriter) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	w.mu.Unlock()
	close(w.done)
	w.wg.Wait()
	return nil
}
