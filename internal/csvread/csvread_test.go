package csvread

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// rec is a snapshot of a Record (Next reuses the Record and its slices).
type rec struct {
	Line      int64    `json:"line"`
	Lines     int      `json:"lines"`
	Fields    []string `json:"fields"`
	Raw       string   `json:"raw"`
	Malformed bool     `json:"malformed,omitempty"`
	Offset    int64    `json:"offset"` // Reader.Offset after Next returned the record
}

func snapshot(r *Reader, x *Record) rec {
	s := rec{Line: x.Line, Lines: x.Lines, Raw: string(x.Raw), Malformed: x.Malformed, Offset: r.Offset()}
	for _, f := range x.Fields {
		s.Fields = append(s.Fields, string(f))
	}
	return s
}

// readAll reads every record and returns the snapshots and the final error
// (nil for io.EOF). It gives up after 1<<20 records, so a bug cannot loop.
func readAll(r *Reader) ([]rec, error) {
	var out []rec
	for range 1 << 20 {
		x, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, snapshot(r, x))
	}
	return out, errors.New("test: too many records")
}

// readers returns the same input through differently chunked readers and
// buffer sizes; every one must give the same records.
func readers(input string, opt Options) map[string]*Reader {
	return map[string]*Reader{
		"default":         New(strings.NewReader(input), opt),
		"buf4/onebyte":    newReader(iotest.OneByteReader(strings.NewReader(input)), opt, 4),
		"buf7/half":       newReader(iotest.HalfReader(strings.NewReader(input)), opt, 7),
		"buf16/dataerr":   newReader(iotest.DataErrReader(strings.NewReader(input)), opt, 16),
		"default/onebyte": New(iotest.OneByteReader(strings.NewReader(input)), opt),
	}
}

// checkLayout checks recs against the input byte by byte: each Raw sits in
// the input where the previous record (and any blank lines) ended, is
// followed by a line end or the end of input, Line counts every physical
// line, Lines counts the line ends inside Raw, and Offset is exact.
func checkLayout(t *testing.T, input []byte, recs []rec, complete bool) {
	t.Helper()
	pos := 0
	if bytes.HasPrefix(input, bom) {
		pos = len(bom)
	}
	line := int64(1)
	skipBlank := func() {
		for {
			switch rest := input[pos:]; {
			case bytes.HasPrefix(rest, []byte("\n")):
				pos++
			case bytes.HasPrefix(rest, []byte("\r\n")):
				pos += 2
			case string(rest) == "\r":
				pos++
			default:
				return
			}
			line++
		}
	}
	for k, r := range recs {
		skipBlank()
		if r.Line != line {
			t.Fatalf("record %d: Line = %d, want %d", k, r.Line, line)
		}
		if !bytes.HasPrefix(input[pos:], []byte(r.Raw)) {
			t.Fatalf("record %d: Raw %q is not the input at offset %d (%q)", k, r.Raw, pos, clip(input[pos:]))
		}
		if r.Raw == "" && len(r.Fields) == 1 && r.Fields[0] == "" {
			t.Fatalf("record %d: a blank line was returned as a record", k)
		}
		pos += len(r.Raw)
		switch rest := input[pos:]; {
		case len(rest) == 0:
		case rest[0] == '\n':
			pos++
		case bytes.HasPrefix(rest, []byte("\r\n")):
			pos += 2
		case string(rest) == "\r":
			pos++
		default:
			t.Fatalf("record %d: Raw %q is followed by %q, not a line end", k, r.Raw, clip(rest))
		}
		if want := 1 + strings.Count(r.Raw, "\n"); r.Lines != want {
			t.Fatalf("record %d: Lines = %d, want %d", k, r.Lines, want)
		}
		if r.Offset != int64(pos) {
			t.Fatalf("record %d: Offset = %d, want %d", k, r.Offset, pos)
		}
		line += int64(r.Lines)
		if len(r.Fields) == 0 {
			t.Fatalf("record %d: no fields", k)
		}
	}
	if complete {
		skipBlank()
		if pos != len(input) {
			t.Fatalf("input left over after the last record at offset %d: %q", pos, clip(input[pos:]))
		}
	}
}

