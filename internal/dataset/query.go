package dataset

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/region"
)

// MaxLimit is the largest page a query may ask for; DefaultLimit the page
// size when none is given.
const (
	MaxLimit     = 10000
	DefaultLimit = 100
)

// SortKey is one column of an ordering.
type SortKey struct {
	Col  string
	Desc bool
}

// Query selects rows of one dataset in one release.
type Query struct {
	DS      *Dataset
	Release int
	// Filters maps a dimension column to the values it may take (several
	// values of one column are alternatives; columns combine with AND).
	// The key Within ("dalam") holds region codes: rows of regions
	// strictly inside one of them.
	Filters map[string][]string
	Sort    []SortKey
	// Limit is the page size (0: every row, for downloads).
	Limit int
	// Offset is where the page starts (from a cursor).
	Offset int
}

// EmptyValue is the filter value that selects rows where a column is empty
// (komponen on a programme's total row, kode_wilayah on the national row,
// periode where a row's period could not be read). An empty parameter is
// no filter, which is what an HTML form's "all" choice sends.
const EmptyValue = "-"

// MayBeEmpty reports whether the column has empty values in some rows.
func (c *Column) MayBeEmpty() bool {
	switch c.Name {
	case "kode_wilayah", "periode", "kode_induk":
		return true
	}
	for _, v := range c.Values {
		if v == "" {
			return true
		}
	}
	return false
}

// Within is the filter "dalam=35": the rows of every region inside
// province 35 (at the levels tingkat selects), however many. It applies
// to the dataset's region column (RegionColumn).
const Within = "dalam"

// RegionColumn is the column holding a row's region code, "" when the
// dataset has none.
func (d *Dataset) RegionColumn() string {
	for _, name := range []string{"kode_wilayah", "kode"} {
		if c, ok := d.Column(name); ok && c.Dimension {
			return name
		}
	}
	return ""
}

// Reserved query parameters that are not filters.
var reserved = map[string]bool{"release": true, "sort": true, "limit": true, "cursor": true, "lang": true, "bom": true, "page": true, "format": true}

// ParseQuery reads filters, sort, limit and cursor from URL parameters and
// validates them against the dataset. paged selects whether limit and
// cursor apply (API and previews) or every row is wanted (downloads).
func ParseQuery(ds *Dataset, v url.Values, paged bool) (*Query, error) {
	q := &Query{DS: ds, Filters: map[string][]string{}}
	var names []string
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if reserved[k] {
			continue
		}
		col, ok := ds.Column(k)
		if k == Within && ds.RegionColumn() != "" {
			col, ok = ds.Column(ds.RegionColumn())
		}
		if !ok || !col.Dimension {
			return nil, apperr.Invalidf("unknown_filter",
				"kolom %q tidak dapat dipakai sebagai filter; filter yang tersedia: %s",
				"%q is not a filter of this dataset; the filters are: %s", k, strings.Join(dimNames(ds), ", "))
		}
		for _, raw := range v[k] {
			for _, one := range strings.Split(raw, ",") {
				// An empty value is no filter (what a form's "all" sends);
				// "-" selects rows where the column is empty.
				if strings.TrimSpace(one) == "" {
					continue
				}
				val, err := col.validValue(one)
				if err != nil {
					return nil, err
				}
				if k == Within && val == "" {
					val = "-" // "inside the nation": every region
				}
				if !slices.Contains(q.Filters[k], val) {
					q.Filters[k] = append(q.Filters[k], val)
				}
			}
		}
	}
	if s := v.Get("sort"); s != "" {
		for _, part := range strings.Split(s, ",") {
			part = strings.TrimSpace(part)
			desc := strings.HasPrefix(part, "-")
			name := strings.TrimPrefix(part, "-")
			if _, ok := ds.Column(name); !ok {
				return nil, apperr.Invalidf("bad_sort", "tidak dapat mengurutkan menurut %q; kolom: %s (awali dengan - untuk urutan menurun)",
					"cannot sort by %q; columns: %s (prefix with - for descending)", name, strings.Join(ds.ColumnNames(), ", "))
			}
			q.Sort = append(q.Sort, SortKey{Col: name, Desc: desc})
		}
	}
	if !paged {
		return q, nil
	}
	q.Limit = DefaultLimit
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxLimit {
			return nil, apperr.Invalidf("bad_limit", "limit harus bilangan bulat 1–%d, bukan %q", "limit must be a whole number from 1 to %d, not %q", MaxLimit, s)
		}
		q.Limit = n
	}
	if c := v.Get("cursor"); c != "" {
		off, err := decodeCursor(c)
		if err != nil {
			return nil, apperr.Invalidf("bad_cursor", "cursor tidak valid: pakai tautan next dari jawaban sebelumnya", "invalid cursor: use the next link of the previous answer")
		}
		q.Offset = off
	}
	return q, nil
}

