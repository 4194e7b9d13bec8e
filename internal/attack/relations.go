package attack

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/disclosure"
)

// rowNodes are the nodes of one penyaluran row.
type rowNodes struct {
	p, tr, g, r, s, ns, ng, nr int32
	withheld                   bool
}

// relations reads every row of release v into nodes and adds the
// relations the tables obey.
func (s *system) relations(v *view) error {
	pen, err := s.penyaluran(v)
	if err != nil {
		return err
	}
	if err := s.realisation(v, pen); err != nil {
		return err
	}
	demo, err := s.demography(v, pen)
	if err != nil {
		return err
	}
	if err := s.coverage(v, pen, demo); err != nil {
		return err
	}
	if err := s.rejections(v); err != nil {
		return err
	}
	return s.quality(v)
}

// count adds a node for measure m of row r and registers it for judging.
func (s *system) count(v *view, ds string, r row, m string, lower int64, protected bool) (int32, error) {
	pub, truth, err := s.value(v, ds, r, m)
	if err != nil {
		return 0, err
	}
	n := s.node(v, ds, v.tables[ds].name(r), m, pub, truth, lower)
	s.checks = append(s.checks, Check{Node: n, Release: v.number, Protected: protected && pub == nil})
	return n, nil
}

// amount adds a node for a rupiah measure (not judged).
func (s *system) amount(v *view, ds string, r row, m string) (int32, error) {
	pub, truth, err := s.value(v, ds, r, m)
	if err != nil {
		return 0, err
	}
	return s.node(v, ds, v.tables[ds].name(r), m, pub, truth, 0), nil
}

// implied adds a count the tables imply (Σ terms) and judges it.
func (s *system) implied(v *view, key string, terms ...disclosure.Term) int32 {
	n := s.derived(v, strings.ReplaceAll(key, "|", " "), 0, terms...)
	v.nodes[key] = n
	s.checks = append(s.checks, Check{Node: n, Release: v.number, Implied: true})
	return n
}

func (s *system) val(n int32) int64 { return s.p.Nodes[n].Value }

// sum relates a total to its parts: exactly when it holds for the true
// values (the rule the attacker knows, e.g. a family lives in one
// region), else total ≤ Σ parts and every part ≤ total (distinct families
// in parts that share some).
func (s *system) sum(total int32, parts []int32) {
	terms := []disclosure.Term{t(total, -1)}
	var sum int64
	exact := !s.unknown[total] // unknown truths are of transactions: additive
	for _, p := range parts {
		terms = append(terms, t(p, 1))
		sum += s.val(p)
		exact = exact && !s.unknown[p]
	}
	if !exact || sum == s.val(total) {
		s.eq(0, terms...)
		return
	}
	terms[0].Coef = 1
	for i := 1; i < len(terms); i++ {
		terms[i].Coef = -1
	}
	s.le(0, terms...)
	for _, p := range parts {
		s.le(0, t(p, 1), t(total, -1))
	}
}

func level(parts ...string) string { return strings.Join(parts, "|") }

// children returns, for every row of tb, the rows one level down under
// it with the same values in the columns same, when that level is shown
// at all (a level of a programme is published whole or not at all).
func children(tb *table, same []string) map[int][]int {
	byKey := map[string][]int{}
	present := map[string]bool{}
	groupOf := func(r row) string {
		var parts []string
		for _, c := range same {
			parts = append(parts, r[c])
		}
		return strings.Join(parts, "|")
	}
	for i, r := range tb.rows {
		g := groupOf(r)
		present[level(g, r["tingkat"])] = true
		byKey[level(g, r["tingkat"], parentCode(r["kode_wilayah"]))] = append(byKey[level(g, r["tingkat"], parentCode(r["kode_wilayah"]))], i)
	}
	out := map[int][]int{}
	for i, r := range tb.rows {
		cl := bansos.ChildLevel(r["tingkat"])
		if cl == "" || !present[level(groupOf(r), cl)] {
			continue
		}
		kids := byKey[level(groupOf(r), cl, r["kode_wilayah"])]
		if kids == nil {
			kids = []int{}
		}
		out[i] = kids
	}
	return out
}

func penName(periode, program, komponen, tingkat, kode string) string {
	return level(periode, program, komponen, tingkat, kode)
}