func clip(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// r1 builds an expected record; Offset is checked by checkLayout instead.
func r1(line int64, lines int, raw string, fields ...string) rec {
	return rec{Line: line, Lines: lines, Raw: raw, Fields: fields}
}

func bad(r rec) rec { r.Malformed = true; return r }

var readerCases = []struct {
	name  string
	input string
	want  []rec
}{
	{"empty input", "", nil},
	{"simple", "a,b,c\n1,2,3\n", []rec{r1(1, 1, "a,b,c", "a", "b", "c"), r1(2, 1, "1,2,3", "1", "2", "3")}},
	{"no final newline", "a,b\n1,2", []rec{r1(1, 1, "a,b", "a", "b"), r1(2, 1, "1,2", "1", "2")}},
	{"crlf", "a,b\r\n1,2\r\n", []rec{r1(1, 1, "a,b", "a", "b"), r1(2, 1, "1,2", "1", "2")}},
	{"mixed line ends", "a,b\r\n1,2\n3,4\r\n5,6", []rec{r1(1, 1, "a,b", "a", "b"), r1(2, 1, "1,2", "1", "2"), r1(3, 1, "3,4", "3", "4"), r1(4, 1, "5,6", "5", "6")}},
	{"bom", "\xEF\xBB\xBFa,b\n1,2\n", []rec{r1(1, 1, "a,b", "a", "b"), r1(2, 1, "1,2", "1", "2")}},
	{"bom only one stripped", "\xEF\xBB\xBF\xEF\xBB\xBFa\n", []rec{r1(1, 1, "\xEF\xBB\xBFa", "\xEF\xBB\xBFa")}},
	{"bom not at start kept", "a\n\xEF\xBB\xBFb\n", []rec{r1(1, 1, "a", "a"), r1(2, 1, "\xEF\xBB\xBFb", "\xEF\xBB\xBFb")}},
	{"bom then blank line", "\xEF\xBB\xBF\r\na\n", []rec{r1(2, 1, "a", "a")}},
	{"bom alone", "\xEF\xBB\xBF", nil},
	{"partial bom is data", "\xEF\xBBa\n", []rec{r1(1, 1, "\xEF\xBBa", "\xEF\xBBa")}},
	{"blank lines skipped, lines counted", "\n\na,b\n\r\n\nc\n\n", []rec{r1(3, 1, "a,b", "a", "b"), r1(6, 1, "c", "c")}},
	{"only blank lines", "\n\r\n\n\r\n", nil},
	{"final bare cr is a line end", "a,b\r", []rec{r1(1, 1, "a,b", "a", "b")}},
	{"final cr line is blank", "a\n\r", []rec{r1(1, 1, "a", "a")}},
	{"bare cr mid-line is data", "a\rb,c\n", []rec{r1(1, 1, "a\rb,c", "a\rb", "c")}},
	{"cr before crlf is data", "a\r\r\nb\n", []rec{r1(1, 1, "a\r", "a\r"), r1(2, 1, "b", "b")}},
	{"cr cr lf line is a record", "\r\r\nb\n", []rec{r1(1, 1, "\r", "\r"), r1(2, 1, "b", "b")}},
	{"spaces-only line is a record", "a\n   \nb\n", []rec{r1(1, 1, "a", "a"), r1(2, 1, "   ", "   "), r1(3, 1, "b", "b")}},
	{"tab-only line is a record", "\t\n", []rec{r1(1, 1, "\t", "\t")}},
	{"empty fields", ",,\n,\r\n", []rec{r1(1, 1, ",,", "", "", ""), r1(2, 1, ",", "", "")}},
	{"trailing comma", "a,b,\nc,\r\n", []rec{r1(1, 1, "a,b,", "a", "b", ""), r1(2, 1, "c,", "c", "")}},
	{"trailing comma at eof", "a,", []rec{r1(1, 1, "a,", "a", "")}},
	{"not trimmed", " a , b\t\n", []rec{r1(1, 1, " a , b\t", " a ", " b\t")}},
	{"quoted", `"a","b c",d` + "\n", []rec{r1(1, 1, `"a","b c",d`, "a", "b c", "d")}},
	{"quoted comma", `"a,b",c`, []rec{r1(1, 1, `"a,b",c`, "a,b", "c")}},
	{"escaped quotes", `"he said ""hi""",x` + "\n", []rec{r1(1, 1, `"he said ""hi""",x`, `he said "hi"`, "x")}},
	{"only an escaped quote", `""""` + "\n", []rec{r1(1, 1, `""""`, `"`)}},
	{"several escaped fields", `"a""b","c""d",e` + "\n", []rec{r1(1, 1, `"a""b","c""d",e`, `a"b`, `c"d`, "e")}},
	{"empty quoted", `"",""` + "\n" + `""` + "\n", []rec{r1(1, 1, `"",""`, "", ""), r1(2, 1, `""`, "")}},
	{"quoted crlf", "\"a\",\"b\"\r\n", []rec{r1(1, 1, `"a","b"`, "a", "b")}},
	{"quoted at eof", `a,"b"`, []rec{r1(1, 1, `a,"b"`, "a", "b")}},
	{"quoted then final cr", "\"b\"\r", []rec{r1(1, 1, `"b"`, "b")}},
	{"multi-line quoted", "\"a\nb\",c\nd\n", []rec{r1(1, 2, "\"a\nb\",c", "a\nb", "c"), r1(3, 1, "d", "d")}},
	{"multi-line quoted crlf kept", "\"a\r\nb\"\r\nx\r\n", []rec{r1(1, 2, "\"a\r\nb\"", "a\r\nb"), r1(3, 1, "x", "x")}},
	{"blank line inside quotes", "\"a\n\nb\"\nc\n", []rec{r1(1, 3, "\"a\n\nb\"", "a\n\nb"), r1(4, 1, "c", "c")}},
	{"quoted newline and escapes", "x,\"1\n\"\"2\"\"\n3\",y\n", []rec{r1(1, 3, "x,\"1\n\"\"2\"\"\n3\",y", "x", "1\n\"2\"\n3", "y")}},
	{"literal quote in unquoted", `ab"c,d"` + "\n", []rec{r1(1, 1, `ab"c,d"`, `ab"c`, `d"`)}},
	{"leading space keeps quotes", ` "x",y` + "\n", []rec{r1(1, 1, ` "x",y`, ` "x"`, "y")}},
	{"lone quote mid field", `a"` + "\n" + `b""c` + "\n", []rec{r1(1, 1, `a"`, `a"`), r1(2, 1, `b""c`, `b""c`)}},
	{"utf-8", "Siti Aminah,Jl. Peñas №5\n", []rec{r1(1, 1, "Siti Aminah,Jl. Peñas №5", "Siti Aminah", "Jl. Peñas №5")}},
	{"invalid utf-8 and nul pass through", "\xff\x00,b\n", []rec{r1(1, 1, "\xff\x00,b", "\xff\x00", "b")}},

	{"malformed: junk after closing quote", `"abc"def,g` + "\nh\n", []rec{bad(r1(1, 1, `"abc"def,g`, `abc"def`, "g")), r1(2, 1, "h", "h")}},
	{"malformed: junk after escaped", `"a""b"c,d` + "\n", []rec{bad(r1(1, 1, `"a""b"c,d`, `a"b"c`, "d"))}},
	{"malformed: space after closing quote", `"abc" ,x` + "\r\n", []rec{bad(r1(1, 1, `"abc" ,x`, `abc" `, "x"))}},
	{"malformed: bare cr after closing quote", "\"a\"\rb\n", []rec{bad(r1(1, 1, "\"a\"\rb", "a\"\rb"))}},
	{"malformed: cr cr lf after closing quote", "\"a\"\r\r\nb\n", []rec{bad(r1(1, 1, "\"a\"\r", "a\"\r")), r1(2, 1, "b", "b")}},
	{"malformed: junk at eof", `"a"b`, []rec{bad(r1(1, 1, `"a"b`, `a"b`))}},
	{"malformed: multi-line then junk", "\"a\nb\"c,d\ne\n", []rec{bad(r1(1, 2, "\"a\nb\"c,d", "a\nb\"c", "d")), r1(3, 1, "e", "e")}},
	{"malformed: junk then quotes are literal", `"a"b"c"` + "\n", []rec{bad(r1(1, 1, `"a"b"c"`, `a"b"c"`))}},
	{"malformed: unterminated quote", "a,\"bc\nd,e\n", []rec{bad(r1(1, 2, "a,\"bc\nd,e", "a", "bc\nd,e"))}},
	{"malformed: unterminated with escapes", `"a""b`, []rec{bad(r1(1, 1, `"a""b`, `a"b`))}},
	{"malformed: unterminated crlf", "\"ab\r\n", []rec{bad(r1(1, 1, `"ab`, "ab"))}},
	{"malformed: lone quote at eof", `a,"`, []rec{bad(r1(1, 1, `a,"`, "a", ""))}},
	{"malformed: lone quote line", "\"\n", []rec{bad(r1(1, 1, `"`, ""))}},
}

func TestReader(t *testing.T) {
	for _, tc := range readerCases {
		t.Run(tc.name, func(t *testing.T) {
			for name, r := range readers(tc.input, Options{}) {
				got, err := readAll(r)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				checkLayout(t, []byte(tc.input), got, true)
				for i := range got {
					got[i].Offset = 0
				}
				if !reflect.DeepEqual(got, tc.want) {
					t.Fatalf("%s:\n got %#v\nwant %#v", name, got, tc.want)
				}
				if r.Offset() != int64(len(tc.input)) {
					t.Errorf("%s: Offset at EOF = %d, want %d", name, r.Offset(), len(tc.input))
				}
				if _, err := r.Next(); err != io.EOF {
					t.Errorf("%s: Next after EOF = %v, want io.EOF", name, err)
				}
			}
		})
	}
}

// TestFieldsDoNotAlias checks that appending to a field cannot overwrite the
// next field or the raw bytes.
func TestFieldsDoNotAlias(t *testing.T) {
	r := New(strings.NewReader(`a,"b""c",d`+"\n"), Options{})
	x, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	for i := range x.Fields {
		_ = append(x.Fields[i], "XYZ"...)
	}
	if got := fmt.Sprintf("%q %q", x.Fields, x.Raw); got != `["a" "b\"c" "d"] "a,\"b\"\"c\",d"` {
		t.Fatalf("after appending to fields: %s", got)
	}
}

func TestRecordTooLarge(t *testing.T) {
	long := strings.Repeat("x", 2<<20)
	tests := []struct {
		name    string
		input   string
		opt     Options
		want    int   // records before the error
		line    int64 // in the error message
		wantErr bool
	}{
		{"2 MiB single line, default cap", long + "\n", Options{}, 0, 1, true},
		{"2 MiB single line without newline", long, Options{}, 0, 1, true},
		{"2 MiB after good records", "a\n\nb\n" + long + "\nc\n", Options{}, 2, 4, true},
		{"unterminated quote swallowing the file", "a\n\"" + strings.Repeat("b,c\n", 1<<19), Options{}, 1, 2, true},
		{"exactly the cap", strings.Repeat("x", 1<<20) + "\r\n", Options{}, 1, 0, false},
		{"exactly the cap at eof", strings.Repeat("x", 1<<20), Options{}, 1, 0, false},
		{"one over the cap", strings.Repeat("x", 1<<20+1) + "\r\n", Options{}, 0, 1, true},
		{"small cap", "abc\nabcde\r\nabcdef\nx\n", Options{MaxRecordBytes: 5}, 2, 3, true},
		{"small cap, multi-line record", "\"a\nb\"\n\"ab\ncd\"\n", Options{MaxRecordBytes: 5}, 1, 3, true},
		{"small cap, unterminated quote at eof fits", "\"abc\r\n", Options{MaxRecordBytes: 4}, 1, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for name, r := range map[string]*Reader{
				"default": New(strings.NewReader(tc.input), tc.opt),
				"buf4":    newReader(iotest.HalfReader(strings.NewReader(tc.input)), tc.opt, 4),
			} {
				got, err := readAll(r)
				if len(got) != tc.want {
					t.Errorf("%s: %d records before the error, want %d", name, len(got), tc.want)
				}
				if !tc.wantErr {
					if err != nil {
						t.Errorf("%s: %v", name, err)
					}
					continue
				}
				if !errors.Is(err, ErrRecordTooLarge) {
					t.Fatalf("%s: err = %v, want ErrRecordTooLarge", name, err)
				}
				if want := fmt.Sprintf("line %d ", tc.line); !strings.Contains(err.Error(), want) {
					t.Errorf("%s: error %q does not name %q", name, err, want)
				}
				if _, err2 := r.Next(); err2 != err {
					t.Errorf("%s: error not sticky: %v", name, err2)
				}
				if cap(r.buf) > r.max+eolSlack && cap(r.buf) > defaultBufSize {
					t.Errorf("%s: buffer grew to %d", name, cap(r.buf))
				}
			}
		})
	}
}

