package synth

import (
	"io"
	"sync"
)

// asyncWriter hands full buffers to a goroutine that writes them, so that
// generating rows and the write system calls overlap. Write copies p (the
// caller, a bufio.Writer, reuses its buffer).
type asyncWriter struct {
	w    io.Writer
	free chan []byte
	work chan []byte
	wg   sync.WaitGroup
	mu   sync.Mutex
	err  error
}

func newAsyncWriter(w io.Writer, size, buffers int) *asyncWriter {
	a := &asyncWriter{w: w, free: make(chan []byte, buffers), work: make(chan []byte, buffers)}
	for range buffers {
		a.free <- make([]byte, 0, size)
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		for b := range a.work {
			if a.error() == nil {
				if _, err := a.w.Write(b); err != nil {
					a.mu.Lock()
					a.err = err
					a.mu.Unlock()
				}
			}
			a.free <- b[:0]
		}
	}()
	return a
}

func (a *asyncWriter) error() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

func (a *asyncWriter) Write(p []byte) (int, error) {
	if err := a.error(); err != nil {
		return 0, err
	}
	n := len(p)
	for len(p) > 0 {
		b := <-a.free
		k := min(len(p), cap(b))
		a.work <- append(b, p[:k]...)
		p = p[k:]
	}
	return n, nil
}

// Close waits for the pending writes and returns the first error.
func (a *asyncWriter) Close() error {
	close(a.work)
	a.wg.Wait()
	return a.err
}
