package aggregator

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/disclosure"
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
		_, smp := cell(t, e.pub.R, `program = 'PKH' AND komponen = 'SMP' AND tingkat = 'kecamatan'`)
		_, sd := cell(t, e.pub.R, `program = 'PKH' AND komponen = 'SD' AND tingkat = 'kecamatan'`)
		_, tot := cell(t, e.pub.R, `program = 'PKH' AND komponen = '' AND tingkat = 'kecamatan'`)
		if smp != 1 {
			t.Fatal("SMP with 4 families published")
		}
		if sd == 0 && tot == 0 {
			t.Error("SMP = total − SD for the additive measures: SD or the total must be withheld")
		}
	})
	t.Run("same region in penyaluran and penyaluran-demografi", func(t *testing.T) {
		e := newTestEnv(t)
		e.k = 10
		e.mustRun(Input{Path: e.write("a.csv", header+families(25, 1, vilA, "SEMBAKO", "", "P")+families(2, 300, vilA, "SEMBAKO", "", "L"))})
		var l, p sql.NullInt64
		var lw, pw int
		q := `SELECT penerima, ditekan FROM penyaluran_demografi WHERE release = 1 AND program = 'SEMBAKO' AND tingkat = 'kecamatan' AND dimensi = 'jenis_kelamin' AND kategori = ?`
		e.pub.R.QueryRow(q, "L").Scan(&l, &lw)
		e.pub.R.QueryRow(q, "P").Scan(&p, &pw)
		_, tot := cell(t, e.pub.R, `program = 'SEMBAKO' AND tingkat = 'kecamatan'`)
		if lw != 1 {
			t.Fatal("2 men published")
		}
		if pw == 0 && tot == 0 {
			t.Error("L = penyaluran total − P: P or the total must be withheld")
		}
	})
}

// TestDisclosureOnGeneratedRelease checks a release built from generated
// data with many small cells, reading only what was published: no
// published count in 1..k-1, every additive relation of the published
// tables has 0 or ≥ 2 withheld cells, and the audit — run on relations
// rebuilt here from the published rows, independently of the aggregator's
// own problem builder — finds nothing recomputable. Then it breaks the
// suppression on purpose and checks that the audit notices.
func TestDisclosureOnGeneratedRelease(t *testing.T) {
	for _, seed := range []uint64{21, 22} {
		dir, _ := generate(t, 20000, seed)
		e := newTestEnv(t)
		e.k = 10
		e.mustRun(generatedInputs(dir)...)
		p, names := publishedProblem(t, e.pub.R, 1)
		for i, c := range p.Count {
			if !p.Status[i].Withheld() && c > 0 && c < int64(e.k) {
				t.Errorf("published cell %s has count %d < k", names[i], c)
			}
		}
		for _, r := range p.Relations {
			n := 0
			for _, x := range append([]int32{r.Total}, r.Parts...) {
				if p.Status[x].Withheld() {
					n++
				}
			}
			if n == 1 {
				t.Errorf("relation with total %s has exactly one withheld cell", names[r.Total])
			}
		}
		bad, err := disclosure.Audit(p)
		if err != nil || len(bad) > 0 {
			t.Fatalf("audit of the published release: %d recomputable (%v), e.g. %s", len(bad), err, names[bad[0]])
		}
		// Publish one withheld cell that protects another: the audit must
		// catch the now recomputable cell.
		broken, tried := false, 0
		for i, s := range p.Status {
			if s.Withheld() && tried < 500 {
				tried++
				p.Status[i] = disclosure.Published
				if bad, _ := disclosure.Audit(p); len(bad) > 0 {
					broken = true
					break
				}
				p.Status[i] = s
			}
		}
		if !broken {
			t.Error("publishing any one withheld cell never exposed another: the audit could not be tested")
		}
	}
}

