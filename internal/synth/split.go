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

// SplitByPeriod copies the records of distribution file src into two
// files, as if delivered in two parts: a record goes to dst[1] when
// second(periode) holds, else to dst[0]. Records are copied byte for byte,
// malformed ones included (a record whose fields cannot be read goes to
// dst[0]); each part gets the header. Tests and benchmarks use it to
// deliver a generated year month by month or quarter by quarter.
func SplitByPeriod(src string, dst [2]string, second func(periode string) bool) error {
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
		to := 0
		if err == nil && len(rec) > 1 && second(rec[1]) {
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
