package region

import (
	"strconv"
	"strings"
)

// Level is a tier of Indonesian administrative regions, from province (1)
// down to village (4). Its value is also the number of dotted segments in a
// region code of that level.
type Level uint8

// The four levels of the Kemendagri region code. A "kabupaten" level region
// may be a kabupaten (regency) or a kota (city); a "desa" level region may be
// a desa, a kelurahan or a desa adat.
const (
	Province Level = 1 // provinsi, code "PP"
	Regency  Level = 2 // kabupaten/kota, code "PP.KK"
	District Level = 3 // kecamatan, code "PP.KK.DD"
	Village  Level = 4 // desa/kelurahan, code "PP.KK.DD.VVVV"
)

// Levels lists the four levels from top to bottom.
var Levels = [...]Level{Province, Regency, District, Village}

var levelNames = [...]string{Province: "provinsi", Regency: "kabupaten", District: "kecamatan", Village: "desa"}

// String returns the level's name as the portal publishes it in the
// `tingkat` column: "provinsi", "kabupaten", "kecamatan" or "desa".
func (l Level) String() string {
	if l.valid() {
		return levelNames[l]
	}
	return "region.Level(" + strconv.Itoa(int(l)) + ")"
}

// ParseLevel returns the level whose String is s (case-insensitive,
// surrounding spaces ignored) and whether there is one.
func ParseLevel(s string) (Level, bool) {
	s = strings.TrimSpace(s)
	for _, l := range Levels {
		if strings.EqualFold(s, levelNames[l]) {
			return l, true
		}
	}
	return 0, false
}

func (l Level) valid() bool { return l >= Province && l <= Village }

// Code shapes per level: the length of the undotted code, of the dotted code,
// and the divisor that turns a code's number into its parent's number.
var (
	undottedLen = [...]int{Province: 2, Regency: 4, District: 6, Village: 10}
	dottedLen   = [...]int{Province: 2, Regency: 5, District: 8, Village: 13}
	parentDiv   = [...]uint64{Regency: 100, District: 100, Village: 10000}
)

// Normalize checks the shape of a region code and returns it in dotted form
// with its level. It accepts the dotted form ("32", "32.04", "32.04.11",
// "32.04.11.2001") and the undotted one ("32", "3204", "320411",
// "3204112001"), with surrounding spaces trimmed. Anything else — a partly
// dotted code such as "32.0411", letters, signs, inner spaces, a wrong
// length — is malformed and gives ok == false. Normalize does not check that
// the region exists; Table.Lookup does.
func Normalize(code string) (dotted string, level Level, ok bool) {
	code = strings.TrimSpace(code)
	level, num, ok := parse(code)
	if !ok {
		return "", 0, false
	}
	if len(code) == dottedLen[level] {
		return code, level, true // already dotted (a province code is both)
	}
	return format(num, level), level, true
}

// format writes the dotted code of the region numbered num at level l.
func format(num uint64, l Level) string {
	var buf [13]byte
	n := dottedLen[l]
	for i := n - 1; i >= 0; i-- {
		if i == 2 || i == 5 || i == 8 {
			buf[i] = '.'
			continue
		}
		buf[i] = byte('0' + num%10)
		num /= 10
	}
	return string(buf[:n])
}

// parse reads a dotted or undotted region code into its level and its
// number: the code's digits read as one decimal number ("32.04" → 3204).
// Numbers are unique within a level but not across levels. parse does not
// trim and does not allocate.
func parse[T string | []byte](s T) (Level, uint64, bool) {
	var l Level
	dotted := false
	switch len(s) {
	case 2:
		l = Province
	case 4:
		l = Regency
	case 5:
		l, dotted = Regency, true
	case 6:
		l = District
	case 8:
		l, dotted = District, true
	case 10:
		l = Village
	case 13:
		l, dotted = Village, true
	default:
		return 0, 0, false
	}
	var num uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if dotted && (i == 2 || i == 5 || i == 8) {
			if c != '.' {
				return 0, 0, false
			}
			continue
		}
		if c < '0' || c > '9' {
			return 0, 0, false
		}
		num = num*10 + uint64(c-'0')
	}
	return l, num, true
}
