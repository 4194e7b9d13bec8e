package aggregator

import (
	"encoding/binary"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/portal-data-bansos/portal/internal/region"
)

// Columns holds the index of each column of a distribution file
// (docs/input.md §1) in its records, -1 when the header lacks the column.
// MapHeader makes it; the fields follow the spec's table order, which is
// also the order in which Validate checks them.
type Columns struct {
	IDTransaksi  int
	NIK          int
	NoKK         int
	Nama         int
	KodeWilayah  int
	Program      int
	Komponen     int
	Periode      int
	Nominal      int
	TanggalSalur int
	Status       int
	Penyalur     int
	Desil        int
	JenisKelamin int
	TanggalLahir int

	// N is the number of fields of the header, which every record must
	// have.
	N int
}

// inputColumn is one column of the spec's table, in table order.
type inputColumn struct {
	name     string
	required bool
}

var inputColumns = [...]inputColumn{
	{"id_transaksi", true},
	{"nik", true},
	{"no_kk", true},
	{"nama", true},
	{"kode_wilayah", true},
	{"program", true},
	// komponen and tanggal_salur are required on some rows only; a file
	// without the column simply has them empty everywhere.
	{"komponen", false},
	{"periode", true},
	{"nominal", true},
	{"tanggal_salur", false},
	{"status", true},
	{"penyalur", true},
	{"desil", false},
	{"jenis_kelamin", false},
	{"tanggal_lahir", false},
}

// slots returns pointers to c's column indexes in the order of
// inputColumns.
func (c *Columns) slots() [len(inputColumns)]*int {
	return [...]*int{
		&c.IDTransaksi, &c.NIK, &c.NoKK, &c.Nama, &c.KodeWilayah, &c.Program,
		&c.Komponen, &c.Periode, &c.Nominal, &c.TanggalSalur, &c.Status,
		&c.Penyalur, &c.Desil, &c.JenisKelamin, &c.TanggalLahir,
	}
}

// utf8BOM may still lead the first header field if the reader left it.
const utf8BOM = "\xef\xbb\xbf"

// MapHeader finds the columns of docs/input.md §1 in a header record.
// Names are matched trimmed of spaces and tabs and ASCII case-insensitively
// (a leading UTF-8 byte order mark is ignored too); the order is free and
// unknown columns are ignored. A known column named twice, or a missing
// required column (id_transaksi, nik, no_kk, nama, kode_wilayah, program,
// periode, nominal, status, penyalur), is an error that names every such
// column, for example `missing required column "nominal"`; the caller adds
// the file name. komponen, tanggal_salur, desil, jenis_kelamin and
// tanggal_lahir may be absent.
func MapHeader(header [][]byte) (Columns, error) {
	cols := Columns{N: len(header)}
	slots := cols.slots()
	for _, p := range slots {
		*p = -1
	}
	var dup []string
	for i, f := range header {
		if i == 0 {
			f = trimPrefixBOM(f)
		}
		f = trimField(f)
		for k, c := range inputColumns {
			if !equalFoldASCII(f, c.name) {
				continue
			}
			if *slots[k] >= 0 {
				if !slices.Contains(dup, c.name) {
					dup = append(dup, c.name)
				}
			} else {
				*slots[k] = i
			}
			break
		}
	}
	var missing []string
	for k, c := range inputColumns {
		if c.required && *slots[k] < 0 {
			missing = append(missing, c.name)
		}
	}
	if missing == nil && dup == nil {
		return cols, nil
	}
	var msg []string // one line, for the run log and the command's error
	if missing != nil {
		msg = append(msg, columnList("missing required column", missing))
	}
	if dup != nil {
		msg = append(msg, columnList("duplicate column", dup))
	}
	return cols, errors.New(strings.Join(msg, "; "))
}

// columnList writes `what "a"` or `whats "a", "b"`.
func columnList(what string, names []string) string {
	var b strings.Builder
	b.WriteString(what)
	if len(names) > 1 {
		b.WriteByte('s')
	}
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(n))
	}
	return b.String()
}

func trimPrefixBOM(b []byte) []byte {
	if len(b) >= len(utf8BOM) && string(b[:len(utf8BOM)]) == utf8BOM {
		return b[len(utf8BOM):]
	}
	return b
}

