// Package csvread reads RFC 4180 CSV records from a stream, fast and without
// allocating per record.
//
// It implements the reading rules of the distribution file format
// (docs/input.md §1): UTF-8, comma-separated, RFC 4180 quoting, "\n" or
// "\r\n" line ends (mixed in one file too), an optional UTF-8 BOM, blank lines
// skipped, quoted fields that may span lines, and a '"' inside an unquoted
// field read as a literal character. A "\r" at the very end of the input is
// read as a line end cut short (as encoding/csv does).
//
// Unlike encoding/csv it never refuses a record for its quoting: a record
// whose quoting cannot be read is returned with Malformed set, so the caller
// can quarantine that one row and go on. It also keeps what encoding/csv
// throws away: the record's raw bytes, the "\r\n" inside quoted fields, and
// the number of physical lines a record spans.
//
// Records are parsed in place in one large buffer; field values point into
// that buffer (or, for a quoted field with "" escapes, into a reused scratch
// buffer), so a Record is valid only until the next call to Next. Memory is
// bounded by the buffer size and Options.MaxRecordBytes, never by the file
// size.
//
// Errors carry line numbers but never the contents of a record: the files
// hold personal data.
package csvread

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// DefaultMaxRecordBytes is the record size cap used when
// Options.MaxRecordBytes is zero or negative.
const DefaultMaxRecordBytes = 1 << 20

const (
	// defaultBufSize is the initial buffer size. A large buffer makes the
	// per-record cost of refilling negligible and keeps records contiguous.
	defaultBufSize = 256 << 10
	// minBufSize keeps the buffer large enough to see a whole BOM.
	minBufSize = 4
	// eolSlack is how many bytes beyond MaxRecordBytes the buffer may hold
	// while a record is still incomplete. A record whose end is not yet in
	// sight may still lose up to two bytes ("\r\n") from its raw size when
	// the input ends right there, so only an incomplete record of
	// MaxRecordBytes+3 bytes is certainly too large.
	eolSlack = 3
	// maxEmptyReads is how many (0, nil) reads in a row are tolerated before
	// giving up with io.ErrNoProgress, as bufio does.
	maxEmptyReads = 100
)

// ErrRecordTooLarge is returned (wrapped, with the record's line number) by
// Next when a record's raw size exceeds Options.MaxRecordBytes: for example a
// huge file on a single line, or an unterminated quote that swallows the rest
// of the file. The caller should refuse the file; the error is sticky.
var ErrRecordTooLarge = errors.New("csvread: record too large")

var errBadReadCount = errors.New("csvread: underlying reader returned an invalid count")

var bom = []byte{0xEF, 0xBB, 0xBF}

// Options tune a Reader. The zero value is ready to use.
type Options struct {
	// MaxRecordBytes caps one record's raw size, without its line end
	// (default DefaultMaxRecordBytes, 1 MiB). A longer record (e.g. a 100 MB
	// single-line file, or an unterminated quote swallowing the file) makes
	// Next return an error wrapping ErrRecordTooLarge; the caller refuses
	// the file. The reader's buffer never grows beyond this cap (plus a few
	// bytes), so memory stays bounded whatever the input.
	MaxRecordBytes int
}

// Record is one CSV record. It and its slices are valid only until the next
// call to Next, which reuses them.
type Record struct {
	// Line is the physical line number (1-based) where the record starts.
	// Blank lines and lines inside quoted fields are counted.
	Line int64
	// Lines is how many physical lines the record spans (a quoted field
	// may span lines); the next record starts at Line+Lines or later.
	Lines int
	// Fields holds the field values with quotes removed and "" escapes
	// resolved; line ends inside quoted fields are kept as they are in the
	// file ("\n" or "\r\n"). Values are not trimmed: the caller trims.
	// A record has at least one field.
	Fields [][]byte
	// Raw is the record's raw bytes exactly as in the file, without its
	// final line end (but with any line ends inside quoted fields).
	Raw []byte
	// Malformed reports that the record's quoting could not be read: a
	// closing quote followed by something other than a comma, a line end
	// or the end of input (the quote is then kept as a literal character
	// and the field runs on to the next comma or line end), or a quote
	// never closed before the end of input (the field then runs to the end
	// of input, less a final line end). Fields then holds a best effort.
	Malformed bool
}

