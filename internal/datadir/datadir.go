// Package datadir is the data folder: where its files are, its lock and
// its pseudonymisation key. The aggregator, the site, backups and the
// command all find the folder's parts here (docs/interface.md, "The data
// folder").
package datadir

import "path/filepath"

// LockFile is the file whose lock one aggregation (or backup) holds at a
// time.
func LockFile(data string) string { return filepath.Join(data, "aggregate.lock") }

// DefaultInbox is the folder the scheduled run ingests unless told
// otherwise.
func DefaultInbox(data string) string { return filepath.Join(data, "inbox") }

// KeyFileName is the pseudonymisation key's name, in the data folder by
// default and inside a backup archive that includes it.
const KeyFileName = "secret.key"

// DefaultKeyFile is where the key lives unless told otherwise.
func DefaultKeyFile(data string) string { return filepath.Join(data, KeyFileName) }
