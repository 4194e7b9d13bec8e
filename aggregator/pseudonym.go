package aggregator

import (
	"crypto/sha256"
	"hash"

	"github.com/portal-data-bansos/portal/internal/datadir"
)

// pseudonymiser computes keyed pseudonyms. Each kind of identifier gets its
// own domain label, so an id_transaksi that happens to equal a NIK does not
// share its pseudonym. Not safe for concurrent use: one per goroutine.
type pseudonymiser struct {
	mac hash.Hash
	sum [sha256.Size]byte
	buf []byte
}

func newPseudonymiser(k datadir.Key) *pseudonymiser {
	return &pseudonymiser{mac: k.MAC(), buf: make([]byte, 0, 80)}
}

// Domain labels of the pseudonyms.
const (
	domID  = 'T' // id_transaksi
	domNIK = 'N' // NIK
	domKK  = 'K' // no_kk
)

// sum returns HMAC-SHA-256(key, domain || value). The result is valid until
// the next call.
func (p *pseudonymiser) of(domain byte, v []byte) *[sha256.Size]byte {
	p.buf = append(append(p.buf[:0], domain), v...)
	p.mac.Reset()
	p.mac.Write(p.buf)
	p.mac.Sum(p.sum[:0])
	return &p.sum
}

// pid is a 96-bit pseudonym: long enough that collisions among billions of
// identifiers are negligible (birthday bound 2^48), short enough to keep the
// seen-transaction table of a national history in memory.
type pid [12]byte

func (p *pseudonymiser) pid(domain byte, v []byte) pid {
	var out pid
	copy(out[:], p.of(domain, v)[:12])
	return out
}

// u64 is a 64-bit pseudonym, used where a rare collision only shifts a
// published count by one (distinct families), never a row's fate.
func (p *pseudonymiser) u64(domain byte, v []byte) uint64 {
	s := p.of(domain, v)
	return uint64(s[0])<<56 | uint64(s[1])<<48 | uint64(s[2])<<40 | uint64(s[3])<<32 |
		uint64(s[4])<<24 | uint64(s[5])<<16 | uint64(s[6])<<8 | uint64(s[7])
}
