package region

import "math/bits"

// index maps region numbers (a code's digits read as one number, at most
// ten digits, so < 2^34) to IDs (< 2^24) with open addressing and linear
// probing. Each slot packs number<<24 | id into one uint64, so a probe reads
// one word; 0 marks an empty slot, which is why number 0 is never stored
// (there is no province "00"). The table is at most half full, so a lookup
// touches one or two slots on average, and never allocates.
type index struct {
	slots []uint64
	shift uint8 // 64 - log2(len(slots))
}

const (
	idBits  = 24
	idMask  = 1<<idBits - 1
	fibMult = 0x9E3779B97F4A7C15 // 2^64 / golden ratio: Fibonacci hashing
)

// newIndex returns an empty index with room for n entries.
func newIndex(n int) index {
	size := 8
	for size < 2*n {
		size <<= 1
	}
	return index{slots: make([]uint64, size), shift: uint8(64 - bits.TrailingZeros(uint(size)))}
}

// insert adds num → id. The caller guarantees 0 < num <= maxNum,
// 0 <= id <= idMask, that num is not yet present and that there is room.
func (x *index) insert(num uint64, id ID) {
	mask := uint64(len(x.slots) - 1)
	i := (num * fibMult) >> x.shift
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = num<<idBits | uint64(id)
}

// get returns the ID stored for num.
func (x *index) get(num uint64) (ID, bool) {
	if num == 0 || len(x.slots) == 0 {
		return -1, false
	}
	mask := uint64(len(x.slots) - 1)
	i := (num * fibMult) >> x.shift
	for {
		s := x.slots[i&mask]
		if s == 0 {
			return -1, false
		}
		if s>>idBits == num {
			return ID(s & idMask), true
		}
		i++
	}
}
