package press

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"github.com/portal-data-bansos/portal/internal/i18n"
)

// SeedDemo loads a handful of example posts (marked as examples, in both
// languages, one corrected, one with an attachment) when the store has no
// post, so a new user sees the press pages and feeds working. Links cite
// data release 1, the demo's first release.
func (s *Store) SeedDemo(ctx context.Context, now time.Time) (int, error) {
	n, err := s.Count(ctx)
	if err != nil || n > 0 {
		return 0, err
	}
	day := 24 * time.Hour
	demo := []struct {
		c       Content
		at      time.Time
		attach  string
		correct func(*Content) string
	}{
		{c: Content{Kind: KindRelease, Lang: LangBoth, Category: "penyaluran",
			Title:   i18n.Text{ID: "[Contoh] Penyaluran PKH triwulan ini menjangkau seluruh provinsi", EN: "[Example] PKH payments this quarter reached every province"},
			Summary: i18n.Text{ID: "Contoh siaran pers: ringkasan penyaluran Program Keluarga Harapan menurut provinsi.", EN: "Example press release: Family Hope Programme payments by province."},
			Body:    i18n.Text{ID: "Ini **contoh** siaran pers yang dimuat bersama data demo.\n\nAngka yang dikutip ada di [dataset penyaluran, rilis 1](/dataset/penyaluran?release=1&program=PKH&tingkat=provinsi).\n\nRealisasi tahap 3 terhadap kuota, menurut rilis 1, tercantum di bawah siaran ini.\n\n- Penyaluran melalui bank Himbara dan PT Pos\n- Data diperbarui setiap bulan", EN: "This is an **example** press release loaded with the demo data.\n\nThe figures quoted are in the [distribution dataset, release 1](/dataset/penyaluran?release=1&program=PKH&tingkat=provinsi).\n\nRealisation of tahap 3 against target, as of release 1, is shown below this release.\n\n- Paid through the state banks and PT Pos\n- Data refreshed every month"},

			Tags: []string{"PKH", "penyaluran"}, Programs: []string{"PKH"}, Regions: []string{"32"},
			// The realisation figures of tahap 3 as of release 1 are shown
			// with the post, pinned: later releases do not change them.
			Links: []Link{{Kind: LinkDataset, Target: "penyaluran", Release: 1, Query: "program=PKH&tingkat=provinsi"},
				{Kind: LinkDataset, Target: "realisasi", Release: 1, Query: "periode=2025-Q3&program=PKH,SEMBAKO"}}},
			at: now.Add(-4 * day)},
		{c: Content{Kind: KindAnnouncement, Lang: LangBoth, Category: "layanan",
			Title:   i18n.Text{ID: "[Contoh] Jadwal pemutakhiran data bulanan", EN: "[Example] Monthly data update schedule"},
			Summary: i18n.Text{ID: "Contoh pengumuman dengan lampiran gambar.", EN: "Example announcement with an image attachment."},
			Body:    i18n.Text{ID: "Data penyaluran diperbarui setiap awal bulan pukul 02.00 WIB. Lihat lampiran.", EN: "Distribution data is refreshed at the start of every month at 02:00 WIB. See the attachment."},
			Tags:    []string{"jadwal"}},
			at: now.Add(-3 * day), attach: "jadwal-pemutakhiran.png"},
		{c: Content{Kind: KindClarification, Lang: LangBoth, Category: "data",
			Title:   i18n.Text{ID: "[Contoh] Klarifikasi: video viral bantuan untuk penerima yang telah meninggal", EN: "[Example] Clarification: viral video on aid paid to deceased recipients"},
			Summary: i18n.Text{ID: "Contoh klarifikasi yang ditautkan ke angka padan data.", EN: "Example clarification linked to the eligibility matching figures."},
			Body:    i18n.Text{ID: "Penerima yang telah meninggal **ditolak** oleh padan data sebelum penyaluran. Jumlahnya per kabupaten ada di dataset ketepatan sasaran.", EN: "Recipients who have died are **rejected** by eligibility matching before payment. Their number per regency is in the targeting dataset."},

			Tags: []string{"padan data", "klarifikasi"}, Programs: []string{"BLT", "PKH"}, Regions: []string{"32.04"},
			Links: []Link{{Kind: LinkDataset, Target: "ketepatan-sasaran", Release: 1, Query: "alasan=DECEASED&tingkat=kabupaten"},
				{Kind: LinkChart, Target: "penolakan-per-triwulan", Release: 1}}},
			at: now.Add(-2 * day),
			correct: func(c *Content) string {
				c.Body.ID += "\n\nRalat: kalimat sebelumnya menyebut provinsi; yang benar kabupaten."
				c.Body.EN += "\n\nCorrection: the text previously said province; it is regency."
				return "Ralat wilayah: kabupaten, bukan provinsi / Region corrected: regency, not province"
			}},
	}
	for _, d := range demo {
		id, err := s.create(ctx, nil, d.c, true, d.at.Add(-time.Hour))
		if err != nil {
			return 0, fmt.Errorf("press: demo: %w", err)
		}
		if d.attach != "" {
			if _, err := s.attach(ctx, nil, id, d.attach, DemoPNG(), d.at.Add(-time.Hour)); err != nil {
				return 0, fmt.Errorf("press: demo attachment: %w", err)
			}
		}
		if err := s.tx(ctx, func(tx *sql.Tx) error { return publish(ctx, tx, nil, id, d.at) }); err != nil {
			return 0, fmt.Errorf("press: demo publish: %w", err)
		}
		if d.correct != nil {
			c := d.c
			note := d.correct(&c)
			if err := s.correct(ctx, nil, id, c, note, d.at.Add(day)); err != nil {
				return 0, fmt.Errorf("press: demo correction: %w", err)
			}
		}
		n++
	}
	return n, nil
}

// RemoveDemo deletes the example posts SeedDemo loaded — the only posts
// marked as examples (post.example = 1, no author) — with their revisions
// and attachments, and returns how many it deleted. The press office's own
// posts, its accounts and the audit log stay; the removal is audited.
// `portal demo remove` calls it (docs/interface.md, "Demo data").
func (s *Store) RemoveDemo(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		const demo = `SELECT id FROM post WHERE example = 1`
		for _, q := range []string{
			`DELETE FROM attachment WHERE post_id IN (` + demo + `)`,
			`DELETE FROM post_revision WHERE post_id IN (` + demo + `)`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("press: remove demo posts: %w", err)
			}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM post WHERE example = 1`)
		if err != nil {
			return fmt.Errorf("press: remove demo posts: %w", err)
		}
		deleted, _ := res.RowsAffected()
		if n = int(deleted); n == 0 {
			return nil
		}
		if err := bumpPublic(ctx, tx); err != nil {
			return err
		}
		return audit(ctx, tx, now, nil, "demo.remove", 0, fmt.Sprintf("%d example posts", n))
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// DemoPNG draws a small banner in the portal's colours (no binary files in
// the repository).
func DemoPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 240, 80))
	for y := 0; y < 80; y++ {
		for x := 0; x < 240; x++ {
			c := color.RGBA{0x0b, 0x4f, 0x8a, 0xff}
			if (x/20+y/20)%2 == 0 {
				c = color.RGBA{0xf2, 0xb1, 0x34, 0xff}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}