// penyaluran: per row families P, transactions T, failed G, returned R,
// paid S = T − G − R and the rupiah of each status; P ≤ T; rupiah within
// the unit amounts times the count; regions and PKH components add up.
func (s *system) penyaluran(v *view) (map[string]*rowNodes, error) {
	const ds = "penyaluran"
	tb := v.tables[ds]
	withheld := map[string]bool{}
	for _, r := range tb.rows {
		withheld[tb.name(r)] = r["ditekan"] == "1"
	}
	out := map[string]*rowNodes{}
	nodes := make([]*rowNodes, len(tb.rows))
	for i, r := range tb.rows {
		name := tb.name(r)
		lower := int64(1)
		if r["komponen"] != "" && withheld[penName(r["periode"], r["program"], "", r["tingkat"], r["kode_wilayah"])] {
			lower = 0 // a component of a withheld total may be an empty one shown withheld
		}
		rn := &rowNodes{withheld: withheld[name]}
		var err error
		if rn.p, err = s.count(v, ds, r, "penerima", lower, true); err != nil {
			return nil, err
		}
		for _, m := range []struct {
			n    *int32
			name string
		}{{&rn.tr, "transaksi"}, {&rn.g, "transaksi_gagal"}, {&rn.r, "transaksi_retur"}} {
			if *m.n, err = s.count(v, ds, r, m.name, 0, false); err != nil {
				return nil, err
			}
		}
		for _, m := range []struct {
			n    *int32
			name string
		}{{&rn.ns, "nominal_salur"}, {&rn.ng, "nominal_gagal"}, {&rn.nr, "nominal_retur"}} {
			if *m.n, err = s.amount(v, ds, r, m.name); err != nil {
				return nil, err
			}
		}
		rn.s = s.implied(v, ds+"|"+name+"|transaksi_salur", t(rn.tr, 1), t(rn.g, -1), t(rn.r, -1))
		s.implied(v, ds+"|"+name+"|transaksi_tidak_salur", t(rn.g, 1), t(rn.r, 1))
		s.le(0, t(rn.p, 1), t(rn.tr, -1))
		for _, st := range []struct {
			count, rp int32
			status    string
		}{{rn.s, rn.ns, "SALUR"}, {rn.g, rn.ng, "GAGAL"}, {rn.r, rn.nr, "RETUR"}} {
			a, ok := s.amounts[level(r["periode"], r["program"], r["komponen"], st.status)]
			if !ok {
				continue
			}
			s.le(0, t(st.count, a[0]), t(st.rp, -1))
			s.le(0, t(st.rp, 1), t(st.count, -a[1]))
		}
		nodes[i] = rn
		out[name] = rn
	}
	// Regions add up, per programme and component.
	for i, kids := range children(tb, []string{"periode", "program", "komponen"}) {
		p := nodes[i]
		for _, f := range []func(*rowNodes) int32{
			func(n *rowNodes) int32 { return n.p }, func(n *rowNodes) int32 { return n.tr },
			func(n *rowNodes) int32 { return n.g }, func(n *rowNodes) int32 { return n.r },
			func(n *rowNodes) int32 { return n.ns }, func(n *rowNodes) int32 { return n.ng },
			func(n *rowNodes) int32 { return n.nr },
		} {
			var parts []int32
			for _, k := range kids {
				parts = append(parts, f(nodes[k]))
			}
			s.sum(f(p), parts)
		}
	}
	// PKH is the sum of its components (families: some have two).
	compLevel := map[string]bool{}
	for _, r := range tb.rows {
		if r["komponen"] != "" {
			compLevel[level(r["periode"], r["program"], r["tingkat"])] = true
		}
	}
	comps := map[string][]*rowNodes{}
	for i, r := range tb.rows {
		if r["komponen"] != "" {
			k := penName(r["periode"], r["program"], "", r["tingkat"], r["kode_wilayah"])
			comps[k] = append(comps[k], nodes[i])
		}
	}
	for i, r := range tb.rows {
		if r["komponen"] != "" || !compLevel[level(r["periode"], r["program"], r["tingkat"])] {
			continue
		}
		parts := comps[tb.name(r)]
		for _, f := range []func(*rowNodes) int32{
			func(n *rowNodes) int32 { return n.p }, func(n *rowNodes) int32 { return n.tr },
			func(n *rowNodes) int32 { return n.g }, func(n *rowNodes) int32 { return n.r },
			func(n *rowNodes) int32 { return n.ns }, func(n *rowNodes) int32 { return n.ng },
			func(n *rowNodes) int32 { return n.nr },
		} {
			var ps []int32
			for _, c := range parts {
				ps = append(ps, f(c))
			}
			s.sum(f(nodes[i]), ps)
		}
	}
	return out, nil
}

