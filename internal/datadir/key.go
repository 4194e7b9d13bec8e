package datadir

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
)

// KeySize is the pseudonymisation key's length: 32 bytes, the size of an
// HMAC-SHA-256 block's worth of security.
const KeySize = 32

// Key is the secret pseudonymisation key. Its String and GoString never
// reveal it, so it cannot end up in a log line by accident.
type Key struct{ b []byte }

// String hides the key.
func (Key) String() string { return "[secret key]" }

// GoString hides the key.
func (Key) GoString() string { return "[secret key]" }

// Fingerprint identifies the key without revealing it: a hash of an HMAC
// of a fixed label, safe to store beside the pseudonyms.
func (k Key) Fingerprint() string {
	m := k.MAC()
	m.Write([]byte("portal-data-bansos key fingerprint v1"))
	sum := sha256.Sum256(m.Sum(nil))
	return hex.EncodeToString(sum[:8])
}

// LoadOrCreateKey reads the key file, or creates it with 32 bytes from
// crypto/rand and mode 0600 when it does not exist. A key file that is
// readable by others or of the wrong size is refused: a leaked key turns
// every pseudonym back into a NIK by brute force.
func LoadOrCreateKey(path string) (Key, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKey(path)
	}
	if err != nil {
		return Key{}, fmt.Errorf("key file %s: %w", path, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return Key{}, fmt.Errorf("key file %s: %w", path, err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return Key{}, fmt.Errorf("key file %s: mode %v lets other users read it; chmod 600 it", path, fi.Mode().Perm())
	}
	if len(b) != KeySize {
		return Key{}, fmt.Errorf("key file %s: holds %d bytes, want %d", path, len(b), KeySize)
	}
	return Key{b: b}, nil
}

func createKey(path string) (Key, error) {
	b := make([]byte, KeySize)
	if _, err := rand.Read(b); err != nil {
		return Key{}, fmt.Errorf("create key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return Key{}, fmt.Errorf("create key file %s: %w", path, err)
	}
	// O_EXCL: two processes starting at once must not both write a key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return LoadOrCreateKey(path)
	}
	if err != nil {
		return Key{}, fmt.Errorf("create key file %s: %w", path, err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(path)
		return Key{}, fmt.Errorf("write key file %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return Key{}, fmt.Errorf("sync key file %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return Key{}, fmt.Errorf("close key file %s: %w", path, err)
	}
	return Key{b: b}, nil
}

// MAC returns a fresh HMAC-SHA-256 keyed with the key: the one way the
// key is used (pseudonyms, and the fingerprint above).
func (k Key) MAC() hash.Hash { return hmac.New(sha256.New, k.b) }
