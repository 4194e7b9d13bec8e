package aggregator

import (
	"context"
	"runtime"
)

// A run inside the serving process yields the cores to readers (issue on
// the national year, "Serving while aggregating"): each of its goroutines
// locks itself to an OS thread and lowers that thread's priority
// (lowerThread), so the kernel runs the request handlers first and gives
// the run what is left. A locked goroutine that ends takes its thread
// with it, so a lowered thread never serves a request.

type lowPriorityKey struct{}

// withLowPriority marks ctx's run as one that yields to readers.
func withLowPriority(ctx context.Context) context.Context {
	return context.WithValue(ctx, lowPriorityKey{}, true)
}

// yieldThread lowers the calling goroutine's thread when ctx's run yields
// to readers. The goroutine must end without unlocking.
func yieldThread(ctx context.Context) {
	if low, _ := ctx.Value(lowPriorityKey{}).(bool); low {
		runtime.LockOSThread()
		lowerThread()
	}
}
