package aggregator

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
)

// threadNice reads the calling thread's nice value from /proc.
func threadNice(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/thread-self/stat")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	// Fields after the command name (which ends with ")"); nice is field 19.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	n, err := strconv.Atoi(f[19-3])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestYieldThread: a run that yields to readers lowers the threads its
// goroutines run on to nice 19, and no other thread.
func TestYieldThread(t *testing.T) {
	done := make(chan int)
	go func() {
		yieldThread(withLowPriority(context.Background()))
		done <- threadNice(t)
	}()
	if low := <-done; low != 19 {
		t.Errorf("a yielding run's thread has nice %d, want 19", low)
	}
	go func() {
		yieldThread(context.Background())
		done <- threadNice(t)
	}()
	if normal := <-done; normal != 0 {
		t.Errorf("an ordinary run's thread has nice %d, want 0", normal)
	}
}
