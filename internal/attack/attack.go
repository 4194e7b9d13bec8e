// Package attack is the outsider of docs/disclosure.md ("The attacker"):
// it reads nothing but the public CSV files of every release, builds the
// system of relations the published tables obey, and narrows every
// withheld count with integer bound propagation. Tests and bench/attack.sh
// run it against generated releases; a finding is a disclosure.
//
// It is written from the public side on purpose: it knows the datasets'
// columns and the rules stated in docs/ (a region is the sum of its
// sub-regions, a PKH total of its components for transactions and rupiah,
// the categories of a demography dimension sum to the region's families,
// counts never shrink from one release to the next, a withheld row shown
// on a page holds at least one family unless it is a part of a withheld
// row), not how the aggregator protects them.
package attack

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/portal-data-bansos/portal/internal/disclosure"
)

// Release is one release as downloaded: dataset slug → CSV body.
type Release struct {
	Number int
	Files  map[string][]byte
	// HeldBack lists the quarters (periode) the release shows as the
	// previous one did (its disclosure report's quarters_held_back): their
	// true values are the previous release's.
	HeldBack []string
}

// Amounts are the programmes' unit amounts the attacker knows: for
// "periode|program|komponen|status" (komponen empty for a programme
// without components, status SALUR, GAGAL or RETUR) the smallest and
// largest amount of one transaction.
type Amounts map[string][2]int64

// Finding is one count the attacker learns too much about.
type Finding struct {
	Release int
	Node    string // dataset, row and measure
	Kind    string // "pinned", "narrow", "small-published", "small-exposed"
	Lo, Hi  int64
	Truth   int64
}

func (f Finding) String() string {
	hi := strconv.FormatInt(f.Hi, 10)
	if f.Hi == disclosure.NoUpper {
		hi = "∞"
	}
	return fmt.Sprintf("release %d %s: %s, attacker knows [%d, %s], true %d", f.Release, f.Node, f.Kind, f.Lo, hi, f.Truth)
}

// Result is what an attack found.
type Result struct {
	Nodes, Withheld, Constraints int
	Findings                     []Finding
	// Inconsistent counts withheld counts whose true value fell outside
	// the attacker's interval: the attacker's model of the tables is
	// wrong there (a rule the files do not follow), so its conclusions
	// about them mean nothing. It must be 0 for the attack to count.
	Inconsistent []string
	// Problem is the system solved, for an LP of one's own (see Export).
	Problem *disclosure.Problem
	Names   []string
	// Checked lists the nodes whose interval is judged, with their kind
	// (not those whose true value is unknown).
	Checked []Check
}

// Check is one node the attack judges.
type Check struct {
	Node      int32 `json:"node"`
	Release   int   `json:"release"`
	Protected bool  `json:"protected"` // a withheld row's protected count: k wide whatever its value
	// Implied counts are no cell's measure but follow from them (paid
	// transactions, families paid nothing, what a count gained since the
	// previous release): only their smallness is protected.
	Implied bool `json:"implied"`
}

// Run attacks the releases (oldest first) at threshold k. truth holds the
// same releases published without protection (k = 1): the true values,
// used only to score the attack, never by it.
func Run(rels, truth []Release, amounts Amounts, k int) (*Result, error) {
	if len(rels) != len(truth) {
		return nil, fmt.Errorf("attack: %d releases but %d true ones", len(rels), len(truth))
	}
	s := &system{amounts: amounts, unknown: map[int32]bool{}}
	var prev *view
	for i := range rels {
		v, err := s.read(rels[i], truth[i], prev)
		if err != nil {
			return nil, err
		}
		if err := s.relations(v); err != nil {
			return nil, err
		}
		if prev != nil {
			s.differences(prev, v)
		}
		prev = v
	}
	return s.judge(int64(k)), nil
}

// row is one CSV row: its columns by name.
type row map[string]string

// table is one dataset of one release.
type table struct {
	rows []row
	key  []string // the columns that name a row
}

