// Package search finds regions, programmes and datasets by what a reader
// types (docs/interface.md, "Search"): case and accents do not matter,
// "Kab."/"Kab"/"Kabupaten" and "Kota" name the kind of a regency, and a
// word may carry a typing error or two ("surabya"). The index is small
// (some 7,900 regions, six programmes, the datasets) and built once in
// memory; a query scans it, which takes well under a millisecond per
// thousand entries, so no search engine is needed (bleve and its kin
// index far more than this and bring their own storage).
package search

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Kind is what an entry is.
type Kind string

// The kinds of entries.
const (
	Region  Kind = "wilayah"
	Program Kind = "program"
	Dataset Kind = "dataset"
)

// Entry is one thing a reader can find.
type Entry struct {
	Kind  Kind
	Key   string // region code, programme code or dataset slug
	Title string // what the reader sees: "Kota Bandung"
	// Context tells apart entries of the same title: a region's parents
	// ("Jawa Barat"), a programme's area.
	Context string
	URL     string
	// Rank orders entries that match equally well: lower first
	// (provinces before regencies before districts).
	Rank int
	// Type is a region's kind as a reader names it ("provinsi",
	// "kabupaten", "kota", "kecamatan"); a query that names a kind finds
	// only regions of that kind. Empty: taken from the title's first word.
	Type string
	// Words are the entry's normalised words; Also more words that find
	// it (a programme's other names, a dataset's description, a region's
	// parents), kind words left out.
	words, also []string
}

// Hit is an entry found, with how well it matched.
type Hit struct {
	Entry
	Score int
}

// Index is a set of entries.
type Index struct{ entries []Entry }

// Add puts an entry in the index: title words count most, then the
// extra text (other names, descriptions).
func (ix *Index) Add(e Entry, also ...string) {
	e.words = Words(e.Title)
	if e.Type == "" && len(e.words) > 0 {
		if _, kind := kindWords[e.words[0]]; kind {
			e.Type = e.words[0]
		}
	}
	e.words = plain(e.words)
	for _, a := range also {
		e.also = append(e.also, plain(Words(a))...)
	}
	ix.entries = append(ix.entries, e)
}

// Len is the number of entries.
func (ix *Index) Len() int { return len(ix.entries) }

// kindWords are the words that name a regency's kind, normalised: "kab",
// "kab." and "kabupaten" are one.
var kindWords = map[string]string{"kab": "kabupaten", "kabupaten": "kabupaten", "kota": "kota", "kotamadya": "kota", "kec": "kecamatan", "kecamatan": "kecamatan", "prov": "provinsi", "provinsi": "provinsi"}

var fold = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// Words splits text into lower-case words without accents, the kind
// words ("Kab.") in one form.
func Words(s string) []string {
	s, _, _ = transform.String(fold, strings.ToLower(s))
	ws := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range ws {
		if k, ok := kindWords[w]; ok {
			ws[i] = k
		}
	}
	return ws
}

// Find returns the entries every word of the query matches, best first,
// at most limit of them (0: all).
func (ix *Index) Find(query string, limit int) []Hit {
	all := Words(query)
	q := plain(all)
	var kinds []string
	for _, w := range all {
		if _, kind := kindWords[w]; kind {
			kinds = append(kinds, w)
		}
	}
	if len(q) == 0 {
		return nil
	}
	var hits []Hit
	for _, e := range ix.entries {
		if len(kinds) > 0 && !slices.Contains(kinds, e.Type) {
			continue
		}
		score := 0
		for _, w := range q {
			s := max(bestMatch(w, e.words)*3, bestMatch(w, e.also))
			if s == 0 {
				score = 0
				break
			}
			score += s
		}
		if score == 0 {
			continue
		}
		// A query that is the whole name wins ("bandung" finds Kota and
		// Kabupaten Bandung before Bandung Barat); kind words aside (the
		// rank then puts the city before a district called Bandung).
		if slices.Equal(q, e.words) {
			score += 10
		}
		hits = append(hits, Hit{Entry: e, Score: score})
	}
	slices.SortStableFunc(hits, func(a, b Hit) int {
		switch {
		case a.Score != b.Score:
			return b.Score - a.Score
		case a.Rank != b.Rank:
			return a.Rank - b.Rank
		}
		return strings.Compare(a.Title, b.Title)
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}

// plain drops the kind words.
func plain(ws []string) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		if _, kind := kindWords[w]; !kind {
			out = append(out, w)
		}
	}
	return out
}

// bestMatch scores query word w against words: 4 the same word, 3 a
// prefix (three letters or more), 2 within the typing errors its length
// allows, 0 none.
func bestMatch(w string, words []string) int {
	best := 0
	for _, x := range words {
		switch {
		case x == w:
			return 4
		case len(w) >= 3 && strings.HasPrefix(x, w):
			best = max(best, 3)
		case best < 2 && typos(len(w)) > 0 && abs(len(x)-len(w)) <= typos(len(w)) && distance(w, x) <= typos(len(w)):
			best = 2
		}
	}
	return best
}

// typos is how many typing errors a word of n letters may carry and
// still match: none below five letters (too many short words are one
// letter apart), one up to seven, two from eight.
func typos(n int) int {
	switch {
	case n < 5:
		return 0
	case n < 8:
		return 1
	}
	return 2
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// distance is the Damerau–Levenshtein distance (optimal string
// alignment): insertions, deletions, substitutions and swaps of two
// neighbouring letters each count one.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