func dimNames(ds *Dataset) []string {
	var out []string
	for _, c := range ds.Dimensions() {
		out = append(out, c.Name)
	}
	return out
}

// validValue checks one filter value: enumerations against their values,
// periods as YYYY-Qn, region codes as codes.
func (c *Column) validValue(raw string) (string, error) {
	v := strings.TrimSpace(raw)
	if v == EmptyValue {
		if c.MayBeEmpty() {
			return "", nil
		}
		return "", apperr.Invalidf("bad_value", "kolom %s tidak pernah kosong; %q hanya berlaku untuk kolom yang bisa kosong",
			"column %s is never empty; %q applies only to columns that can be empty", c.Name, EmptyValue)
	}
	if len(c.Values) > 0 {
		if n, ok := c.FilterValue(v); ok {
			return n, nil
		}
		return "", apperr.Invalidf("bad_value", "nilai %q tidak dikenal untuk %s; nilai yang mungkin: %s",
			"unknown value %q for %s; allowed values: %s", v, c.Name, strings.Join(nonEmpty(c.Values), ", "))
	}
	switch c.Name {
	case "periode":
		up := strings.ToUpper(v)
		if len(up) == 7 && up[4:6] == "-Q" && up[6] >= '1' && up[6] <= '4' && isDigits(up[:4]) && up[:4] != "0000" {
			return up, nil
		}
		return "", apperr.Invalidf("bad_period", "periode %q tidak valid: tulis triwulan sebagai YYYY-Qn, misalnya 2025-Q1", "invalid period %q: write a quarter as YYYY-Qn, e.g. 2025-Q1", v)
	case "kode_wilayah", "kode", "kode_induk":
		dotted, level, ok := region.Normalize(v)
		if !ok {
			return "", apperr.Invalidf("bad_region", "kode wilayah %q tidak valid: tulis seperti 32, 32.04 atau 32.04.11", "invalid region code %q: write it like 32, 32.04 or 32.04.11", v)
		}
		if level > region.District || !region.Default().Valid(dotted) {
			return "", apperr.Invalidf("unknown_region", "kode wilayah %q tidak ada (atau di bawah kecamatan); daftar kode ada di dataset wilayah",
				"region code %q does not exist (or is below the district level); the codes are in the wilayah dataset", v)
		}
		return dotted, nil
	}
	return v, nil
}

func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v == "" {
			out = append(out, `""`)
		} else {
			out = append(out, v)
		}
	}
	return out
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

type cursor struct {
	O int `json:"o"`
}

// EncodeCursor makes the opaque cursor of the page starting at offset.
// Releases are immutable, so an offset into a release's ordered rows
// never skips or repeats a row.
func EncodeCursor(offset int) string {
	b, _ := json.Marshal(cursor{O: offset})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, err
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.O < 0 {
		return 0, errors.New("bad cursor")
	}
	return c.O, nil
}

// Canonical is the query's normal form (filters sorted, values sorted),
// for ETags and file names.
func (q *Query) Canonical() string {
	var parts []string
	q.EachFilter(func(k string, vs []string) { parts = append(parts, k+"="+strings.Join(vs, ",")) })
	var s []string
	for _, k := range q.Sort {
		if k.Desc {
			s = append(s, "-"+k.Col)
		} else {
			s = append(s, k.Col)
		}
	}
	if len(s) > 0 {
		parts = append(parts, "sort="+strings.Join(s, ","))
	}
	return strings.Join(parts, "&")
}