// Reader reads CSV records from an io.Reader. It buffers its input: it may
// read ahead of the records it has returned. A Reader is not safe for
// concurrent use.
type Reader struct {
	rd   io.Reader
	buf  []byte
	pos  int   // start of the unparsed data in buf
	end  int   // end of the buffered data in buf
	base int64 // input offset of buf[0]
	line int64 // physical line number at buf[pos]

	max   int // Options.MaxRecordBytes, resolved
	limit int // the buffer never grows beyond this

	rerr    error // error from rd (io.EOF at the end); data before it is still parsed
	err     error // sticky error returned by Next
	started bool  // the first fill (and the BOM check) is done

	rec     Record
	scratch []byte // unescaped values of quoted fields with "" in them
}

// New returns a Reader reading from r through its own buffer (256 KiB,
// growing up to opt.MaxRecordBytes for a long record). A UTF-8 byte order
// mark at the very start of the input is skipped.
func New(r io.Reader, opt Options) *Reader {
	return newReader(r, opt, defaultBufSize)
}

// newReader is New with a chosen initial buffer size, so tests can exercise
// refills and growth with small inputs.
func newReader(r io.Reader, opt Options, bufSize int) *Reader {
	maxRec := opt.MaxRecordBytes
	if maxRec <= 0 {
		maxRec = DefaultMaxRecordBytes
	}
	bufSize = max(min(bufSize, maxRec+eolSlack), minBufSize)
	return &Reader{
		rd:    r,
		buf:   make([]byte, bufSize),
		line:  1,
		max:   maxRec,
		limit: max(maxRec+eolSlack, bufSize),
		rec:   Record{Fields: make([][]byte, 0, 32)},
	}
}

// Offset returns how many bytes of the input the Reader has consumed: the
// input offset just past the last record returned by Next (with its line
// end, and any BOM and blank lines before it). It reaches the input's size
// when Next returns io.EOF, so Offset divided by the file size is the
// fraction done. Bytes read ahead into the buffer are not counted.
func (r *Reader) Offset() int64 {
	return r.base + int64(r.pos)
}

// Next returns the next record, or io.EOF after the last one. The returned
// *Record is reused by the next call. Blank lines are skipped. A record
// longer than Options.MaxRecordBytes yields an error wrapping
// ErrRecordTooLarge; an error from the underlying reader is returned wrapped
// once the records before it have been returned. Errors are sticky.
func (r *Reader) Next() (*Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	if !r.started {
		r.started = true
		r.fill()
		if bytes.HasPrefix(r.buf[r.pos:r.end], bom) {
			r.pos += len(bom)
		}
	}
	for {
		if r.pos == r.end && r.rerr != nil {
			return nil, r.fail(r.rerr)
		}
		n, st := r.parse(r.buf[r.pos:r.end], r.rerr == io.EOF)
		switch st {
		case parsedBlank:
			r.pos += n
			r.line++
			continue
		case parsedRecord:
			rec := &r.rec
			rec.Line = r.line
			if len(rec.Raw) > r.max {
				return nil, r.fail(r.tooLarge())
			}
			r.line += int64(rec.Lines)
			r.pos += n
			return rec, nil
		}
		// The record's end is not in the buffer.
		if r.rerr != nil {
			return nil, r.fail(r.rerr)
		}
		if r.end-r.pos >= r.limit {
			return nil, r.fail(r.tooLarge())
		}
		r.fill()
	}
}

