package aggregator

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"

	"github.com/portal-data-bansos/portal/internal/csvread"
	"github.com/portal-data-bansos/portal/internal/region"
)

// ListKind is a kind of reference list (docs/input.md §2, §4).
type ListKind string

// The reference lists.
const (
	ListASN      ListKind = "asn"       // active civil servants: nik
	ListDeceased ListKind = "meninggal" // deceased: nik, tanggal_meninggal
	ListKuota    ListKind = "kuota"     // targets: program, periode, kode_wilayah, kuota_kpm, pagu
	ListDTSEN    ListKind = "dtsen"     // DTSEN families: kode_wilayah, desil, keluarga
)

// strict reports whether the list is refused whole for one malformed row
// (§4) rather than ignoring the row (§2).
func (k ListKind) strict() bool { return k == ListKuota || k == ListDTSEN }

// listKindOf says which list a file in the inbox is, by its name:
// asn*.csv, meninggal*.csv, kuota*.csv and dtsen*.csv (also .csv.gz); ""
// for a distribution file.
func listKindOf(base string) ListKind {
	name := bytes.ToLower([]byte(base))
	switch {
	case bytes.HasPrefix(name, []byte("asn")):
		return ListASN
	case bytes.HasPrefix(name, []byte("meninggal")):
		return ListDeceased
	case bytes.HasPrefix(name, []byte("kuota")):
		return ListKuota
	case bytes.HasPrefix(name, []byte("dtsen")):
		return ListDTSEN
	}
	return ""
}

// refList is a loaded list: NIK pseudonyms (with the date of death for
// the deceased list), which hold no NIK; or the targets or DTSEN counts.
type refList struct {
	Kind    ListKind
	File    string
	SHA256  string
	Entries int // distinct NIKs in force
	Ignored int // malformed rows, ignored (spec §2)
	// Rows is the number of data rows read.
	Rows    int
	asn     map[pid]struct{}
	died    map[pid]Date
	targets Targets
	dtsen   DTSEN
}

// readList reads a list file. A list missing its required column is
// refused whole; a row whose NIK (or date) is malformed is ignored and
// counted. A NIK listed twice as deceased keeps the earliest date.
func readList(ctx context.Context, kind ListKind, name string, r io.Reader, regions *region.Table, ps *pseudonymiser) (*refList, error) {
	switch kind {
	case ListKuota:
		t, rows, err := readTargets(ctx, name, r, regions)
		if err != nil {
			return nil, err
		}
		return &refList{Kind: kind, File: name, Rows: rows, Entries: len(t), targets: t}, nil
	case ListDTSEN:
		d, rows, err := readDTSEN(ctx, name, r, regions)
		if err != nil {
			return nil, err
		}
		return &refList{Kind: kind, File: name, Rows: rows, Entries: rows, dtsen: d}, nil
	}
	cr := csvread.New(r, csvread.Options{})
	required := []string{"nik"}
	if kind == ListDeceased {
		required = append(required, "tanggal_meninggal")
	}
	h, err := readListHeader(cr, name, required, nil)
	if err != nil {
		return nil, err
	}
	nikCol, dateCol, ncols := h.col["nik"], h.col["tanggal_meninggal"], h.ncols
	l := &refList{Kind: kind, File: name}
	if kind == ListASN {
		l.asn = map[pid]struct{}{}
	} else {
		l.died = map[pid]Date{}
	}
	next := h.next
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rec, err := cr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", name, next, err)
		}
		next = rec.Line + int64(rec.Lines)
		l.Rows++
		if rec.Malformed || len(rec.Fields) != ncols {
			l.Ignored++
			continue
		}
		nik := trimField(rec.Fields[nikCol])
		if !ValidNIK(nik, regions) {
			l.Ignored++
			continue
		}
		p := ps.pid(domNIK, nik)
		if kind == ListASN {
			l.asn[p] = struct{}{}
			continue
		}
		d, ok := ParseDate(trimField(rec.Fields[dateCol]))
		if !ok {
			l.Ignored++
			continue
		}
		if old, seen := l.died[p]; !seen || d < old {
			l.died[p] = d
		}
	}
	l.Entries = len(l.asn) + len(l.died)
	return l, nil
}

// encode packs the list's pseudonyms, sorted so equal lists give equal
// bytes: 12-byte pseudonyms, followed by a 4-byte date for the deceased.
func (l *refList) encode() []byte {
	switch l.Kind {
	case ListKuota:
		return l.targets.encode()
	case ListDTSEN:
		return l.dtsen.encode()
	}
	size := 12
	if l.Kind == ListDeceased {
		size = 16
	}
	keys := make([]pid, 0, l.Entries)
	for k := range l.asn {
		keys = append(keys, k)
	}
	for k := range l.died {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return bytes.Compare(keys[i][:], keys[j][:]) < 0 })
	out := make([]byte, 0, len(keys)*size)
	for _, k := range keys {
		out = append(out, k[:]...)
		if l.Kind == ListDeceased {
			out = binary.LittleEndian.AppendUint32(out, uint32(l.died[k]))
		}
	}
	return out
}

// decodeList is encode's inverse.
func decodeList(kind ListKind, data []byte) (*refList, error) {
	l := &refList{Kind: kind}
	var err error
	switch kind {
	case ListKuota:
		l.targets, err = decodeTargets(data)
		l.Entries = len(l.targets)
		return l, err
	case ListDTSEN:
		l.dtsen, err = decodeDTSEN(data)
		l.Entries = len(l.dtsen)
		return l, err
	}
	size := 12
	if kind == ListDeceased {
		size = 16
		l.died = make(map[pid]Date, len(data)/size)
	} else {
		l.asn = make(map[pid]struct{}, len(data)/size)
	}
	if len(data)%size != 0 {
		return nil, fmt.Errorf("stored %s list is corrupt (%d bytes)", kind, len(data))
	}
	for i := 0; i < len(data); i += size {
		var k pid
		copy(k[:], data[i:i+12])
		if kind == ListDeceased {
			l.died[k] = Date(binary.LittleEndian.Uint32(data[i+12:]))
		} else {
			l.asn[k] = struct{}{}
		}
	}
	l.Entries = len(l.asn) + len(l.died)
	return l, nil
}

// listHeader is what a list's header says: the position of each column
// the reader asked for, the number of columns, and the line after it.
type listHeader struct {
	col   map[string]int
	ncols int
	next  int64
}

// readListHeader reads a list's header and finds the required and optional
// columns by name (case-insensitive, trimmed). A missing required column,
// or one named twice, refuses the list. The reader reuses its record, so
// the header is kept as this summary.
func readListHeader(cr *csvread.Reader, file string, required, optional []string) (listHeader, error) {
	hdr, err := cr.Next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return listHeader{}, fmt.Errorf("%s: empty file, no header", file)
		}
		return listHeader{}, fmt.Errorf("%s line 1: %w", file, err)
	}
	h := listHeader{col: map[string]int{}, ncols: len(hdr.Fields), next: hdr.Line + int64(hdr.Lines)}
	for i, f := range hdr.Fields {
		name := string(bytes.ToLower(trimField(f)))
		if !slices.Contains(required, name) && !slices.Contains(optional, name) {
			continue
		}
		if _, dup := h.col[name]; dup {
			return listHeader{}, fmt.Errorf("%s line %d: column %q appears twice", file, hdr.Line, name)
		}
		h.col[name] = i
	}
	for _, name := range required {
		if _, ok := h.col[name]; !ok {
			return listHeader{}, fmt.Errorf("%s line %d: missing required column %q", file, hdr.Line, name)
		}
	}
	return h, nil
}
