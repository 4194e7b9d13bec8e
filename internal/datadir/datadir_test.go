package datadir

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", KeyFileName)
	k1, err := LoadOrCreateKey(p)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(p)
	if fi.Mode().Perm() != 0o600 || fi.Size() != KeySize {
		t.Errorf("key file mode %v size %d", fi.Mode().Perm(), fi.Size())
	}
	k2, err := LoadOrCreateKey(p)
	if err != nil || k1.Fingerprint() != k2.Fingerprint() {
		t.Errorf("reloaded key differs: %v", err)
	}
	for _, s := range []string{k1.String(), k1.GoString()} {
		if strings.Contains(s, string(k1.b)) || s != "[secret key]" {
			t.Errorf("key prints as %q", s)
		}
	}
	os.Chmod(p, 0o644)
	if _, err := LoadOrCreateKey(p); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("world-readable key accepted: %v", err)
	}
	os.WriteFile(p, []byte("short"), 0o600)
	if _, err := LoadOrCreateKey(p); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("short key: %v, want an error naming the file", err)
	}
}

func TestLock(t *testing.T) {
	dir := t.TempDir()
	l, err := TryLock(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := TryLock(dir); !errors.Is(err, ErrBusy) {
		t.Errorf("second lock: %v, want ErrBusy", err)
	}
	if _, err := WaitLock(context.Background(), dir, 300*time.Millisecond); !errors.Is(err, ErrBusy) {
		t.Errorf("wait on a held lock: %v, want ErrBusy", err)
	}
	done := make(chan error, 1)
	go func() {
		l2, err := WaitLock(context.Background(), dir, 10*time.Second)
		if err == nil {
			err = l2.Unlock()
		}
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Errorf("waiting for a released lock: %v", err)
	}
	if _, err := os.Stat(LockFile(dir)); err != nil {
		t.Errorf("lock file: %v", err)
	}
}