// realisation: families paid Ps ≤ families and ≤ paid transactions; the
// families paid nothing have a failed or returned transaction; regions
// add up; its rupiah are penyaluran's.
func (s *system) realisation(v *view, pen map[string]*rowNodes) error {
	const ds = "realisasi"
	tb := v.tables[ds]
	nodes := make([]int32, len(tb.rows))
	for i, r := range tb.rows {
		ps, err := s.count(v, ds, r, "penerima_salur", 0, false)
		if err != nil {
			return err
		}
		nodes[i] = ps
		rn := pen[penName(r["periode"], r["program"], "", r["tingkat"], r["kode_wilayah"])]
		if rn == nil {
			s.le(0, t(ps, 1)) // no families, none paid
			continue
		}
		pub, truth, err := s.value(v, ds, r, "nominal_salur")
		if err != nil {
			return err
		}
		if pub != nil {
			s.eq(*pub, t(rn.ns, 1))
		} else if truth != s.val(rn.ns) {
			return fmt.Errorf("attack: release %d realisasi %s: rupiah differ from penyaluran", v.number, tb.name(r))
		}
		s.le(0, t(ps, 1), t(rn.p, -1))
		s.le(0, t(ps, 1), t(rn.s, -1))
		s.le(0, t(rn.p, 1), t(ps, -1), t(rn.g, -1), t(rn.r, -1))
		s.implied(v, ds+"|"+tb.name(r)+"|tanpa_salur", t(rn.p, 1), t(ps, -1))
	}
	for i, kids := range children(tb, []string{"periode", "program"}) {
		var parts []int32
		for _, k := range kids {
			parts = append(parts, nodes[k])
		}
		s.sum(nodes[i], parts)
	}
	return nil
}

type demoNodes struct{ p, ns int32 }

// demography: per programme and region, the categories of each
// dimension add up to the region's families and rupiah; regions add up.
func (s *system) demography(v *view, pen map[string]*rowNodes) (map[string]demoNodes, error) {
	const ds = "penyaluran-demografi"
	tb := v.tables[ds]
	out := map[string]demoNodes{}
	nodes := make([]demoNodes, len(tb.rows))
	groups := map[string][]int{}
	for i, r := range tb.rows {
		total := pen[penName(r["periode"], r["program"], "", r["tingkat"], r["kode_wilayah"])]
		lower := int64(1)
		if total == nil || total.withheld {
			lower = 0 // categories of a withheld total are all shown, empty ones too
		}
		p, err := s.count(v, ds, r, "penerima", lower, true)
		if err != nil {
			return nil, err
		}
		ns, err := s.amount(v, ds, r, "nominal_salur")
		if err != nil {
			return nil, err
		}
		nodes[i] = demoNodes{p, ns}
		out[tb.name(r)] = nodes[i]
		g := level(r["periode"], r["program"], r["tingkat"], r["kode_wilayah"], r["dimensi"])
		groups[g] = append(groups[g], i)
	}
	for _, rows := range groups {
		r := tb.rows[rows[0]]
		total := pen[penName(r["periode"], r["program"], "", r["tingkat"], r["kode_wilayah"])]
		if total == nil {
			continue
		}
		var ps, ns []int32
		for _, i := range rows {
			ps = append(ps, nodes[i].p)
			ns = append(ns, nodes[i].ns)
		}
		s.sum(total.p, ps)
		s.sum(total.ns, ns)
	}
	for i, kids := range children(tb, []string{"periode", "program", "dimensi", "kategori"}) {
		var ps, ns []int32
		for _, k := range kids {
			ps = append(ps, nodes[k].p)
			ns = append(ns, nodes[k].ns)
		}
		s.sum(nodes[i].p, ps)
		s.sum(nodes[i].ns, ns)
	}
	return out, nil
}