// endless is an io.Reader that never ends: a prefix, then b forever.
type endless struct {
	prefix string
	b      byte
	n      int64 // bytes read so far
}

func (e *endless) Read(p []byte) (int, error) {
	n := copy(p, e.prefix)
	e.prefix = e.prefix[n:]
	for i := n; i < len(p); i++ {
		p[i] = e.b
	}
	e.n += int64(len(p))
	return len(p), nil
}

// TestEndlessInputBounded checks that a line that never ends (or a quote
// that is never closed) is refused quickly, reading no more than the cap.
func TestEndlessInputBounded(t *testing.T) {
	for _, prefix := range []string{"", "a,b\n\"", "a,\"x\"\"y"} {
		src := &endless{prefix: prefix, b: 'a'}
		start := time.Now()
		r := New(src, Options{})
		_, err := readAll(r)
		if !errors.Is(err, ErrRecordTooLarge) {
			t.Fatalf("prefix %q: err = %v, want ErrRecordTooLarge", prefix, err)
		}
		if max := int64(DefaultMaxRecordBytes + eolSlack + len(prefix)); src.n > max {
			t.Errorf("prefix %q: read %d bytes, want at most %d", prefix, src.n, max)
		}
		if cap(r.buf) > DefaultMaxRecordBytes+eolSlack {
			t.Errorf("prefix %q: buffer grew to %d bytes", prefix, cap(r.buf))
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("prefix %q: took %v", prefix, d)
		}
	}
}

