package charts

// One colour per programme on every chart and page, and one per
// rejection reason, so that a colour never changes meaning between
// charts. The programme colours are the six of Paul Tol's colour-blind
// safe "muted" scheme (https://personal.sron.nl/~pault/, "muted") that
// keep a contrast of at least 3:1 against white (WCAG 1.4.11), grouped by
// area of intervention; the reasons take three others of at least 3:1.
// palette_test.go checks the contrasts.
var (
	programColors = map[string]string{
		"PKH":     "#332288", // protection: indigo
		"SEMBAKO": "#117733", // green
		"BLT":     "#999933", // olive
		"PBI_JK":  "#CC6677", // rose
		"ATENSI":  "#882255", // rehabilitation: wine
		"PENA":    "#AA4499", // empowerment: purple
	}
	reasonColors = map[string]string{
		"ASN":      "#004488", // Tol's high-contrast blue
		"DECEASED": "#555555", // grey
		"DOUBLE":   "#BB5566", // Tol's high-contrast red
	}
	// areaColors are the inner ring of the programme mix: greys, so that
	// no area borrows a programme's colour.
	areaColors = map[string]string{
		"perlindungan": "#3b3b3b",
		"rehabilitasi": "#5f5f5f",
		"pemberdayaan": "#767676",
	}
)

// ProgramColor is a programme's colour ("" for an unknown code).
func ProgramColor(code string) string { return programColors[code] }

// ReasonColor is a rejection reason's colour.
func ReasonColor(reason string) string { return reasonColors[reason] }

// AreaColor is an area of intervention's colour.
func AreaColor(area string) string { return areaColors[area] }