// publishedProblem rebuilds the disclosure problem from published rows:
// one node per row, relations from the codes (a region's parent is its
// code without the last segment).
func publishedProblem(t *testing.T, db *sql.DB, rel int) (*disclosure.Problem, []string) {
	t.Helper()
	p := &disclosure.Problem{}
	var names []string
	node := map[string]int32{}
	add := func(key string, count sql.NullInt64, ditekan int) {
		node[key] = int32(len(p.Count))
		names = append(names, key)
		st := disclosure.Published
		c := count.Int64
		if ditekan == 1 {
			st = disclosure.Primary // withheld; the audit does not care why
			c = 1
		}
		p.Count = append(p.Count, c)
		p.Status = append(p.Status, st)
	}
	parent := func(code string) string {
		if i := strings.LastIndexByte(code, '.'); i >= 0 {
			return code[:i]
		}
		if code != "" {
			return ""
		}
		return "-"
	}
	rows, _ := db.Query(`SELECT periode, program, komponen, kode_wilayah, penerima, ditekan FROM penyaluran WHERE release = ?`, rel)
	var keys [][4]string
	for rows.Next() {
		var per, prog, komp, kode string
		var pen sql.NullInt64
		var dt int
		rows.Scan(&per, &prog, &komp, &kode, &pen, &dt)
		add("D|"+per+"|"+prog+"|"+komp+"|"+kode, pen, dt)
		keys = append(keys, [4]string{per, prog, komp, kode})
	}
	rows.Close()
	rel2 := map[int32][]int32{}
	for _, k := range keys {
		me := node["D|"+k[0]+"|"+k[1]+"|"+k[2]+"|"+k[3]]
		if pk := parent(k[3]); pk != "-" {
			if par, ok := node["D|"+k[0]+"|"+k[1]+"|"+k[2]+"|"+pk]; ok {
				rel2[par] = append(rel2[par], me)
			} else {
				t.Fatalf("penyaluran %v has no parent row", k)
			}
		}
		if k[2] != "" {
			rel2[node["D|"+k[0]+"|"+k[1]+"||"+k[3]]] = append(rel2[node["D|"+k[0]+"|"+k[1]+"||"+k[3]]], -1-me) // component relation, marked
		}
	}
	rows, _ = db.Query(`SELECT periode, program, kode_wilayah, dimensi, kategori, penerima, ditekan FROM penyaluran_demografi WHERE release = ?`, rel)
	type dk struct{ per, prog, kode, dim, cat string }
	var dks []dk
	for rows.Next() {
		var d dk
		var pen sql.NullInt64
		var dt int
		rows.Scan(&d.per, &d.prog, &d.kode, &d.dim, &d.cat, &pen, &dt)
		add("G|"+d.per+"|"+d.prog+"|"+d.kode+"|"+d.dim+"|"+d.cat, pen, dt)
		dks = append(dks, d)
	}
	rows.Close()
	dimRel := map[string][]int32{}
	for _, d := range dks {
		me := node["G|"+d.per+"|"+d.prog+"|"+d.kode+"|"+d.dim+"|"+d.cat]
		if pk := parent(d.kode); pk != "-" {
			rel2[node["G|"+d.per+"|"+d.prog+"|"+pk+"|"+d.dim+"|"+d.cat]] = append(rel2[node["G|"+d.per+"|"+d.prog+"|"+pk+"|"+d.dim+"|"+d.cat]], me)
		}
		dimRel[d.per+"|"+d.prog+"|"+d.kode+"|"+d.dim] = append(dimRel[d.per+"|"+d.prog+"|"+d.kode+"|"+d.dim], me)
	}
	rows, _ = db.Query(`SELECT periode, program, kode_wilayah, alasan, jumlah, ditekan FROM ketepatan_sasaran WHERE release = ?`, rel)
	var rks [][4]string
	for rows.Next() {
		var per, prog, kode, al string
		var j sql.NullInt64
		var dt int
		rows.Scan(&per, &prog, &kode, &al, &j, &dt)
		add("R|"+per+"|"+prog+"|"+kode+"|"+al, j, dt)
		rks = append(rks, [4]string{per, prog, kode, al})
	}
	rows.Close()
	for _, k := range rks {
		if pk := parent(k[2]); pk != "-" {
			par := node["R|"+k[0]+"|"+k[1]+"|"+pk+"|"+k[3]]
			rel2[par] = append(rel2[par], node["R|"+k[0]+"|"+k[1]+"|"+k[2]+"|"+k[3]])
		}
	}
	// realisasi: its hierarchy, and each row is its penyaluran programme
	// total (the same nominal_salur).
	rows, _ = db.Query(`SELECT periode, program, kode_wilayah, penerima_salur, ditekan FROM realisasi WHERE release = ?`, rel)
	var zks [][3]string
	for rows.Next() {
		var per, prog, kode string
		var n sql.NullInt64
		var dt int
		rows.Scan(&per, &prog, &kode, &n, &dt)
		add("Z|"+per+"|"+prog+"|"+kode, n, dt)
		zks = append(zks, [3]string{per, prog, kode})
	}
	rows.Close()
	for _, k := range zks {
		me := node["Z|"+k[0]+"|"+k[1]+"|"+k[2]]
		if pk := parent(k[2]); pk != "-" {
			par := node["Z|"+k[0]+"|"+k[1]+"|"+pk]
			rel2[par] = append(rel2[par], me)
		}
		if d, ok := node["D|"+k[0]+"|"+k[1]+"||"+k[2]]; ok {
			p.Relations = append(p.Relations, disclosure.Relation{Total: me, Parts: []int32{d}})
		}
	}
	// cakupan-desil: a programme's row is its demography decile cell;
	// SEMUA rows follow the hierarchy.
	rows, _ = db.Query(`SELECT periode, program, kode_wilayah, desil, penerima, ditekan FROM cakupan_desil WHERE release = ?`, rel)
	var cks [][4]string
	for rows.Next() {
		var per, prog, kode, dec string
		var n sql.NullInt64
		var dt int
		rows.Scan(&per, &prog, &kode, &dec, &n, &dt)
		add("C|"+per+"|"+prog+"|"+kode+"|"+dec, n, dt)
		cks = append(cks, [4]string{per, prog, kode, dec})
	}
	rows.Close()
	for _, k := range cks {
		me := node["C|"+k[0]+"|"+k[1]+"|"+k[2]+"|"+k[3]]
		if k[1] != "SEMUA" {
			if g, ok := node["G|"+k[0]+"|"+k[1]+"|"+k[2]+"|desil|"+k[3]]; ok {
				p.Relations = append(p.Relations, disclosure.Relation{Total: me, Parts: []int32{g}})
			}
			continue
		}
		if pk := parent(k[2]); pk != "-" {
			par := node["C|"+k[0]+"|"+k[1]+"|"+pk+"|"+k[3]]
			rel2[par] = append(rel2[par], me)
		}
	}
	for total, parts := range rel2 {
		var hier, comp []int32
		for _, x := range parts {
			if x < 0 {
				comp = append(comp, -1-x)
			} else {
				hier = append(hier, x)
			}
		}
		for _, ps := range [][]int32{hier, comp} {
			if len(ps) > 0 {
				p.Relations = append(p.Relations, disclosure.Relation{Total: total, Parts: ps})
			}
		}
	}
	for key, parts := range dimRel {
		f := strings.Split(key, "|")
		if total, ok := node["D|"+f[0]+"|"+f[1]+"||"+f[2]]; ok {
			p.Relations = append(p.Relations, disclosure.Relation{Total: total, Parts: parts})
		} else {
			t.Fatalf("demography %s has no penyaluran total", key)
		}
	}
	return p, names
}