func (r *Reader) tooLarge() error {
	return fmt.Errorf("csvread: record at line %d is longer than %d bytes: %w", r.line, r.max, ErrRecordTooLarge)
}

// fail records err as the sticky error and returns it. Errors from the
// underlying reader other than io.EOF are wrapped with the line reached.
func (r *Reader) fail(err error) error {
	if err != io.EOF && !errors.Is(err, ErrRecordTooLarge) {
		err = fmt.Errorf("csvread: read at line %d: %w", r.line, err)
	}
	r.err = err
	return err
}

// fill moves the unparsed data to the front of the buffer, grows the buffer
// if the unparsed data fills it, then reads until the buffer is full or the
// underlying reader fails. Reading until full (rather than once, as bufio
// does) bounds the cost of re-parsing a record that straddled the buffer's
// end: the next attempt either completes it or finds the buffer full of it.
// The caller ensures r.end-r.pos < r.limit.
func (r *Reader) fill() {
	if r.pos > 0 {
		r.base += int64(r.pos)
		r.end = copy(r.buf, r.buf[r.pos:r.end])
		r.pos = 0
	}
	if r.end == len(r.buf) {
		nb := make([]byte, min(2*len(r.buf), r.limit))
		copy(nb, r.buf[:r.end])
		r.buf = nb
	}
	for empty := 0; r.end < len(r.buf) && r.rerr == nil; {
		n, err := r.rd.Read(r.buf[r.end:])
		if n < 0 || n > len(r.buf)-r.end {
			r.rerr = errBadReadCount
			return
		}
		r.end += n
		switch {
		case err != nil:
			r.rerr = err
		case n > 0:
			empty = 0
		default:
			if empty++; empty >= maxEmptyReads {
				r.rerr = io.ErrNoProgress
			}
		}
	}
}

// parseStatus is the outcome of parse.
type parseStatus int

const (
	needMore     parseStatus = iota // the record's end is not in data
	parsedBlank                     // a blank line was skipped
	parsedRecord                    // r.rec holds a record
)

