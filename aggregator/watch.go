package aggregator

import (
	"context"
	"fmt"
)

// Finding what a file repeats, with memory that follows the repeats, not
// the file or the history (state.go).
//
// Pass one wrote every well-formed row's transaction id (with its content
// checksum) and, for a SALUR row, its receipt key to parts by a byte of
// the key. When there is a history to compare with, the keys are set in
// a Bloom filter, and the stored ids, the stored receipts of the quarters
// the file pays in, and what earlier files of this run added are read as
// a stream: the few the filter lets through go to parts of their own. Part by part, a table counts the
// file's keys and looks the stored ones up: a key the file has twice, or
// that was stored before, is one the file repeats. Only those keys, and
// the stored entries among them, are kept for pass two; every other key
// occurs once, so its row is new whatever came before it.

// fileWatch is what applying one file needs in memory: the keys it
// repeats (ids, receipts), and the entries with those keys that earlier
// runs or earlier files of this run stored (seen, received), to which
// pass two adds the file's own as it applies its rows.
type fileWatch struct {
	ids, receipts  *entryTable
	seen, received *entryTable
}

// watchCounts says what the lookup found, for the log.
type watchCounts struct {
	IDs, Receipts             int // keys the file repeats
	StoredIDs, StoredReceipts int // of them, entries stored before the file
	// IDsRead is how many stored ids were read to find them: the
	// history a file is checked against (retention.go bounds it).
	IDsRead int64
}

func (s *state) watchFile(ctx context.Context) (*fileWatch, watchCounts, error) {
	var c watchCounts
	sp := s.spill
	scan := func(f bloom, out *parts) func([]byte) error {
		return func(b []byte) error {
			if len(b)%16 != 0 {
				return fmt.Errorf("corrupt stored entries: %d bytes", len(b))
			}
			if out == sp.storedIDs {
				c.IDsRead += int64(len(b) / 16)
			}
			for i := 0; i < len(b); i += 16 {
				e := (*[16]byte)(b[i : i+16])
				if f.mayHave(e) {
					if err := out.add(e[:]); err != nil {
						return err
					}
				}
			}
			return ctx.Err()
		}
	}
	if sp.ids.len() > 0 && (s.stored != nil || sp.seenNew.off > 0) {
		f, err := sp.ids.filter()
		if err != nil {
			return nil, c, err
		}
		if s.stored != nil {
			if err := s.stored.eachSeenChunk(ctx, scan(f, sp.storedIDs)); err != nil {
				return nil, c, fmt.Errorf("look up stored transactions: %w", err)
			}
		}
		if err := sp.seenNew.eachRecord(0, sp.seenNew.off, seenSpillSize, seenEntries(scan(f, sp.storedIDs))); err != nil {
			return nil, c, fmt.Errorf("look up this run's transactions: %w", err)
		}
	}
	if sp.receipts.len() > 0 && (s.stored != nil || sp.receiptsNew.off > 0) {
		f, err := sp.receipts.filter()
		if err != nil {
			return nil, c, err
		}
		if s.stored != nil {
			for q := range sp.paidIn {
				if err := s.stored.eachReceiptChunk(ctx, q, scan(f, sp.storedReceipts)); err != nil {
					return nil, c, fmt.Errorf("look up the stored receipts of %s: %w", PeriodString(q), err)
				}
			}
		}
		if err := sp.receiptsNew.eachRecord(0, sp.receiptsNew.off, receiptSize, scan(f, sp.storedReceipts)); err != nil {
			return nil, c, fmt.Errorf("look up this run's receipts: %w", err)
		}
	}
	w := &fileWatch{
		ids: newEntryTable(12, 0), seen: newEntryTable(12, 0),
		receipts: newEntryTable(16, 0), received: newEntryTable(16, 0),
	}
	for _, k := range []struct {
		file, stored   *parts
		keyLen         int
		watch, entries *entryTable
	}{{sp.ids, sp.storedIDs, 12, w.ids, w.seen}, {sp.receipts, sp.storedReceipts, 16, w.receipts, w.received}} {
		for i := range k.file.files {
			if err := ctx.Err(); err != nil {
				return nil, c, err
			}
			file, err := k.file.read(i)
			if err != nil {
				return nil, c, err
			}
			stored, err := k.stored.read(i)
			if err != nil {
				return nil, c, err
			}
			repeats(file, stored, k.keyLen, k.watch, k.entries)
		}
	}
	c.IDs, c.Receipts, c.StoredIDs, c.StoredReceipts = w.ids.Len(), w.receipts.Len(), w.seen.Len(), w.received.Len()
	return w, c, nil
}

// repeats counts one part's keys of the file (packed entries) and looks
// up its stored entries: the keys the file has more than once, or that
// were stored, go to watch, and the stored entries with them to entries.
func repeats(file, stored []byte, keyLen int, watch, entries *entryTable) {
	t := newEntryTable(keyLen, len(file)/16)
	const once, more = 1, 2
	for i := 0; i < len(file); i += 16 {
		e := (*[16]byte)(file[i : i+16])
		if j, ok := t.find(e); ok {
			t.gen[j] = more
		} else {
			t.slots[j], t.gen[j] = *e, once
			t.n++
		}
	}
	for i := 0; i < len(stored); i += 16 {
		e := (*[16]byte)(stored[i : i+16])
		if j, ok := t.find(e); ok {
			t.gen[j] = more
			entries.put(*e, genStored)
		}
	}
	for j := range t.slots {
		if t.gen[j] == more {
			watch.put(t.slots[j], genStored)
		}
	}
}
