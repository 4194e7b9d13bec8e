package synth

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// SplitRecords copies the records of distribution file src into two
// files, as if delivered in two parts: data record i (from 0) goes to
// dst[1] when second(i, its periode) holds, else to dst[0]. Records are
// copied byte for byte, malformed ones included (a record whose fields
// cannot be read has periode ""); each part gets the header. Tests and
// benchmarks use it to deliver a generated year in two parts, by period
// or by share.
func SplitRecords(src string, dst [2]string, second func(i int, periode string) bool) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.LazyQuotes, r.FieldsPerRecord = true, -1
	var out [2]bytes.Buffer
	start := int64(0)
	for i := 0; ; i++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		end := r.InputOffset()
		chunk := data[start:end]
		start = end
		if i == 0 {
			out[0].Write(chunk)
			out[1].Write(chunk)
			continue
		}
		periode := ""
		if err == nil && len(rec) > 1 {
			periode = rec[1]
		}
		to := 0
		if second(i-1, periode) {
			to = 1
		}
		out[to].Write(chunk)
	}
	for i, p := range dst {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("synth: %w", err)
		}
		if err := os.WriteFile(p, out[i].Bytes(), 0o644); err != nil {
			return fmt.Errorf("synth: %w", err)
		}
	}
	return nil
}