// Validator checks distribution rows against docs/input.md §1 and §3. It
// is not safe for concurrent use — make one per goroutine — but holds no
// state between rows other than scratch space.
type Validator struct {
	regions *region.Table
	village [10]byte // undotted kode_wilayah when the field has dots
}

// NewValidator returns a Validator that looks regions up in regions
// (normally region.Default()).
func NewValidator(regions *region.Table) *Validator {
	return &Validator{regions: regions}
}

// contentSep separates the columns in a row's content. It is the ASCII
// unit separator: no validated column can contain it, and nama — the only
// free text — carries its length in front (see Validate).
const contentSep = 0x1f

// Validate checks the fields of one record, as the CSV reader gives them
// (untrimmed, quotes resolved), against the columns cols. It fills row —
// all but Line, which the caller sets — and returns ReasonNone with
// content extended by the row's normalised content, or the first failing
// quarantine reason in the order of docs/input.md §3.
//
// Checks run in the column order of the spec's table, after the field
// count. Values are trimmed of spaces and tabs; enumerations and periode
// are case-insensitive. tanggal_salur is judged with status in view: a
// non-empty value must be a real date (BAD_DATE whatever the status), but
// an empty one is BAD_DATE only if status reads SALUR — when status is not
// a valid status at all, the row is BAD_STATUS. When jenis_kelamin or
// tanggal_lahir is empty, row.Sex or row.Birth comes from the NIK (see
// NIKSex, NIKBirth; the birth century is read against row.PeriodStart);
// given values are not compared with the NIK.
//
// The content, for replay detection, is the 15 columns in table order,
// each followed by the byte 0x1F: trimmed; enumerations, periode and
// jenis_kelamin upper-cased; kode_wilayah without dots; nominal as a
// number without leading zeros ("0100" and "100" are one content); other
// values as given, nama case-sensitively and preceded by its length as a
// uvarint, so that no name can make two rows read alike; an absent
// optional column as empty. Extra columns are not content. Changing this
// encoding changes the content of every row already seen (its replays
// would become conflicts), so keep it stable. On a quarantined row the
// content appended is unspecified.
//
// On a quarantined row, the fields of row are unspecified except Line and
// Period: Period is the row's quarter whenever periode reads as a period
// (the quality report is published per period), and 0 otherwise — never a
// real quarter, since year 0000 is not one — including for every
// BAD_FIELD_COUNT row, whose fields cannot be trusted to be in place.
//
// row.ID aliases fields, and row.Village aliases fields or the
// Validator's scratch space: both are valid until the fields are reused or
// Validate is called again. Validate does not allocate unless content must
// grow.
func (v *Validator) Validate(fields [][]byte, cols *Columns, row *Row, content []byte) (Reason, []byte) {
	*row = Row{Line: row.Line}
	if len(fields) != cols.N {
		return BadFieldCount, content
	}

	// id_transaksi
	id := fieldAt(fields, cols.IDTransaksi)
	if !validID(id) {
		return v.quarantine(BadID, fields, cols, row, content)
	}
	row.ID = id
	content = append(content, id...)
	content = append(content, contentSep)

	// nik
	nik := fieldAt(fields, cols.NIK)
	if !ValidNIK(nik, v.regions) {
		return v.quarantine(BadNIK, fields, cols, row, content)
	}
	row.NIK = [nikLen]byte(nik)
	content = append(content, nik...)
	content = append(content, contentSep)

	// no_kk
	kk := fieldAt(fields, cols.NoKK)
	if !ValidKK(kk) {
		return v.quarantine(BadKK, fields, cols, row, content)
	}
	row.KK = [nikLen]byte(kk)
	content = append(content, kk...)
	content = append(content, contentSep)

	// nama
	name := fieldAt(fields, cols.Nama)
	if len(name) == 0 {
		return v.quarantine(MissingName, fields, cols, row, content)
	}
	content = binary.AppendUvarint(content, uint64(len(name)))
	content = append(content, name...)
	content = append(content, contentSep)

	// kode_wilayah
	code := fieldAt(fields, cols.KodeWilayah)
	district, ok := v.regions.VillageDistrict(code)
	if !ok {
		return v.quarantine(UnknownRegion, fields, cols, row, content)
	}
	row.District = int32(district)
	if len(code) == 10 {
		row.Village = code
	} else { // PP.KK.DD.VVVV, as VillageDistrict has checked
		b := v.village[:0]
		b = append(b, code[0:2]...)
		b = append(b, code[3:5]...)
		b = append(b, code[6:8]...)
		b = append(b, code[9:13]...)
		row.Village = b
	}
	content = append(content, row.Village...)
	content = append(content, contentSep)

	// program
	program := Program(enumIndex(fieldAt(fields, cols.Program), programNames[:]))
	if program == ProgramNone {
		return v.quarantine(BadProgram, fields, cols, row, content)
	}
	row.Program = program
	content = append(content, programNames[program]...)
	content = append(content, contentSep)

	// komponen: required for PKH, forbidden for the others
	comp := fieldAt(fields, cols.Komponen)
	if program == PKH {
		row.Component = Component(enumIndex(comp, componentNames[:]))
		if row.Component == ComponentNone {
			return v.quarantine(BadComponent, fields, cols, row, content)
		}
		content = append(content, componentNames[row.Component]...)
	} else if len(comp) != 0 {
		return v.quarantine(BadComponent, fields, cols, row, content)
	}
	content = append(content, contentSep)

	// periode
	period := fieldAt(fields, cols.Periode)
	if !parsePeriod(period, row) {
		return v.quarantine(BadPeriod, fields, cols, row, content)
	}
	content = append(content, period[:5]...)
	content = append(content, upperASCII(period[5]), period[6])
	content = append(content, contentSep)

	// nominal
	amount := fieldAt(fields, cols.Nominal)
	digits, n, ok := parseNominal(amount)
	if !ok {
		return v.quarantine(BadAmount, fields, cols, row, content)
	}
	row.Nominal = n
	content = append(content, digits...)
	content = append(content, contentSep)

	// tanggal_salur, judged together with status (see above)
	paid := fieldAt(fields, cols.TanggalSalur)
	status := Status(enumIndex(fieldAt(fields, cols.Status), statusNames[:]))
	if len(paid) != 0 {
		if _, ok := ParseDate(paid); !ok {
			return v.quarantine(BadDate, fields, cols, row, content)
		}
	} else if status == Salur {
		return v.quarantine(BadDate, fields, cols, row, content)
	}
	content = append(content, paid...)
	content = append(content, contentSep)

	// status
	if status == StatusNone {
		return v.quarantine(BadStatus, fields, cols, row, content)
	}
	row.Status = status
	content = append(content, statusNames[status]...)
	content = append(content, contentSep)

	// penyalur
	channel := Channel(enumIndex(fieldAt(fields, cols.Penyalur), channelNames[:]))
	if channel == ChannelNone {
		return v.quarantine(BadChannel, fields, cols, row, content)
	}
	row.Channel = channel
	content = append(content, channelNames[channel]...)
	content = append(content, contentSep)

	// desil
	decile := fieldAt(fields, cols.Desil)
	if len(decile) != 0 {
		row.Decile, ok = parseDecile(decile)
		if !ok {
			return v.quarantine(BadDecile, fields, cols, row, content)
		}
	}
	content = append(content, decile...)
	content = append(content, contentSep)

	// jenis_kelamin
	switch sex := fieldAt(fields, cols.JenisKelamin); {
	case len(sex) == 0:
		row.Sex = NIKSex(nik)
	case len(sex) == 1 && upperASCII(sex[0]) == 'L':
		row.Sex = Male
		content = append(content, 'L')
	case len(sex) == 1 && upperASCII(sex[0]) == 'P':
		row.Sex = Female
		content = append(content, 'P')
	default:
		return v.quarantine(BadSex, fields, cols, row, content)
	}
	content = append(content, contentSep)

	// tanggal_lahir
	birth := fieldAt(fields, cols.TanggalLahir)
	if len(birth) == 0 {
		row.Birth = NIKBirth(nik, row.PeriodStart)
	} else if row.Birth, ok = ParseDate(birth); !ok {
		return v.quarantine(BadBirthdate, fields, cols, row, content)
	}
	content = append(content, birth...)
	content = append(content, contentSep)

	return ReasonNone, content
}

