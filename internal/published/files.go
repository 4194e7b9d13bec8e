package published

import (
	"context"
	"database/sql"
	"fmt"
)

// The input files each release names (release_file): their names, kinds
// and outcomes only — a release publishes no checksum, size or row count
// of a file (docs/disclosure.md, "Side channels").

// ReleaseFile is one input file of a release.
type ReleaseFile struct {
	Name string
	// Kind is the list the file delivered: "penyaluran", "asn",
	// "meninggal", ...
	Kind string
	// Outcome is "ingested", "refused" or "reference".
	Outcome string
}

// ReleaseFiles lists the input files of release rel by name (nil when it
// names none).
func (r *Reader) ReleaseFiles(ctx context.Context, rel int) ([]ReleaseFile, error) {
	return collect(ctx, r, fmt.Sprintf("files of release %d", rel), func(rows *sql.Rows) (ReleaseFile, error) {
		var f ReleaseFile
		err := rows.Scan(&f.Name, &f.Kind, &f.Outcome)
		return f, err
	}, `SELECT name, kind, outcome FROM release_file WHERE release = ? ORDER BY name`, rel)
}

// IngestedFiles lists, by release number, the names of the files of a
// kind ("penyaluran") that each release ingested, in name order. A
// release that ingested none has no entry.
func (r *Reader) IngestedFiles(ctx context.Context, kind string) (map[int][]string, error) {
	out := map[int][]string{}
	err := r.each(ctx, "ingested "+kind+" files", func(rows *sql.Rows) error {
		var (
			n    int
			name string
		)
		if err := rows.Scan(&n, &name); err != nil {
			return err
		}
		out[n] = append(out[n], name)
		return nil
	}, `SELECT release, name FROM release_file WHERE kind = ? AND outcome = 'ingested' ORDER BY release, name`, kind)
	if err != nil {
		return nil, err
	}
	return out, nil
}
