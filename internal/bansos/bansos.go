// Package bansos holds the words every part of the portal shares: the
// programmes (in one order), the PKH benefit components, the published
// region levels and the time zone the ministry works in. It imports only the
// standard library, so that the aggregator, the site and the tools can all
// build on it (docs/interface.md, "Datasets").
package bansos

import "time"

// Program is a social assistance programme.
type Program uint8

// The programmes in publication order, grouped by area of intervention:
// protection (PKH, SEMBAKO, BLT, PBI_JK), rehabilitation (ATENSI),
// empowerment (PENA). ProgramNone is the zero value: no programme.
const (
	ProgramNone Program = iota
	PKH
	Sembako
	BLT
	PBIJK
	ATENSI
	PENA
	NumPrograms // one past the last programme, for arrays indexed by Program
)

// ProgramNames are the programme codes as written in the input and
// published ("PBI_JK"), indexed by Program.
var ProgramNames = [NumPrograms]string{"", "PKH", "SEMBAKO", "BLT", "PBI_JK", "ATENSI", "PENA"}

// String is the programme code as published.
func (p Program) String() string { return ProgramNames[p] }

// Programs lists every programme in publication order.
func Programs() []Program { return []Program{PKH, Sembako, BLT, PBIJK, ATENSI, PENA} }

// ProgramCodes are the codes of Programs, in the same order.
var ProgramCodes = codes(ProgramNames[1:])

// AllPrograms is the programme code of published rows over every
// programme together ("SEMUA"), in the tables that have them.
const AllPrograms = "SEMUA"

// Component is a PKH benefit component; ComponentNone for the other
// programmes and for a programme's total row.
type Component uint8

// The PKH components, in publication order.
const (
	ComponentNone Component = iota
	IbuHamil
	AnakUsiaDini
	SD
	SMP
	SMA
	DisabilitasBerat
	Lansia
	NumComponents // one past the last component
)

// ComponentNames are the component codes as written and published, indexed
// by Component.
var ComponentNames = [NumComponents]string{"", "IBU_HAMIL", "ANAK_USIA_DINI", "SD", "SMP", "SMA", "DISABILITAS_BERAT", "LANSIA"}

// String is the component code as published.
func (c Component) String() string { return ComponentNames[c] }

// ComponentCodes are the codes of the components, in publication order.
var ComponentCodes = codes(ComponentNames[1:])

// Level is the geographic level of a published cell (`tingkat`). Its
// values for the three regional levels equal those of region.Level.
type Level uint8

// The published levels, from the top.
const (
	Nasional Level = iota
	Provinsi
	Kabupaten
	Kecamatan
	NumLevels
)

// LevelNames are the published `tingkat` values, indexed by Level.
var LevelNames = [NumLevels]string{"nasional", "provinsi", "kabupaten", "kecamatan"}

// String is the published `tingkat`.
func (l Level) String() string { return LevelNames[l] }

// LevelCodes are the published `tingkat` values from the top.
var LevelCodes = codes(LevelNames[:])

// ParseLevel returns the level whose name is s.
func ParseLevel(s string) (Level, bool) {
	for l, name := range LevelNames {
		if name == s {
			return Level(l), true
		}
	}
	return 0, false
}

// ChildLevel is the name of the level below the named one, "" for the
// lowest published level or an unknown name.
func ChildLevel(name string) string {
	if l, ok := ParseLevel(name); ok && l+1 < NumLevels {
		return LevelNames[l+1]
	}
	return ""
}

// ParentLevel is the name of the level above the named one, "" for the
// nation or an unknown name.
func ParentLevel(name string) string {
	if l, ok := ParseLevel(name); ok && l > Nasional {
		return LevelNames[l-1]
	}
	return ""
}

// WIB is Western Indonesia Time (Asia/Jakarta, UTC+7): the ministry
// announces, schedules and dates releases and posts in it.
var WIB = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Jakarta"); err == nil {
		return loc
	}
	// No zone data on the machine: WIB has had no daylight saving since 1964.
	return time.FixedZone("WIB", 7*3600)
}()

// codes copies names into a fresh slice, so that callers may not change
// the arrays above through it.
func codes(names []string) []string { return append([]string(nil), names...) }

// ProgramAliases are the other names a programme goes by in the news and
// in the ministry's own documents, for search.
var ProgramAliases = map[string][]string{
	"PKH":     {"PKH", "Program Keluarga Harapan", "bansos PKH"},
	"SEMBAKO": {"Sembako", "Kartu Sembako", "BPNT", "Bantuan Pangan Non Tunai", "bansos sembako"},
	"BLT":     {"BLT", "Bantuan Langsung Tunai", "BLT Kesra"},
	"PBI_JK":  {"PBI", "PBI JK", "Penerima Bantuan Iuran", "Jaminan Kesehatan", "BPJS Kesehatan", "JKN"},
	"ATENSI":  {"ATENSI", "Asistensi Rehabilitasi Sosial", "rehabilitasi sosial"},
	"PENA":    {"PENA", "Pahlawan Ekonomi Nusantara", "pemberdayaan"},
}
