package datadir

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// ErrBusy means another aggregation holds the data folder's lock.
var ErrBusy = errors.New("another aggregation is running on this data folder")

// Lock is an exclusive lock on a data folder's aggregation, held by one
// process at a time (the site's scheduler or a `portal aggregate`). The
// operating system releases it when the process dies, so a killed run
// never leaves a stale lock.
type Lock struct{ f *os.File }

// TryLock takes the aggregation lock of dataDir or returns ErrBusy.
func TryLock(dataDir string) (*Lock, error) {
	f, err := os.OpenFile(LockFile(dataDir), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("aggregation lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrBusy
		}
		return nil, fmt.Errorf("aggregation lock: %w", err)
	}
	return &Lock{f: f}, nil
}

// Unlock releases the lock.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	err := l.f.Close()
	l.f = nil
	return err
}

// WaitLock takes the aggregation lock of dataDir, waiting up to wait for a
// running aggregation to finish; after that it returns ErrBusy. Backups
// hold it while they copy the stores, so a copy never falls between a
// run's writes to private.db and published.db.
func WaitLock(ctx context.Context, dataDir string, wait time.Duration) (*Lock, error) {
	deadline := time.Now().Add(wait)
	for {
		l, err := TryLock(dataDir)
		if !errors.Is(err, ErrBusy) || !time.Now().Before(deadline) {
			return l, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}