// errAfter yields data then fails with err.
type errAfter struct {
	data string
	err  error
}

func (e *errAfter) Read(p []byte) (int, error) {
	if e.data == "" {
		return 0, e.err
	}
	n := copy(p, e.data)
	e.data = e.data[n:]
	return n, nil
}

func TestReadErrors(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name string
		src  io.Reader
		want int // records returned before the error
		err  error
	}{
		{"error after complete records", &errAfter{"a,b\nc,d\n", boom}, 2, boom},
		{"error mid-record", &errAfter{"a,b\nc,", boom}, 1, boom},
		{"error where eof would end a record", &errAfter{"a\nb", boom}, 1, boom},
		{"error inside quotes", &errAfter{"a\n\"b\nc", boom}, 1, boom},
		{"error after closing quote", &errAfter{"\"a\"", boom}, 0, boom},
		{"no progress", iotest.ErrReader(nil), 0, io.ErrNoProgress},
		{"unexpected eof", &errAfter{"a\nb", io.ErrUnexpectedEOF}, 1, io.ErrUnexpectedEOF},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := New(tc.src, Options{})
			got, err := readAll(r)
			if len(got) != tc.want {
				t.Errorf("%d records before the error, want %d", len(got), tc.want)
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if !strings.HasPrefix(err.Error(), "csvread: read at line ") {
				t.Errorf("error %q lacks context", err)
			}
			if _, err2 := r.Next(); err2 != err {
				t.Errorf("error not sticky: %v", err2)
			}
		})
	}
}

