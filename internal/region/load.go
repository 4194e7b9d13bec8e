package region

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/portal-data-bansos/portal/data"
)

// FileBase names the file that holds each level, without extension. Load
// reads <base>.tsv or, gzip-compressed, <base>.tsv.gz (exactly one of them
// must exist). Each is UTF-8 text: the header line "code\tname", then one
// line per region, "<dotted code>\t<display name>\n", in strictly ascending
// code order. A region's parent is implied by its code.
var FileBase = [...]string{Province: "provinces", Regency: "regencies", District: "districts", Village: "villages"}

// Header is the first line of every region file.
const Header = "code\tname"

// maxFileSize bounds a decompressed region file, so a corrupt gzip length
// cannot ask for an absurd allocation. The village file is about 2 MB.
const maxFileSize = 64 << 20

var loadDefault = sync.OnceValue(func() *Table {
	sub, err := fs.Sub(data.Reference, "reference")
	if err == nil {
		var t *Table
		if t, err = Load(sub); err == nil {
			return t
		}
	}
	panic(fmt.Sprintf("region: embedded reference data is corrupt: %v", err))
})

// Default returns the table of the reference data embedded in the binary,
// loading it on first call (about 25 ms) and sharing it afterwards.
// It panics only if the embedded data is corrupt, which the package's tests
// rule out for the data committed.
func Default() *Table { return loadDefault() }

// Load reads and checks the four region files at the root of fsys (see
// FileBase) and indexes them. It fails if a file is missing or malformed, a
// code is out of order or repeated, or a region's parent does not exist.
func Load(fsys fs.FS) (*Table, error) {
	t := &Table{}
	for _, l := range Levels {
		name, text, err := readLevel(fsys, FileBase[l])
		if err != nil {
			return nil, err
		}
		if err := t.add(l, text); err != nil {
			return nil, fmt.Errorf("region: %s: %w", name, err)
		}
	}
	return t, nil
}

// readLevel returns the name and the (decompressed) text of the file
// holding the level whose file base is base.
func readLevel(fsys fs.FS, base string) (string, string, error) {
	plain, gz := base+".tsv", base+".tsv.gz"
	b, errPlain := fs.ReadFile(fsys, plain)
	bz, errGz := fs.ReadFile(fsys, gz)
	switch {
	case errPlain == nil && errGz == nil:
		return "", "", fmt.Errorf("region: both %s and %s exist; remove the stale one", plain, gz)
	case errPlain == nil:
		return plain, string(b), nil
	case errGz == nil:
		text, err := gunzip(bz)
		if err != nil {
			return "", "", fmt.Errorf("region: %s: %w", gz, err)
		}
		return gz, text, nil
	case errors.Is(errPlain, fs.ErrNotExist) && errors.Is(errGz, fs.ErrNotExist):
		return "", "", fmt.Errorf("region: neither %s nor %s found: %w", plain, gz, fs.ErrNotExist)
	case !errors.Is(errPlain, fs.ErrNotExist):
		return "", "", fmt.Errorf("region: read %s: %w", plain, errPlain)
	default:
		return "", "", fmt.Errorf("region: read %s: %w", gz, errGz)
	}
}

// gunzip decompresses b into a string, sizing the buffer from the gzip
// trailer's length field.
func gunzip(b []byte) (string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	hint := 0
	if len(b) >= 4 {
		hint = int(binary.LittleEndian.Uint32(b[len(b)-4:]))
	}
	var buf bytes.Buffer
	buf.Grow(min(hint, maxFileSize) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(zr, maxFileSize+1)); err != nil {
		return "", err
	}
	if buf.Len() > maxFileSize {
		return "", fmt.Errorf("decompressed data exceeds %d bytes", maxFileSize)
	}
	if err := zr.Close(); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// add parses the text of level l's file into t. Levels must be added top
// down, so parents are known when their children arrive.
func (t *Table) add(l Level, text string) error {
	header, rest, ok := strings.Cut(text, "\n")
	if !ok || header != Header {
		return fmt.Errorf("line 1: header %q, want %q", clip(header), Header)
	}
	if rest != "" && !strings.HasSuffix(rest, "\n") {
		return errors.New("last line does not end in a newline")
	}
	n := strings.Count(rest, "\n")
	if n > idMask {
		return fmt.Errorf("%d regions, more than the %d an index can hold", n, idMask)
	}
	ld := &t.levels[l]
	ld.regions = make([]Region, 0, n)
	if l > Province {
		ld.parent = make([]ID, 0, n)
		ld.index = newIndex(n)
	}
	var prev uint64
	for lineNo := 2; rest != ""; lineNo++ {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		code, name, ok := strings.Cut(line, "\t")
		if !ok {
			return fmt.Errorf("line %d: no tab in %q", lineNo, clip(line))
		}
		cl, num, ok := parse(code)
		if !ok || cl != l || len(code) != dottedLen[l] {
			return fmt.Errorf("line %d: code %q is not a dotted %s code", lineNo, clip(code), l)
		}
		if num == 0 {
			return fmt.Errorf("line %d: code %s is all zeros", lineNo, code)
		}
		if len(ld.regions) > 0 && num <= prev {
			return fmt.Errorf("line %d: code %s is not after %s", lineNo, code, ld.regions[len(ld.regions)-1].Code)
		}
		prev = num
		if err := checkName(name); err != nil {
			return fmt.Errorf("line %d: code %s: %w", lineNo, code, err)
		}
		id := ID(len(ld.regions))
		r := Region{Code: code, Level: l, Name: name}
		if l == Province {
			t.province[num] = id + 1
		} else {
			pid, ok := t.find(l-1, num/parentDiv[l])
			if !ok {
				return fmt.Errorf("line %d: code %s: parent %s %s does not exist", lineNo, code, l-1, code[:dottedLen[l-1]])
			}
			r.Parent = code[:dottedLen[l-1]]
			ld.parent = append(ld.parent, pid)
			ld.index.insert(num, id)
		}
		ld.regions = append(ld.regions, r)
	}
	if l > Province {
		// Codes are sorted, so each parent's children are contiguous and in
		// parent order: count them, then sum.
		up := &t.levels[l-1]
		up.first = make([]int32, len(up.regions)+1)
		for _, p := range ld.parent {
			up.first[p+1]++
		}
		for i := 1; i < len(up.first); i++ {
			up.first[i] += up.first[i-1]
		}
	}
	return nil
}

// checkName rejects names the files cannot hold or the portal should not
// show. One pass over the bytes: it runs for every region on every Load.
func checkName(name string) error {
	if name == "" {
		return errors.New("empty name")
	}
	ascii := true
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '\t' || c == '\r' || c == '\n':
			return fmt.Errorf("name %q contains a tab or line break", name)
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	if !ascii && !utf8.ValidString(name) {
		return errors.New("name is not valid UTF-8")
	}
	first, _ := utf8.DecodeRuneInString(name)
	last, _ := utf8.DecodeLastRuneInString(name)
	if unicode.IsSpace(first) || unicode.IsSpace(last) {
		return fmt.Errorf("name %q has surrounding spaces", name)
	}
	return nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