// coverage: families reached per decile (the demography's decile where
// it shows the region), the DTSEN families per decile, regions add up,
// SEMUA is at least each programme and at most their sum.
func (s *system) coverage(v *view, pen map[string]*rowNodes, demo map[string]demoNodes) error {
	const ds = "cakupan-desil"
	tb := v.tables[ds]
	nodes := make([]int32, len(tb.rows))
	dtsen := map[string]int32{}
	perRegion := map[string][]int32{} // periode|program|tingkat|kode → deciles
	semua := map[string][]int32{}     // periode|tingkat|kode|desil → programmes
	semuaRow := map[string]int32{}
	for i, r := range tb.rows {
		total := pen[penName(r["periode"], r["program"], "", r["tingkat"], r["kode_wilayah"])]
		lower := int64(1)
		if r["program"] == bansos.AllPrograms || total == nil || total.withheld {
			lower = 0
		}
		pc, err := s.count(v, ds, r, "penerima", lower, true)
		if err != nil {
			return err
		}
		nodes[i] = pc
		// The registry's families do not depend on the programme.
		pub, truth, err := s.value(v, ds, r, "keluarga_dtsen")
		if err != nil {
			return err
		}
		kname := level(r["periode"], r["tingkat"], r["kode_wilayah"], r["desil"])
		kn := s.node(v, ds, level("DTSEN", kname), "keluarga_dtsen", pub, truth, 0)
		if _, ok := dtsen[kname]; !ok {
			s.checks = append(s.checks, Check{Node: kn, Release: v.number})
		}
		dtsen[kname] = kn
		if d, ok := demo[level(r["periode"], r["program"], r["tingkat"], r["kode_wilayah"], "desil", r["desil"])]; ok && s.val(d.p) == s.val(pc) {
			s.eq(0, t(pc, 1), t(d.p, -1))
		}
		region := level(r["periode"], r["program"], r["tingkat"], r["kode_wilayah"])
		if r["program"] == bansos.AllPrograms {
			semuaRow[kname] = pc
		} else {
			perRegion[region] = append(perRegion[region], pc)
			semua[kname] = append(semua[kname], pc)
		}
	}
	for region, ps := range perRegion {
		parts := strings.Split(region, "|")
		if total := pen[penName(parts[0], parts[1], "", parts[2], parts[3])]; total != nil {
			var terms []disclosure.Term
			for _, p := range ps {
				terms = append(terms, t(p, 1))
			}
			s.le(0, append(terms, t(total.p, -1))...)
		}
	}
	for kname, all := range semuaRow {
		terms := []disclosure.Term{t(all, 1)}
		var sum int64
		for _, p := range semua[kname] {
			s.le(0, t(p, 1), t(all, -1))
			terms = append(terms, t(p, -1))
			sum += s.val(p)
		}
		if s.val(all) <= sum { // where every programme is shown
			s.le(0, terms...)
		}
	}
	for i, kids := range children(tb, []string{"periode", "program", "desil"}) {
		var parts []int32
		for _, k := range kids {
			parts = append(parts, nodes[k])
		}
		s.sum(nodes[i], parts)
	}
	// The registry adds up too.
	byParent := map[string][]int32{}
	for kname, n := range dtsen {
		f := strings.Split(kname, "|")
		if f[1] != "nasional" {
			up := bansos.ParentLevel(f[1])
			byParent[level(f[0], up, parentCode(f[2]), f[3])] = append(byParent[level(f[0], up, parentCode(f[2]), f[3])], n)
		}
	}
	for kname, n := range dtsen {
		if kids, ok := byParent[kname]; ok {
			s.sum(n, kids)
		}
	}
	return nil
}

// rejections: regions add up, SEMUA is the sum of the programmes.
func (s *system) rejections(v *view) error {
	const ds = "ketepatan-sasaran"
	tb := v.tables[ds]
	nodes := make([]int32, len(tb.rows))
	byProg := map[string][]int32{}
	semua := map[string]int32{}
	for i, r := range tb.rows {
		n, err := s.count(v, ds, r, "jumlah", 1, true)
		if err != nil {
			return err
		}
		nodes[i] = n
		k := level(r["periode"], r["tingkat"], r["kode_wilayah"], r["alasan"])
		if r["program"] == bansos.AllPrograms {
			semua[k] = n
		} else {
			byProg[k] = append(byProg[k], n)
		}
	}
	for k, all := range semua {
		s.sum(all, byProg[k])
	}
	for i, kids := range children(tb, []string{"periode", "program", "alasan"}) {
		var parts []int32
		for _, k := range kids {
			parts = append(parts, nodes[k])
		}
		s.sum(nodes[i], parts)
	}
	return nil
}

// quality: counts of quarantined rows, no relation between them.
func (s *system) quality(v *view) error {
	const ds = "kualitas-data"
	for _, r := range v.tables[ds].rows {
		if _, err := s.count(v, ds, r, "jumlah", 1, true); err != nil {
			return err
		}
	}
	return nil
}

// differences: a count never shrinks from one release to the next, and
// what it gained is a count of its own.
func (s *system) differences(prev, cur *view) {
	for _, key := range slices.Sorted(maps.Keys(cur.nodes)) {
		n := cur.nodes[key]
		o, ok := prev.nodes[key]
		if !ok || implied[lastField(key)] {
			continue // an implied count may shrink: families unpaid get paid
		}
		s.le(0, t(o, 1), t(n, -1))
		if isCount(key) {
			s.implied(cur, key+"|bertambah", t(n, 1), t(o, -1))
		}
	}
}

func isCount(key string) bool {
	return !strings.Contains(key, "|nominal_") && !strings.HasSuffix(key, "|bertambah")
}

// implied are the measures of the counts the tables imply.
var implied = map[string]bool{"transaksi_salur": true, "transaksi_tidak_salur": true, "tanpa_salur": true}

func lastField(key string) string { return key[strings.LastIndexByte(key, '|')+1:] }