// TestZeroAllocs checks the steady state: Next allocates nothing per record.
func TestZeroAllocs(t *testing.T) {
	data := genFile(1000, 15, 150, 7)
	src := bytes.NewReader(data)
	r := New(src, Options{})
	next := func() {
		if _, err := r.Next(); err == io.EOF {
			src.Reset(data)
			*r = Reader{rd: src, buf: r.buf, line: 1, max: r.max, limit: r.limit, rec: r.rec, scratch: r.scratch}
		} else if err != nil {
			t.Fatal(err)
		}
	}
	for range 3000 { // warm up: fields and scratch reach their size
		next()
	}
	if n := testing.AllocsPerRun(20000, next); n != 0 {
		t.Errorf("Next allocates %v times per record, want 0", n)
	}
}

// genField returns a random field value drawn to hit the interesting bytes.
func genField(rng *rand.Rand) string {
	const alphabet = "ab \t,\"\n\r;é€x"
	var sb strings.Builder
	for range rng.IntN(8) {
		switch rng.IntN(10) {
		case 0:
			sb.WriteString("\r\n")
		default:
			i := rng.IntN(len(alphabet))
			if alphabet[i] >= 0x80 { // a whole multi-byte rune
				sb.WriteString([]string{"é", "€"}[rng.IntN(2)])
			} else {
				sb.WriteByte(alphabet[i])
			}
		}
	}
	return sb.String()
}