func parse(name string, body []byte, key []string) (*table, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("attack: %s: header: %w", name, err)
	}
	t := &table{key: key}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("attack: %s: %w", name, err)
		}
		rw := row{}
		for i, h := range head {
			rw[h] = rec[i]
		}
		t.rows = append(t.rows, rw)
	}
	return t, nil
}

func (t *table) name(r row) string {
	var parts []string
	for _, c := range t.key {
		parts = append(parts, r[c])
	}
	return strings.Join(parts, "|")
}

// The datasets and the columns naming their rows.
var keys = map[string][]string{
	"penyaluran":           {"periode", "program", "komponen", "tingkat", "kode_wilayah"},
	"penyaluran-demografi": {"periode", "program", "tingkat", "kode_wilayah", "dimensi", "kategori"},
	"realisasi":            {"periode", "program", "tingkat", "kode_wilayah"},
	"cakupan-desil":        {"periode", "program", "tingkat", "kode_wilayah", "desil"},
	"ketepatan-sasaran":    {"periode", "program", "tingkat", "kode_wilayah", "alasan"},
	"kualitas-data":        {"periode", "alasan"},
}

// Datasets are the slugs a Release must hold.
func Datasets() []string {
	out := make([]string, 0, len(keys))
	for k := range keys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// view is one release read into the system.
type view struct {
	number int
	tables map[string]*table
	truth  map[string]map[string]row // dataset → row name → true row
	// node of dataset|row|measure.
	nodes map[string]int32
	// levels present: dataset|periode|program|komponen-or-dimension|tingkat.
	levels map[string]bool
}

type system struct {
	p       disclosure.Problem
	names   []string
	amounts Amounts
	checks  []Check
	rel     []int // release of each node
	// unknown marks nodes whose true value is unknown (see unknownValue).
	unknown map[int32]bool
}

// node returns the node of (release, dataset, row, measure), creating it
// with the published value (nil: withheld) and lower bound.
func (s *system) node(v *view, ds, rowName, measure string, pub *int64, truth int64, lower int64) int32 {
	key := fmt.Sprintf("%s|%s|%s", ds, rowName, measure)
	if n, ok := v.nodes[key]; ok {
		nd := &s.p.Nodes[n]
		if pub != nil && s.p.Units[nd.Unit].Status.Withheld() {
			s.p.Units[nd.Unit].Status = disclosure.Published
		}
		nd.Lower = max(nd.Lower, min(lower, nd.Value))
		return n
	}
	n := int32(len(s.p.Nodes))
	st := disclosure.Primary
	val := truth
	if pub != nil {
		st = disclosure.Published
		val = *pub
	}
	s.p.Units = append(s.p.Units, disclosure.Unit{Status: st})
	lo := min(lower, val)
	if val == unknownValue {
		lo = lower
		s.unknown[n] = true
	}
	s.p.Nodes = append(s.p.Nodes, disclosure.Node{Value: val, Lower: lo, Upper: disclosure.NoUpper, Unit: int32(len(s.p.Units) - 1)})
	s.names = append(s.names, fmt.Sprintf("%s %s %s", ds, strings.ReplaceAll(rowName, "|", " "), measure))
	s.rel = append(s.rel, v.number)
	v.nodes[key] = n
	return n
}

func (s *system) eq(rhs int64, terms ...disclosure.Term) {
	s.p.Constraints = append(s.p.Constraints, disclosure.Constraint{Terms: terms, Op: disclosure.Eq, RHS: rhs})
}

func (s *system) le(rhs int64, terms ...disclosure.Term) {
	s.p.Constraints = append(s.p.Constraints, disclosure.Constraint{Terms: terms, Op: disclosure.Le, RHS: rhs})
}

func t(n int32, c int64) disclosure.Term { return disclosure.Term{Node: n, Coef: c} }

// derived adds a node for Σ terms (a count the tables imply), true value
// computed from the terms.
func (s *system) derived(v *view, name string, lower int64, terms ...disclosure.Term) int32 {
	var val int64
	n := int32(len(s.p.Nodes))
	for _, x := range terms {
		val += x.Coef * s.p.Nodes[x.Node].Value
		if s.unknown[x.Node] {
			s.unknown[n] = true
		}
	}
	if s.unknown[n] {
		val = unknownValue
	}
	s.p.Units = append(s.p.Units, disclosure.Unit{Status: disclosure.Primary})
	lo := min(lower, val)
	if s.unknown[n] {
		lo = lower
	}
	s.p.Nodes = append(s.p.Nodes, disclosure.Node{Value: val, Lower: lo, Upper: disclosure.NoUpper, Unit: int32(len(s.p.Units) - 1)})
	s.names = append(s.names, name)
	s.rel = append(s.rel, v.number)
	s.eq(0, append([]disclosure.Term{t(n, -1)}, terms...)...)
	return n
}

func num(s string) (*int64, error) {
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// read parses a release and its true twin and creates the nodes of every
// count and amount.
func (s *system) read(rel, tru Release, prev *view) (*view, error) {
	v := &view{number: rel.Number, tables: map[string]*table{}, truth: map[string]map[string]row{}, nodes: map[string]int32{}, levels: map[string]bool{}}
	for ds, key := range keys {
		body, ok := rel.Files[ds]
		if !ok {
			return nil, fmt.Errorf("attack: release %d has no %s", rel.Number, ds)
		}
		tb, err := parse(ds, body, key)
		if err != nil {
			return nil, err
		}
		v.tables[ds] = tb
		tt, err := parse(ds, tru.Files[ds], key)
		if err != nil {
			return nil, err
		}
		v.truth[ds] = map[string]row{}
		held := func(r row) bool { return prev != nil && slices.Contains(rel.HeldBack, r["periode"]) }
		for _, r := range tt.rows {
			if !held(r) {
				v.truth[ds][tt.name(r)] = r
			}
		}
		if prev != nil {
			for name, r := range prev.truth[ds] {
				if held(r) {
					v.truth[ds][name] = r
				}
			}
		}
	}
	return v, nil
}

// value reads measure m of row r of ds: the published value (nil when
// withheld) and the true one.
func (s *system) value(v *view, ds string, r row, m string) (*int64, int64, error) {
	tb := v.tables[ds]
	pub, err := num(r[m])
	if err != nil {
		return nil, 0, fmt.Errorf("attack: release %d %s %s %s: %w", v.number, ds, tb.name(r), m, err)
	}
	if pub != nil {
		return pub, *pub, nil
	}
	// A withheld row absent from the true release is a zero shown
	// withheld beside its withheld total.
	tr, ok := v.truth[ds][tb.name(r)]
	truth, err := num(tr[m])
	if err != nil {
		return nil, 0, fmt.Errorf("attack: true release %d %s %s %s: %w", v.number, ds, tb.name(r), m, err)
	}
	if !ok {
		return nil, 0, nil
	}
	if truth == nil {
		// A measure no release shows for such a row (transactions
		// below the province): its true value is unknown here too.
		return nil, unknownValue, nil
	}
	return nil, *truth, nil
}

// unknownValue stands for a true value the unprotected release does not
// show either; nodes holding it are not judged.
const unknownValue = -1 << 40

func parentCode(code string) string {
	if i := strings.LastIndexByte(code, '.'); i >= 0 {
		return code[:i]
	}
	return ""
}

// judge narrows every node by bound propagation and scores the checks.
func (s *system) judge(k int64) *Result {
	iv := disclosure.Attack(&s.p)
	res := &Result{Nodes: len(s.p.Nodes), Constraints: len(s.p.Constraints), Problem: &s.p, Names: s.names}
	for _, c := range s.checks {
		if !s.unknown[c.Node] {
			res.Checked = append(res.Checked, c)
		}
	}
	seen := map[int32]bool{}
	for _, c := range s.checks {
		if seen[c.Node] || s.unknown[c.Node] {
			continue
		}
		seen[c.Node] = true
		nd := &s.p.Nodes[c.Node]
		truth := nd.Value
		f := Finding{Release: c.Release, Node: s.names[c.Node], Truth: truth, Lo: iv[c.Node].Lo, Hi: iv[c.Node].Hi}
		small := truth > 0 && truth < k
		if !s.p.Units[nd.Unit].Status.Withheld() {
			if small {
				f.Kind = "small-published"
				res.Findings = append(res.Findings, f)
			}
			continue
		}
		res.Withheld++
		if truth < f.Lo || (f.Hi != disclosure.NoUpper && truth > f.Hi) {
			res.Inconsistent = append(res.Inconsistent, f.String())
			continue
		}
		width := int64(disclosure.NoUpper)
		if f.Hi != disclosure.NoUpper {
			width = f.Hi - f.Lo
		}
		switch {
		case width == 0 && truth != 0 && !c.Implied:
			f.Kind = "pinned"
		case c.Protected && truth != 0 && width < k:
			f.Kind = "narrow"
		case small && f.Lo > 0 && width < k:
			f.Kind = "small-exposed"
		default:
			continue
		}
		res.Findings = append(res.Findings, f)
	}
	return res
}

// Explain lists the relations of the node named name with every term's
// interval after the attack: how the attacker narrowed it.
func (r *Result) Explain(name string) []string {
	iv := disclosure.Attack(r.Problem)
	var out []string
	for ci, c := range r.Problem.Constraints {
		found := false
		for _, x := range c.Terms {
			if r.Names[x.Node] == name {
				found = true
			}
		}
		if !found {
			continue
		}
		op := "="
		if c.Op == disclosure.Le {
			op = "≤"
		}
		var b strings.Builder
		fmt.Fprintf(&b, "c%d:", ci)
		for _, x := range c.Terms {
			fmt.Fprintf(&b, " %+d×[%s ∈ [%d,%d] true %d]", x.Coef, r.Names[x.Node], iv[x.Node].Lo, iv[x.Node].Hi, r.Problem.Nodes[x.Node].Value)
		}
		fmt.Fprintf(&b, " %s %d", op, c.RHS)
		out = append(out, b.String())
	}
	return out
}

// Export writes the attacker's system as JSON for a solver of one's own
// (internal/attack/lp.py): every node with its bounds, and its value
// where published; every relation; the nodes judged.
func (r *Result) Export(w io.Writer, k int) error {
	type node struct {
		Name  string `json:"name"`
		Pub   bool   `json:"pub"`
		Value int64  `json:"value"` // published value, or the truth that scores the attack
		Lo    int64  `json:"lo"`
		Hi    *int64 `json:"hi"`
	}
	type con struct {
		Terms [][2]int64 `json:"terms"`
		Eq    bool       `json:"eq"`
		RHS   int64      `json:"rhs"`
	}
	out := struct {
		K       int     `json:"k"`
		Nodes   []node  `json:"nodes"`
		Cons    []con   `json:"constraints"`
		Checked []Check `json:"checked"`
	}{K: k, Checked: r.Checked}
	for i, n := range r.Problem.Nodes {
		nd := node{Name: r.Names[i], Pub: !r.Problem.Units[n.Unit].Status.Withheld(), Value: n.Value, Lo: n.Lower}
		if n.Upper != disclosure.NoUpper {
			hi := n.Upper
			nd.Hi = &hi
		}
		out.Nodes = append(out.Nodes, nd)
	}
	for _, c := range r.Problem.Constraints {
		cc := con{Eq: c.Op == disclosure.Eq, RHS: c.RHS}
		for _, x := range c.Terms {
			cc.Terms = append(cc.Terms, [2]int64{int64(x.Node), x.Coef})
		}
		out.Cons = append(out.Cons, cc)
	}
	return json.NewEncoder(w).Encode(out)
}