// EachFilter calls fn for each filter, columns and values sorted.
func (q *Query) EachFilter(fn func(col string, vals []string)) {
	var keys []string
	for k := range q.Filters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		vs := append([]string(nil), q.Filters[k]...)
		sort.Strings(vs)
		fn(k, vs)
	}
}

// Rows iterates over a query's rows. Values are string, int64, bool or nil
// (a withheld measure), in the dataset's column order.
type Rows struct {
	sql    *sql.Rows
	mem    [][]any
	i      int
	vals   []any
	scan   []any
	ds     *Dataset
	err    error
	closed bool
}

// Run executes the query against published.db (or the region reference
// for wilayah). The caller must Close the rows.
func (q *Query) Run(ctx context.Context, db *sql.DB) (*Rows, error) {
	if q.DS.Table == "" {
		return q.runWilayah(), nil
	}
	stmt, args := q.SQL()
	r, err := db.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", q.DS.Slug, err)
	}
	rows := &Rows{sql: r, ds: q.DS, vals: make([]any, len(q.DS.Columns)), scan: make([]any, len(q.DS.Columns))}
	for i := range rows.scan {
		rows.scan[i] = &rows.vals[i]
	}
	return rows, nil
}

// Count is the number of rows Run gives: an XLSX sheet declares its used
// range before its rows are written.
func (q *Query) Count(ctx context.Context, db *sql.DB) (int, error) {
	if q.DS.Table == "" {
		return len(q.runWilayah().mem), nil
	}
	stmt, args := q.SQL()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM ("+stmt+")", args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("dataset %s: count: %w", q.DS.Slug, err)
	}
	return n, nil
}

// SQL returns the query's statement and arguments.
func (q *Query) SQL() (string, []any) {
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, c := range q.DS.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Name)
	}
	b.WriteString(" FROM " + q.DS.Table + " WHERE release = ?")
	args := []any{q.Release}
	var keys []string
	for k := range q.Filters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		vs := q.Filters[k]
		col := k
		if k == Within {
			// A range on the code, which its index serves: "35." < code
			// < "35/" ('/' follows '.').
			var or []string
			for _, v := range vs {
				if v == "-" {
					or = append(or, q.DS.RegionColumn()+" <> ''")
					continue
				}
				or = append(or, "("+q.DS.RegionColumn()+" > ? AND "+q.DS.RegionColumn()+" < ?)")
				args = append(args, v+".", v+"/")
			}
			b.WriteString(" AND (" + strings.Join(or, " OR ") + ")")
			continue
		}
		if k == "tingkat" && slices.Contains(q.DS.Order, "lvl") {
			// The stored level number is indexed; the name is not.
			col = "lvl"
		}
		b.WriteString(" AND " + col + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(vs)), ", ") + ")")
		for _, v := range vs {
			if col == "lvl" {
				args = append(args, levelNumber(v))
			} else {
				args = append(args, v)
			}
		}
	}
	b.WriteString(" ORDER BY ")
	var order []string
	for _, s := range q.Sort {
		col := s.Col
		if col == "tingkat" && slices.Contains(q.DS.Order, "lvl") {
			col = "lvl" // nasional, provinsi, kabupaten, kecamatan: top down
		}
		if s.Desc {
			order = append(order, col+" DESC")
		} else {
			order = append(order, col)
		}
	}
	natural := q.DS.Order
	if len(q.Sort) == 0 && len(q.Filters["tingkat"]) == 1 && slices.Contains(natural, "lvl") {
		// One level asked for: ordering by lvl first is the same order,
		// and it is the order of the level index, so a page stops early
		// instead of sorting every row of the level.
		natural = append([]string{"lvl"}, slicesDelete(natural, "lvl")...)
	}
	order = append(order, natural...)
	b.WriteString(strings.Join(order, ", "))
	if q.Limit > 0 {
		b.WriteString(" LIMIT ? OFFSET ?")
		args = append(args, q.Limit+1, q.Offset) // one more, to know whether there is a next page
	}
	return b.String(), args
}