// genCSV returns a well-formed random CSV document and its records.
func genCSV(rng *rand.Rand) (string, [][]string) {
	var sb strings.Builder
	var recs [][]string
	if rng.IntN(4) == 0 {
		sb.Write(bom)
	}
	n := rng.IntN(12)
	for k := range n {
		for rng.IntN(5) == 0 {
			sb.WriteString([]string{"\n", "\r\n"}[rng.IntN(2)]) // a blank line
		}
		nf := 1 + rng.IntN(5)
		rec := make([]string, nf)
		for i := range rec {
			f := genField(rng)
			rec[i] = f
			if i > 0 {
				sb.WriteByte(',')
			}
			needs := strings.ContainsAny(f, "\",\r\n") || (nf == 1 && f == "")
			if needs || rng.IntN(5) == 0 {
				sb.WriteString(`"` + strings.ReplaceAll(f, `"`, `""`) + `"`)
			} else {
				sb.WriteString(f)
			}
		}
		recs = append(recs, rec)
		if k < n-1 || rng.IntN(3) > 0 {
			sb.WriteString([]string{"\n", "\r\n"}[rng.IntN(2)])
		}
	}
	return sb.String(), recs
}

// TestAgainstEncodingCSV compares the reader with the generator's truth and
// with encoding/csv on well-formed documents. encoding/csv turns "\r\n"
// inside quoted fields into "\n" and does not strip a BOM; the reader keeps
// "\r\n" (the value as in the file) and strips the BOM. Otherwise they
// agree on fields, line numbers and offsets.
func TestAgainstEncodingCSV(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 3000 {
		doc, want := genCSV(rng)
		got, err := readAll(newReader(iotest.HalfReader(strings.NewReader(doc)), Options{}, 8))
		if err != nil {
			t.Fatalf("doc %d %q: %v", iter, doc, err)
		}
		checkLayout(t, []byte(doc), got, true)
		var fields [][]string
		for _, g := range got {
			if g.Malformed {
				t.Fatalf("doc %d %q: record at line %d malformed", iter, doc, g.Line)
			}
			fields = append(fields, g.Fields)
		}
		if !reflect.DeepEqual(fields, want) && !(len(fields) == 0 && len(want) == 0) {
			t.Fatalf("doc %d %q:\n got %q\nwant %q", iter, doc, fields, want)
		}
		compareEncodingCSV(t, []byte(doc), got, true)
	}
}

