package region

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// acronyms are words kept in capitals when a name is recased. DKI is
// "Daerah Khusus Ibukota"; the others are abbreviations in village names
// the source writes in capitals: "RD. PJKA" in Lahat (written so in its
// mixed-case neighbour "RD. PJKA Bandar Agung"; PJKA is the former state
// railway), and MKCM and WKO in Tobelo, Halmahera Utara.
var acronyms = map[string]bool{
	"DKI":  true,
	"RD":   true,
	"PJKA": true,
	"MKCM": true,
	"WKO":  true,
}

// connectives are words written in lower case inside a name, as in
// "Kabupaten Pangkajene dan Kepulauan".
var connectives = map[string]bool{
	"DAN": true,
}

// DisplayName returns the name of a region as the portal shows it. Names the
// source writes in capitals (all provinces and regencies, and a few
// districts and villages) or all in lower case are recased: each word gets a
// capital initial ("KABUPATEN ACEH SELATAN" → "Kabupaten Aceh Selatan"), as
// does each part of a word after a hyphen, slash, parenthesis or full stop
// ("BIRU-BIRU" → "Biru-Biru"), but not after an apostrophe ("KI'E" →
// "Ki'e"); acronyms such as DKI and Roman numerals (II, IV, XIV) stay in
// capitals ("DKI JAKARTA" → "DKI Jakarta"), and "dan" after the first word
// is written in lower case. A name that already mixes cases is returned as
// it is: it was written by hand and knows better ("SeuneubokTeungoh",
// "Sidoharjo-I").
func DisplayName(name string) string {
	hasUpper, hasLower := false, false
	for _, r := range name {
		hasUpper = hasUpper || unicode.IsUpper(r)
		hasLower = hasLower || unicode.IsLower(r)
	}
	if hasUpper == hasLower { // mixed case, or no cased letters at all
		return name
	}
	var b strings.Builder
	b.Grow(len(name))
	first := true
	for i := 0; i < len(name); {
		r, size := utf8.DecodeRuneInString(name[i:])
		if r == ' ' {
			b.WriteByte(' ')
			i += size
			continue
		}
		// A word runs to the next space.
		j := strings.IndexByte(name[i:], ' ')
		if j < 0 {
			j = len(name)
		} else {
			j += i
		}
		word := name[i:j]
		if !first && connectives[strings.ToUpper(word)] {
			b.WriteString(strings.ToLower(word))
		} else {
			recaseWord(&b, word)
		}
		first = false
		i = j
	}
	return b.String()
}

// recaseWord writes word with each part (split at - / ( ) . and ") given a
// capital initial and lower-case rest, or kept in capitals if it is an
// acronym or a Roman numeral.
func recaseWord(b *strings.Builder, word string) {
	for word != "" {
		k := strings.IndexAny(word, `-/()."`)
		if k < 0 {
			k = len(word)
		}
		part := word[:k]
		if up := strings.ToUpper(part); acronyms[up] || isRoman(up) {
			b.WriteString(up)
		} else if part != "" {
			r, size := utf8.DecodeRuneInString(part)
			b.WriteRune(unicode.ToTitle(r))
			b.WriteString(strings.ToLower(part[size:]))
		}
		if k < len(word) {
			b.WriteByte(word[k])
			k++
		}
		word = word[k:]
	}
}

// isRoman reports whether s is a Roman numeral from I to XXXIX in capitals,
// the range numbered villages and districts use ("Sungai Rampah II").
// Larger numerals would need L, C, D or M, letters that also make ordinary
// short words ("DI", "MI").
func isRoman(s string) bool {
	if s == "" {
		return false
	}
	i := 0
	for i < len(s) && i < 3 && s[i] == 'X' {
		i++
	}
	switch rest := s[i:]; rest {
	case "", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX":
		return true
	}
	return false
}
