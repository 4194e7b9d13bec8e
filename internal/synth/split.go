package synth

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/portal-data-bansos/portal/internal/csvread"
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

// SplitMonthly copies the records of distribution file src into one file
// per delivery month, dir/<prefix>-YYYY-MM.csv, as the ministry's monthly
// exports would arrive (see SplitMonthlyStream). It returns the files
// written, in month order.
func SplitMonthly(src, dir, prefix string) ([]string, error) {
	f, err := os.Open(src)
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	defer f.Close()
	return SplitMonthlyStream(f, src, dir, prefix, nil)
}

// SplitMonthlyStream reads a distribution file from r (named name in
// errors) and writes one file per delivery month, dir/<prefix>-YYYY-MM.csv:
// a row with a monthly period goes to its month; a tahap row (YYYY-Qn) to
// the month of its tanggal_salur when that lies in the quarter, else to the
// quarter's last month; a record whose period cannot be read goes with the
// record before it. Records are streamed (a national year does not fit in
// memory, nor its whole file on disk beside its months) and copied byte for
// byte, each ended by "\n"; every file gets the header. When keep is not
// nil, only the months it keeps ("YYYY-MM", or "unknown") are written and
// the others' records are read and dropped. Each file is written as
// NAME.tmp and renamed when the stream has ended cleanly, so a cut-short
// split leaves no month that looks complete. It returns the files written,
// in month order.
func SplitMonthlyStream(r io.Reader, name, dir, prefix string, keep func(month string) bool) ([]string, error) {
	cr := csvread.New(bufio.NewReaderSize(r, 1<<20), csvread.Options{})
	hdr, err := cr.Next()
	if err != nil {
		return nil, fmt.Errorf("synth: %s: header: %w", name, err)
	}
	head := append(bytes.Clone(hdr.Raw), '\n')
	colPeriod, colDate := -1, -1
	for i, h := range hdr.Fields {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(string(h), "\ufeff"))) {
		case "periode":
			colPeriod = i
		case "tanggal_salur":
			colDate = i
		}
	}
	if colPeriod < 0 {
		return nil, fmt.Errorf("synth: %s: no periode column", name)
	}
	type part struct {
		f    *os.File
		w    *bufio.Writer
		path string
	}
	parts := map[string]*part{}
	dropped := map[string]bool{}
	fail := func(err error) ([]string, error) {
		for _, p := range parts {
			p.f.Close()
			os.Remove(p.f.Name())
		}
		return nil, err
	}
	month := ""
	for {
		rec, err := cr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(fmt.Errorf("synth: %s: %w", name, err))
		}
		if m := deliveryMonth(rec.Fields, colPeriod, colDate); m != "" {
			month = m
		}
		if month == "" {
			month = "unknown"
		}
		p := parts[month]
		if p == nil {
			if dropped[month] {
				continue
			}
			if keep != nil && !keep(month) {
				dropped[month] = true
				continue
			}
			path := filepath.Join(dir, prefix+"-"+month+".csv")
			out, err := os.Create(path + ".tmp")
			if err != nil {
				return fail(fmt.Errorf("synth: %w", err))
			}
			p = &part{out, bufio.NewWriterSize(out, 1<<20), path}
			p.w.Write(head)
			parts[month] = p
		}
		p.w.Write(rec.Raw)
		p.w.WriteByte('\n')
	}
	for _, p := range parts {
		err := p.w.Flush()
		if cerr := p.f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fail(fmt.Errorf("synth: %w", err))
		}
	}
	var names []string
	for _, p := range parts {
		if err := os.Rename(p.f.Name(), p.path); err != nil {
			return fail(fmt.Errorf("synth: %w", err))
		}
		names = append(names, p.path)
	}
	sort.Strings(names)
	return names, nil
}

// deliveryMonth returns "YYYY-MM" for a record, or "" when its period
// cannot be read.
func deliveryMonth(fields [][]byte, colPeriod, colDate int) string {
	if colPeriod >= len(fields) {
		return ""
	}
	p := strings.ToUpper(strings.TrimSpace(string(fields[colPeriod])))
	if len(p) != 7 || p[4] != '-' {
		return ""
	}
	year := p[:4]
	if y, err := strconv.Atoi(year); err != nil || y < 2000 {
		return "" // an injected bad period such as 0000-01
	}
	if p[5] == 'Q' && p[6] >= '1' && p[6] <= '4' {
		q := int(p[6] - '0')
		if colDate < len(fields) {
			d := strings.TrimSpace(string(fields[colDate]))
			if len(d) == 10 && d[:4] == year {
				if m, err := strconv.Atoi(d[5:7]); err == nil && (m-1)/3+1 == q {
					return d[:7]
				}
			}
		}
		return fmt.Sprintf("%s-%02d", year, 3*q)
	}
	if m, err := strconv.Atoi(p[5:]); err == nil && m >= 1 && m <= 12 {
		return p
	}
	return ""
}