// compareEncodingCSV reads input with a strict encoding/csv reader and, if
// it accepts the whole input, checks that the reader's records agree with
// it. mustAccept fails the test when encoding/csv refuses the input.
func compareEncodingCSV(t *testing.T, input []byte, got []rec, mustAccept bool) {
	t.Helper()
	skip := 0
	if bytes.HasPrefix(input, bom) {
		skip = len(bom)
	}
	cr := csv.NewReader(bytes.NewReader(input[skip:]))
	cr.FieldsPerRecord = -1
	type crec struct {
		fields []string
		line   int
		offset int64
	}
	var want []crec
	for {
		f, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if mustAccept {
				t.Fatalf("encoding/csv refuses %q: %v", input, err)
			}
			return
		}
		line, _ := cr.FieldPos(0)
		want = append(want, crec{f, line, cr.InputOffset() + int64(skip)})
	}
	if len(got) != len(want) {
		t.Fatalf("%q: %d records, encoding/csv has %d", input, len(got), len(want))
	}
	for i, g := range got {
		w := want[i]
		if g.Malformed {
			t.Fatalf("%q: record %d malformed, encoding/csv accepts it", input, i)
		}
		norm := make([]string, len(g.Fields))
		for j, f := range g.Fields {
			norm[j] = strings.ReplaceAll(f, "\r\n", "\n")
		}
		if !reflect.DeepEqual(norm, w.fields) {
			t.Fatalf("%q: record %d: got %q, encoding/csv %q", input, i, norm, w.fields)
		}
		if g.Line != int64(w.line) {
			t.Fatalf("%q: record %d: Line %d, encoding/csv %d", input, i, g.Line, w.line)
		}
		if g.Offset != w.offset {
			t.Fatalf("%q: record %d: Offset %d, encoding/csv %d", input, i, g.Offset, w.offset)
		}
	}
}

// TestGolden reads the fixtures in testdata/*.csv and compares the records
// with testdata/*.golden (JSON); go test -run TestGolden -update rewrites
// the golden files.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no fixtures in testdata/")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			input, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := readAll(New(f, Options{}))
			if err != nil {
				t.Fatal(err)
			}
			checkLayout(t, input, got, true)
			var buf bytes.Buffer
			for _, g := range got {
				b, err := json.Marshal(g)
				if err != nil {
					t.Fatal(err)
				}
				buf.Write(b)
				buf.WriteByte('\n')
			}
			golden := strings.TrimSuffix(file, ".csv") + ".golden"
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("records differ from %s (run with -update after checking):\n%s", golden, buf.String())
			}
		})
	}
}

