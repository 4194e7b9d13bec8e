package aggregator

import "encoding/binary"

// factSize is the size of one stored accepted row.
const factSize = 20

// fact is an accepted row reduced to what the statistics need. It holds no
// identifier but a 64-bit keyed pseudonym of the family card number, used
// only to count distinct families.
type fact struct {
	Family    uint64
	Nominal   uint32
	District  uint32 // district code PPKKDD as a number, stable across reference updates
	Program   Program
	Component Component
	Status    Status
	Sex       Sex
	Decile    uint8 // 0 unknown, 1–10
	Age       uint8 // age band index, see ageBands
	Channel   Channel
	// New marks a fact of the run being published (in memory only): the
	// quarter's previous release did not have it.
	New bool
}

func (f *fact) put(b []byte) {
	_ = b[factSize-1]
	binary.LittleEndian.PutUint64(b[0:], f.Family)
	binary.LittleEndian.PutUint32(b[8:], f.Nominal)
	binary.LittleEndian.PutUint32(b[12:], f.District)
	b[16] = byte(f.Program) | byte(f.Component)<<3 | byte(f.Status)<<6
	b[17] = byte(f.Sex) | f.Decile<<2
	b[18] = f.Age | byte(f.Channel)<<3
	b[19] = 0
}

func (f *fact) get(b []byte) {
	_ = b[factSize-1]
	f.Family = binary.LittleEndian.Uint64(b[0:])
	f.Nominal = binary.LittleEndian.Uint32(b[8:])
	f.District = binary.LittleEndian.Uint32(b[12:])
	f.Program = Program(b[16] & 7)
	f.Component = Component(b[16] >> 3 & 7)
	f.Status = Status(b[16] >> 6)
	f.Sex = Sex(b[17] & 3)
	f.Decile = b[17] >> 2
	f.Age = b[18] & 7
	f.Channel = Channel(b[18] >> 3 & 7)
}

// ageBands are the published age groups, at the first day of the quarter.
var ageBands = [...]struct {
	min  int
	name string
}{{0, "0-17"}, {18, "18-29"}, {30, "30-44"}, {45, "45-59"}, {60, "60+"}}

// ageBand returns the band index of someone born on birth at day.
func ageBand(birth, day Date) uint8 {
	by, bm, bd := birth.YMD()
	y, m, d := day.YMD()
	age := y - by
	if m < bm || (m == bm && d < bd) {
		age--
	}
	band := uint8(0)
	for i, b := range ageBands {
		if age >= b.min {
			band = uint8(i)
		}
	}
	return band
}
