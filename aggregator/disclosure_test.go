package aggregator

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
)

// families writes n families' rows: one SALUR row each in village vil for
// program/komponen in 2025-Q1, with sex "L" or "P" and serials from base.
func families(n, base int, vil, program, komponen, sex string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		serial := base + i
		day := "05"
		if sex == "P" {
			day = "45"
		}
		nik := fmt.Sprintf("%s%s0785%04d", strings.ReplaceAll(vil, ".", "")[:6], day, serial)
		kk := fmt.Sprintf("%s0101%06d", strings.ReplaceAll(vil, ".", "")[:6], serial)
		nominal := "600000"
		if program == "PKH" {
			nominal = "225000"
		}
		fmt.Fprintf(&b, "T%s-%d,%s,%s,Nama,%s,%s,%s,2025-Q1,%s,2025-02-01,SALUR,BRI,2,%s,\n",
			strings.ReplaceAll(vil, ".", ""), serial, nik, kk, vil, program, komponen, nominal, sex)
	}
	return b.String()
}

const (
	vilA = "32.04.11.2001" // Katapang district
	vilB = "32.04.12.2002" // Dayeuhkolot district
)

func cell(t *testing.T, db *sql.DB, where string, args ...any) (penerima sql.NullInt64, ditekan int) {
	t.Helper()
	err := db.QueryRow(`SELECT penerima, ditekan FROM penyaluran WHERE release = 1 AND `+where, args...).Scan(&penerima, &ditekan)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	return
}

func TestDisclosureTraps(t *testing.T) {
	t.Run("small district beside a published sibling", func(t *testing.T) {
		e := newTestEnv(t)
		e.k = 10
		e.mustRun(Input{Path: e.write("a.csv", header+families(3, 1, vilA, "SEMBAKO", "", "P")+families(40, 100, vilB, "SEMBAKO", "", "P"))})
		_, small := cell(t, e.pub.R, `program = 'SEMBAKO' AND tingkat = 'kecamatan' AND kode_wilayah = '32.04.11'`)
		_, sib := cell(t, e.pub.R, `program = 'SEMBAKO' AND tingkat = 'kecamatan' AND kode_wilayah = '32.04.12'`)
		_, reg := cell(t, e.pub.R, `program = 'SEMBAKO' AND tingkat = 'kabupaten' AND kode_wilayah = '32.04'`)
		if small != 1 {
			t.Fatal("3 families published")
		}
		if sib == 0 && reg == 0 {
			t.Error("the small district = regency − sibling: one of them must be withheld")
		}
	})
	t.Run("PKH component alone below k", func(t *testing.T) {
		e := newTestEnv(t)
		e.k = 10
		e.mustRun(Input{Path: e.write("a.csv", header+families(30, 1, vilA, "PKH", "SD", "P")+families(4, 500, vilA, "PKH", "SMP", "P"))})
		// Components are published down to the regency.
		_, smp := cell(t, e.pub.R, `program = 'PKH' AND komponen = 'SMP' AND tingkat = 'kabupaten'`)
		_, sd := cell(t, e.pub.R, `program = 'PKH' AND komponen = 'SD' AND tingkat = 'kabupaten'`)
		_, tot := cell(t, e.pub.R, `program = 'PKH' AND komponen = '' AND tingkat = 'kabupaten'`)
		if smp != 1 {
			t.Fatal("SMP with 4 families published")
		}
		// SMP's rupiah = total's − SD's, and SMP's count = its rupiah /
		// Rp375.000: one of the three must be withheld.
		var sdRp, totRp sql.NullInt64
		e.pub.R.QueryRow(`SELECT nominal_salur FROM penyaluran WHERE release = 1 AND program = 'PKH' AND komponen = 'SD' AND tingkat = 'kabupaten'`).Scan(&sdRp)
		e.pub.R.QueryRow(`SELECT nominal_salur FROM penyaluran WHERE release = 1 AND program = 'PKH' AND komponen = '' AND tingkat = 'kabupaten'`).Scan(&totRp)
		if sd == 0 && tot == 0 && sdRp.Valid && totRp.Valid {
			t.Error("SMP = total − SD for the additive measures: SD's rupiah or the total's must be withheld")
		}
	})
	t.Run("same region in penyaluran and penyaluran-demografi", func(t *testing.T) {
		e := newTestEnv(t)
		e.k = 10
		e.mustRun(Input{Path: e.write("a.csv", header+families(25, 1, vilA, "SEMBAKO", "", "P")+families(2, 300, vilA, "SEMBAKO", "", "L"))})
		var l, p sql.NullInt64
		var lw, pw int
		// Demography is published down to the province.
		q := `SELECT penerima, ditekan FROM penyaluran_demografi WHERE release = 1 AND program = 'SEMBAKO' AND tingkat = 'provinsi' AND dimensi = 'jenis_kelamin' AND kategori = ?`
		e.pub.R.QueryRow(q, "L").Scan(&l, &lw)
		e.pub.R.QueryRow(q, "P").Scan(&p, &pw)
		_, tot := cell(t, e.pub.R, `program = 'SEMBAKO' AND tingkat = 'provinsi'`)
		if lw != 1 {
			t.Fatal("2 men published")
		}
		if pw == 0 && tot == 0 {
			t.Error("L = penyaluran total − P: P or the total must be withheld")
		}
	})
}
