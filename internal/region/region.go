// Package region knows Indonesia's administrative regions — 38 provinces,
// 514 regencies and cities, 7,277 districts and 83,763 villages — by their
// Kemendagri codes, as published in the npm package idn-area-data 3.1.2
// (data under ODbL-1.0; see data/reference/README.md).
//
// The data is embedded in the binary (package data) and loaded once, on
// first use of Default. Lookups by code accept the dotted form used in
// publications ("32.04.11.2001") and the undotted one found in source files
// and NIKs ("3204112001"). VillageDistrict and ProvinceExists are the hot
// paths of input validation: O(1) and allocation-free.
package region

import (
	"slices"
	"strings"
)

// Region is one administrative region.
type Region struct {
	// Code is the dotted Kemendagri code: "32", "32.04", "32.04.11",
	// "32.04.11.2001".
	Code string
	// Level is the region's tier; it matches the number of segments in Code.
	Level Level
	// Name is the display name ("Kabupaten Bandung", "DKI Jakarta"); see
	// DisplayName.
	Name string
	// Parent is the dotted code of the region one level up, "" for a
	// province.
	Parent string
}

// ID is the dense index of a region within its level, in code order: the
// provinces are IDs 0 to Count(Province)-1, and so on. IDs are stable for a
// given data set, not across versions of it; publish codes, not IDs. -1
// means none.
type ID int32

// None is the ID of no region.
const None ID = -1

// Table holds every region of the four levels, indexed by code. A Table is
// immutable once loaded and safe for concurrent use. The zero Table is
// empty: it finds nothing.
type Table struct {
	levels   [Village + 1]levelData // indexed by Level; [0] unused
	province [100]ID                // province number → ID+1, 0 if absent
}

// levelData is one level's regions in code order.
type levelData struct {
	regions []Region
	// parent[i] is the ID of region i's parent one level up (nil for
	// provinces).
	parent []ID
	// first[i]:first[i+1] are the IDs, one level down, of region i's
	// children (nil for villages). Sorted codes make children contiguous.
	first []int32
	// index maps a code's number to its ID (unused for provinces, which
	// use Table.province).
	index index
}

// find returns the ID of the region numbered num at level l.
func (t *Table) find(l Level, num uint64) (ID, bool) {
	if l == Province {
		if num < uint64(len(t.province)) && t.province[num] != 0 {
			return t.province[num] - 1, true
		}
		return None, false
	}
	return t.levels[l].index.get(num)
}

// IDOf returns the level and ID of the region with the given code, dotted
// or not, surrounding spaces ignored, and whether it exists.
func (t *Table) IDOf(code string) (Level, ID, bool) {
	l, num, ok := parse(strings.TrimSpace(code))
	if !ok {
		return 0, None, false
	}
	id, ok := t.find(l, num)
	if !ok {
		return 0, None, false
	}
	return l, id, true
}

// Lookup returns the region with the given code at any level, dotted
// ("32.04") or not ("3204"), surrounding spaces ignored, and whether it
// exists. A malformed code does not exist.
func (t *Table) Lookup(code string) (Region, bool) {
	l, id, ok := t.IDOf(code)
	if !ok {
		return Region{}, false
	}
	return t.levels[l].regions[id], true
}

// Valid reports whether code is well formed and names an existing region.
func (t *Table) Valid(code string) bool {
	_, _, ok := t.IDOf(code)
	return ok
}

// Name returns the display name of the region with the given code, or ""
// if there is none.
func (t *Table) Name(code string) string {
	r, _ := t.Lookup(code)
	return r.Name
}

// Parents returns the ancestors of the region with the given code, from the
// province down to its direct parent: none for a province, three for a
// village. It returns nil if the region does not exist.
func (t *Table) Parents(code string) []Region {
	l, id, ok := t.IDOf(code)
	if !ok || l == Province {
		return nil
	}
	out := make([]Region, l-1)
	for l > Province {
		id = t.levels[l].parent[id]
		l--
		out[l-1] = t.levels[l].regions[id]
	}
	return out
}

// Children returns the regions one level below the region with the given
// code, sorted by code; Children("") returns the provinces. It returns nil
// for a village and for a region that does not exist. The slice is the
// caller's to keep or change.
func (t *Table) Children(code string) []Region {
	if strings.TrimSpace(code) == "" {
		return t.Provinces()
	}
	l, id, ok := t.IDOf(code)
	if !ok || l == Village {
		return nil
	}
	first := t.levels[l].first
	return slices.Clone(t.levels[l+1].regions[first[id]:first[id+1]])
}

// Provinces returns the provinces sorted by code. The slice is the caller's
// to keep or change.
func (t *Table) Provinces() []Region {
	return slices.Clone(t.levels[Province].regions)
}

// Count returns the number of regions at level l (0 for an invalid level).
func (t *Table) Count(l Level) int {
	if !l.valid() {
		return 0
	}
	return len(t.levels[l].regions)
}

// ByID returns the region at level l with the given ID, or the zero Region
// if there is none. Together with Count it iterates a level in code order.
func (t *Table) ByID(l Level, id ID) Region {
	if !l.valid() || id < 0 || int(id) >= len(t.levels[l].regions) {
		return Region{}
	}
	return t.levels[l].regions[id]
}

// ParentID returns the ID, at level l-1, of the parent of the region at
// level l with the given ID; None for a province or an ID out of range.
func (t *Table) ParentID(l Level, id ID) ID {
	if l <= Province || l > Village || id < 0 || int(id) >= len(t.levels[l].parent) {
		return None
	}
	return t.levels[l].parent[id]
}

// DistrictOf returns the ID of the district of the village with ID
// village, or None.
func (t *Table) DistrictOf(village ID) ID { return t.ParentID(Village, village) }

// RegencyOf returns the ID of the regency of the district with ID
// district, or None.
func (t *Table) RegencyOf(district ID) ID { return t.ParentID(District, district) }

// ProvinceOf returns the ID of the province of the regency with ID
// regency, or None.
func (t *Table) ProvinceOf(regency ID) ID { return t.ParentID(Regency, regency) }

// ProvinceExists reports whether pp, two ASCII digits such as the first two
// of a NIK, is the code of a province. It does not allocate.
func (t *Table) ProvinceExists(pp []byte) bool {
	if len(pp) != 2 || pp[0] < '0' || pp[0] > '9' || pp[1] < '0' || pp[1] > '9' {
		return false
	}
	return t.province[(pp[0]-'0')*10+pp[1]-'0'] != 0
}

// VillageDistrict returns the ID of the district of the village whose code
// is given as exactly "PP.KK.DD.VVVV" (13 bytes) or exactly ten digits, and
// whether that village exists. Nothing is trimmed. It is the hot path of
// row validation: one hash probe on average, no allocation.
func (t *Table) VillageDistrict(code []byte) (ID, bool) {
	l, num, ok := parse(code)
	if !ok || l != Village {
		return None, false
	}
	v := &t.levels[Village]
	id, ok := v.index.get(num)
	if !ok {
		return None, false
	}
	return v.parent[id], true
}