// FuzzReader checks, for any input: no panic; every record's Raw sits
// exactly where it should in the input, with Line, Lines and Offset exact;
// the same records whatever the buffer size and read chunking; a small
// MaxRecordBytes gives the same records up to the first longer one, then
// ErrRecordTooLarge; and, where a strict encoding/csv reader accepts the
// whole input, the same fields (modulo its "\r\n" to "\n" rewriting inside
// quotes), line numbers and offsets, with no record Malformed.
func FuzzReader(f *testing.F) {
	for _, tc := range readerCases {
		f.Add([]byte(tc.input), uint8(0))
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.csv"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b, uint8(3))
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 20 {
		doc, _ := genCSV(rng)
		f.Add([]byte(doc), uint8(i))
	}
	f.Fuzz(func(t *testing.T, input []byte, small uint8) {
		got, err := readAll(New(bytes.NewReader(input), Options{}))
		if errors.Is(err, ErrRecordTooLarge) {
			if len(input) <= DefaultMaxRecordBytes {
				t.Fatalf("ErrRecordTooLarge on a %d-byte input", len(input))
			}
			checkLayout(t, input, got, false)
			return
		}
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		checkLayout(t, input, got, true)

		chunked, err := readAll(newReader(iotest.OneByteReader(bytes.NewReader(input)), Options{}, 5))
		if err != nil {
			t.Fatalf("one-byte reads: %v", err)
		}
		if !reflect.DeepEqual(chunked, got) {
			t.Fatalf("one-byte reads with a small buffer differ:\n got %#v\nwant %#v", chunked, got)
		}

		maxRec := 1 + int(small)%16
		capped, err := readAll(newReader(iotest.HalfReader(bytes.NewReader(input)), Options{MaxRecordBytes: maxRec}, 4))
		n := 0
		for n < len(got) && len(got[n].Raw) <= maxRec {
			n++
		}
		if !(len(capped) == 0 && n == 0) && !reflect.DeepEqual(capped, got[:n]) {
			t.Fatalf("MaxRecordBytes %d: records differ:\n got %#v\nwant %#v", maxRec, capped, got[:n])
		}
		if wantErr := n < len(got); wantErr != errors.Is(err, ErrRecordTooLarge) || (!wantErr && err != nil) {
			t.Fatalf("MaxRecordBytes %d: err = %v after %d records, %d of %d fit", maxRec, err, len(capped), n, len(got))
		}

		compareEncodingCSV(t, input, got, false)
	})
}

// genFile returns rows of a distribution file: nf fields, each row rowLen
// bytes with its "\n"; quoteEvery > 0 quotes the name (with a comma in it)
// on every quoteEvery-th row.
func genFile(rows, nf, rowLen, quoteEvery int) []byte {
	rng := rand.New(rand.NewPCG(42, 42))
	programs := []string{"PKH", "SEMBAKO", "BLT", "PBI_JK", "ATENSI", "PENA"}
	var buf bytes.Buffer
	for i := range rows {
		f := []string{
			fmt.Sprintf("TRX%013d", i),
			fmt.Sprintf("32%02d%02d%06d%04d", rng.IntN(30), rng.IntN(30), rng.IntN(1000000), 1+rng.IntN(9999)),
			fmt.Sprintf("32%02d%012d", rng.IntN(30), rng.Int64N(1e12)),
			"", // name, padded below
			fmt.Sprintf("32.%02d.%02d.%04d", rng.IntN(30), rng.IntN(30), rng.IntN(3000)),
			programs[rng.IntN(len(programs))],
			"ANAK_USIA_DINI",
			"2025-Q1",
			fmt.Sprint(rng.IntN(3000000)),
			"2025-02-14",
			"SALUR",
			"BRI",
			fmt.Sprint(1 + rng.IntN(10)),
			"P",
			"1985-06-05",
		}[:nf]
		quote := quoteEvery > 0 && i%quoteEvery == 0
		size := len(f) // commas and the newline
		for _, s := range f {
			size += len(s)
		}
		if quote {
			size += 2
		}
		name := strings.Repeat("SITI AMINAH BINTI ABDULLAH ", 4)[:max(rowLen-size, 1)]
		if quote {
			name = name[:len(name)/2] + "," + name[len(name)/2+1:]
			f[3] = `"` + name + `"`
		} else {
			f[3] = name
		}
		buf.WriteString(strings.Join(f, ","))
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

const benchRows = 20000

var benchCases = []struct {
	name       string
	quoteEvery int
}{
	{"plain", 0},
	{"quoted1in10", 10},
}

// BenchmarkReader reads an in-memory file of 150-byte, 15-field rows.
func BenchmarkReader(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			data := genFile(benchRows, 15, 150, bc.quoteEvery)
			src := bytes.NewReader(data)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				src.Reset(data)
				r := New(src, Options{})
				n := 0
				for {
					rec, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil || len(rec.Fields) != 15 {
						b.Fatalf("record %d: %v, %d fields", n, err, len(rec.Fields))
					}
					n++
				}
				if n != benchRows {
					b.Fatalf("%d records", n)
				}
			}
			b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkEncodingCSV reads the same input with encoding/csv
// (ReuseRecord, no field count check) for comparison.
func BenchmarkEncodingCSV(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			data := genFile(benchRows, 15, 150, bc.quoteEvery)
			src := bytes.NewReader(data)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				src.Reset(data)
				r := csv.NewReader(src)
				r.ReuseRecord = true
				r.FieldsPerRecord = -1
				n := 0
				for {
					rec, err := r.Read()
					if err == io.EOF {
						break
					}
					if err != nil || len(rec) != 15 {
						b.Fatalf("record %d: %v, %d fields", n, err, len(rec))
					}
					n++
				}
				if n != benchRows {
					b.Fatalf("%d records", n)
				}
			}
			b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
