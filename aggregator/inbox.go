package aggregator

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Inbox folders: files dropped in the inbox are ingested by the next
// scheduled run, then moved to processed/ or failed/ inside it.
const (
	ProcessedDir = "processed"
	FailedDir    = "failed"
)

// CollectInbox lists the files waiting in the inbox, in name order:
// distribution files (*.csv, *.csv.gz) and reference lists (asn*.csv,
// meninggal*.csv). Hidden files and files still being written (*.part,
// *.tmp) are left alone, as are sub-folders.
func CollectInbox(dir string) ([]Input, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("inbox %s: %w", dir, err)
	}
	var in []Input
	for _, e := range entries {
		name := e.Name()
		lower := strings.ToLower(name)
		if !e.Type().IsRegular() || strings.HasPrefix(name, ".") {
			continue
		}
		if !strings.HasSuffix(lower, ".csv") && !strings.HasSuffix(lower, ".csv.gz") {
			continue
		}
		in = append(in, Input{Path: filepath.Join(dir, name), Kind: ClassifyFile(name)})
	}
	sort.Slice(in, func(i, j int) bool { return in[i].Path < in[j].Path })
	return in, nil
}

// ClassifyFile says which kind of input a file is by its name: a reference
// list (asn*, meninggal*) or a distribution file ("").
func ClassifyFile(name string) ListKind { return listKindOf(filepath.Base(name)) }

// FileInbox moves each input of a finished run out of the inbox: to
// processed/ when ingested, to failed/ with a NAME.reason file beside it
// when refused. Names are prefixed with the run id so nothing is
// overwritten.
func FileInbox(dir string, runID string, files []FileOutcome) error {
	for _, f := range files {
		sub := ProcessedDir
		if f.Refused {
			sub = FailedDir
		}
		dst := filepath.Join(dir, sub)
		if err := os.MkdirAll(dst, 0o750); err != nil {
			return fmt.Errorf("inbox: %w", err)
		}
		target := filepath.Join(dst, runID+"-"+filepath.Base(f.Path))
		if err := os.Rename(f.Path, target); err != nil {
			return fmt.Errorf("inbox: move %s: %w", filepath.Base(f.Path), err)
		}
		if f.Refused {
			reason := f.Reason + "\n"
			if err := os.WriteFile(target+".reason", []byte(reason), 0o640); err != nil {
				return fmt.Errorf("inbox: %w", err)
			}
		}
	}
	return nil
}