// parse parses the record at the start of data. atEOF reports that data
// runs to the end of the input. It returns how many bytes of data the
// record (or blank line) takes with its line end, and fills r.rec's Fields,
// Raw, Lines and Malformed. data is not empty.
func (r *Reader) parse(data []byte, atEOF bool) (int, parseStatus) {
	if len(data) == 0 {
		return 0, needMore
	}
	switch data[0] {
	case '\n':
		return 1, parsedBlank
	case '\r':
		switch {
		case len(data) == 1:
			if !atEOF {
				return 0, needMore
			}
			return 1, parsedBlank // a final "\r" is a truncated "\r\n"
		case data[1] == '\n':
			return 2, parsedBlank
		}
	}

	fields := r.rec.Fields[:0]
	scratch := r.scratch[:0]
	malformed, quoted := false, false
	le := -1 // index of the next line end ('\n', or len(data) at EOF) at or after i, when known
	i := 0   // start of the current field
	for {
		var valueStart int // where the value starts in data
		mark := -1         // where the value starts in scratch, once it has an escape
		seg := i           // start of data not yet copied to scratch
		p := i             // where the unquoted scan starts

		if i < len(data) && data[i] == '"' {
			quoted = true
			readOn := false // a malformed quoted field reads on from p
			valueStart = i + 1
			seg = valueStart
			j := valueStart
			for {
				q := bytes.IndexByte(data[j:], '"')
				if q < 0 {
					if !atEOF {
						return 0, needMore
					}
					// A quote never closed: the field runs to the end of
					// the input, less a final line end.
					end := trimEOL(data, seg)
					fields = append(fields, value(data, valueStart, seg, end, &scratch, mark))
					r.finish(fields, scratch, data[:end:end], true, true)
					return len(data), parsedRecord
				}
				q += j
				if q+1 == len(data) {
					if !atEOF {
						return 0, needMore
					}
					fields = append(fields, value(data, valueStart, seg, q, &scratch, mark))
					r.finish(fields, scratch, data[:q+1:q+1], true, malformed)
					return len(data), parsedRecord
				}
				switch c := data[q+1]; {
				case c == '"': // "" is one quote
					if mark < 0 {
						mark = len(scratch)
					}
					scratch = append(scratch, data[seg:q+1]...)
					j = q + 2
					seg = j
					continue
				case c == ',':
					fields = append(fields, value(data, valueStart, seg, q, &scratch, mark))
					i = q + 2
				case c == '\n':
					fields = append(fields, value(data, valueStart, seg, q, &scratch, mark))
					r.finish(fields, scratch, data[:q+1:q+1], true, malformed)
					return q + 2, parsedRecord
				case c == '\r' && q+2 == len(data):
					if !atEOF {
						return 0, needMore
					}
					fields = append(fields, value(data, valueStart, seg, q, &scratch, mark))
					r.finish(fields, scratch, data[:q+1:q+1], true, malformed)
					return len(data), parsedRecord
				case c == '\r' && data[q+2] == '\n':
					fields = append(fields, value(data, valueStart, seg, q, &scratch, mark))
					r.finish(fields, scratch, data[:q+1:q+1], true, malformed)
					return q + 3, parsedRecord
				default:
					// Something other than a separator after the closing
					// quote: keep that quote as a literal character and
					// read on, unquoted, to the next comma or line end.
					// Reading on quoted instead (as encoding/csv's
					// LazyQuotes does) could swallow the rest of the file.
					malformed = true
					readOn = true
					p = q + 1
				}
				break
			}
			if !readOn { // the field ended at its closing quote and a comma
				continue
			}
		} else {
			valueStart = i
		}

		// An unquoted field, or the rest of a malformed quoted one, from p
		// to the next comma or line end.
		if le < p {
			n := bytes.IndexByte(data[p:], '\n')
			switch {
			case n >= 0:
				le = p + n
			case !atEOF:
				return 0, needMore
			default:
				le = len(data)
			}
		}
		if c := bytes.IndexByte(data[p:le], ','); c >= 0 {
			fields = append(fields, value(data, valueStart, seg, p+c, &scratch, mark))
			i = p + c + 1
			continue
		}
		end := le
		if end > p && data[end-1] == '\r' { // "\r\n", or a final "\r" at EOF
			end--
		}
		fields = append(fields, value(data, valueStart, seg, end, &scratch, mark))
		r.finish(fields, scratch, data[:end:end], quoted, malformed)
		if le == len(data) {
			return le, parsedRecord
		}
		return le + 1, parsedRecord
	}
}

// value returns a field's value data[start:end]; when the field had ""
// escapes (mark >= 0) the value is in *scratch from mark on, and data from
// seg to end is appended to it first.
func value(data []byte, start, seg, end int, scratch *[]byte, mark int) []byte {
	if mark < 0 {
		return data[start:end:end]
	}
	*scratch = append(*scratch, data[seg:end]...)
	s := *scratch
	return s[mark:len(s):len(s)]
}

// finish stores a parsed record in r.rec.
func (r *Reader) finish(fields [][]byte, scratch, raw []byte, quoted, malformed bool) {
	r.rec.Fields = fields
	r.scratch = scratch
	r.rec.Raw = raw
	r.rec.Malformed = malformed
	r.rec.Lines = 1
	if quoted { // only quoted fields hold line ends
		r.rec.Lines += bytes.Count(raw, []byte{'\n'})
	}
}

// trimEOL returns the end of data less one final line end ("\n", "\r\n",
// or a "\r" cut off by the end of input), not going below from.
func trimEOL(data []byte, from int) int {
	end := len(data)
	if end > from && data[end-1] == '\n' {
		end--
	}
	if end > from && data[end-1] == '\r' {
		end--
	}
	return end
}