// Next advances to the next row.
func (r *Rows) Next() bool {
	if r.err != nil || r.closed {
		return false
	}
	if r.sql == nil {
		if r.i >= len(r.mem) {
			return false
		}
		copy(r.vals, r.mem[r.i])
		r.i++
		return true
	}
	if !r.sql.Next() {
		r.err = r.sql.Err()
		return false
	}
	for i := range r.vals {
		r.vals[i] = nil
	}
	if err := r.sql.Scan(r.scan...); err != nil {
		r.err = err
		return false
	}
	for i, c := range r.ds.Columns {
		r.vals[i] = normalise(c.Type, r.vals[i])
	}
	return true
}

func normalise(typ string, v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case []byte:
		v = string(x)
	}
	switch typ {
	case TypeBoolean:
		switch x := v.(type) {
		case int64:
			return x != 0
		case string:
			return x == "1" || x == "true"
		}
	case TypeInteger:
		switch x := v.(type) {
		case float64:
			return int64(x)
		case string:
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				return n
			}
		}
	case TypeString:
		if n, ok := v.(int64); ok {
			return strconv.FormatInt(n, 10)
		}
	}
	return v
}

// Values is the current row; valid until the next call to Next.
func (r *Rows) Values() []any { return r.vals }

// Err is the error that ended the iteration, if any.
func (r *Rows) Err() error { return r.err }

// Close releases the rows.
func (r *Rows) Close() error {
	r.closed = true
	if r.sql != nil {
		return r.sql.Close()
	}
	return nil
}

// runWilayah serves the region reference from the embedded table.
// wilayahRows are the region reference's provinces, regencies and
// districts in code order, built once.
var wilayahRows = sync.OnceValue(func() [][]any {
	t := region.Default()
	var all [][]any
	var walk func(parent string)
	walk = func(parent string) {
		for _, r := range t.Children(parent) {
			if r.Level > region.District {
				return
			}
			all = append(all, []any{r.Code, r.Level.String(), r.Name, r.Parent})
			walk(r.Code)
		}
	}
	walk("")
	return all
})

// WilayahCount is the number of rows of the wilayah dataset.
func WilayahCount() int { return len(wilayahRows()) }

func (q *Query) runWilayah() *Rows {
	all := wilayahRows()
	match := func(row []any) bool {
		for col, vs := range q.Filters {
			i := q.DS.index(col)
			ok := false
			for _, v := range vs {
				if col == Within {
					code := row[q.DS.index(q.DS.RegionColumn())].(string)
					ok = ok || (v == "-" && code != "") || strings.HasPrefix(code, v+".")
					continue
				}
				if row[i] == v {
					ok = true
				}
			}
			if !ok {
				return false
			}
		}
		return true
	}
	var out [][]any
	for _, row := range all {
		if match(row) {
			out = append(out, row)
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		for _, s := range q.Sort {
			i := q.DS.index(s.Col)
			x, y := out[a][i].(string), out[b][i].(string)
			if x != y {
				return (x < y) != s.Desc
			}
		}
		return out[a][0].(string) < out[b][0].(string)
	})
	if q.Limit > 0 {
		start := min(q.Offset, len(out))
		out = out[start:min(start+q.Limit+1, len(out))]
	}
	return &Rows{mem: out, ds: q.DS, vals: make([]any, len(q.DS.Columns))}
}

func (d *Dataset) index(col string) int {
	for i, c := range d.Columns {
		if c.Name == col {
			return i
		}
	}
	return -1
}

// Page runs a paged query and returns its rows (copied) and whether more
// rows follow.
func (q *Query) Page(ctx context.Context, db *sql.DB) ([][]any, bool, error) {
	rows, err := q.Run(ctx, db)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out [][]any
	more := false
	for rows.Next() {
		if q.Limit > 0 && len(out) == q.Limit {
			more = true
			break
		}
		out = append(out, append([]any(nil), rows.Values()...))
	}
	return out, more, rows.Err()
}

// levelNumber is the stored lvl of a tingkat name.
func levelNumber(tingkat string) int {
	for i, l := range levels {
		if l == tingkat {
			return i
		}
	}
	return -1
}

func slicesDelete(vs []string, v string) []string {
	out := make([]string, 0, len(vs))
	for _, x := range vs {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}
