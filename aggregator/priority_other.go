//go:build !linux

package aggregator

// lowerThread does nothing where threads have no priority of their own.
func lowerThread() {}