// quarantine finishes a quarantined row: it reads its period, if it has
// one, for the per-period quality report.
func (v *Validator) quarantine(r Reason, fields [][]byte, cols *Columns, row *Row, content []byte) (Reason, []byte) {
	if row.Period == 0 {
		parsePeriod(fieldAt(fields, cols.Periode), row) // sets nothing if it fails
	}
	return r, content
}

// fieldAt returns field i trimmed, or nil when the column is absent.
func fieldAt(fields [][]byte, i int) []byte {
	if i < 0 || i >= len(fields) {
		return nil
	}
	return trimField(fields[i])
}

// trimField trims the spaces and tabs around a value.
func trimField(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// maxIDLen is the longest id_transaksi.
const maxIDLen = 64

// idByte marks the bytes allowed in an id_transaksi: [A-Za-z0-9._-].
var idByte = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
		t[c+'a'-'A'] = true
	}
	t['.'], t['_'], t['-'] = true, true, true
	return t
}()

func validID(id []byte) bool {
	if len(id) == 0 || len(id) > maxIDLen {
		return false
	}
	for _, c := range id {
		if !idByte[c] {
			return false
		}
	}
	return true
}

func upperASCII(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// equalFoldASCII reports whether b equals s ignoring ASCII case. Only
// ASCII folds: a Kelvin sign is not a 'k' here, unlike in bytes.EqualFold.
func equalFoldASCII(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		if lowerASCII(b[i]) != lowerASCII(s[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

// enumIndex returns the index of b in names (compared ignoring ASCII
// case), or 0 — the empty name of every enumeration — when it is none.
func enumIndex(b []byte, names []string) int {
	if len(b) == 0 {
		return 0
	}
	for i := 1; i < len(names); i++ {
		if equalFoldASCII(b, names[i]) {
			return i
		}
	}
	return 0
}

// parsePeriod reads YYYY-Qn (n 1–4) or YYYY-MM (01–12), the letter Q in
// either case, year 0001–9999, into row's Period, PeriodStart and
// QuarterStart.
func parsePeriod(b []byte, row *Row) bool {
	if len(b) != 7 || b[4] != '-' {
		return false
	}
	year, ok := digits4(b[0:4])
	if !ok || year == 0 {
		return false
	}
	var month, q int
	if b[5] == 'Q' || b[5] == 'q' {
		q = int(b[6]) - '0'
		if q < 1 || q > 4 {
			return false
		}
		month = 3*(q-1) + 1
	} else {
		if month, ok = digits2(b[5:7]); !ok || month < 1 || month > 12 {
			return false
		}
		q = (month-1)/3 + 1
	}
	row.Period = MakeQuarter(year, q)
	row.PeriodStart = civilDate(year, month, 1)
	row.QuarterStart = civilDate(year, 3*(q-1)+1, 1)
	return true
}

// maxNominal is the largest amount of one disbursement, in rupiah.
const maxNominal = 100_000_000

// parseNominal reads a nominal: ASCII digits only, leading zeros allowed,
// at most maxNominal. It returns the digits without leading zeros ("0" for
// zero) and their value. However long the string, it cannot overflow: a
// value of more than nine significant digits is out of range unread.
func parseNominal(b []byte) (digits []byte, n int64, ok bool) {
	if !digitsOnly(b) {
		return nil, 0, false
	}
	i := 0
	for i < len(b)-1 && b[i] == '0' {
		i++
	}
	digits = b[i:]
	if len(digits) > len("100000000") {
		return nil, 0, false
	}
	for _, c := range digits {
		n = n*10 + int64(c-'0')
	}
	if n > maxNominal {
		return nil, 0, false
	}
	return digits, n, true
}

// parseDecile reads a decile 1–10, written without leading zero.
func parseDecile(b []byte) (uint8, bool) {
	switch {
	case len(b) == 1 && b[0] >= '1' && b[0] <= '9':
		return b[0] - '0', true
	case len(b) == 2 && b[0] == '1' && b[1] == '0':
		return 10, true
	}
	return 0, false
}
