package download

import (
	"strings"

	"github.com/portal-data-bansos/portal/internal/dataset"
)

// A snippet reads a download in a tool users run — pandas, R (readr),
// DuckDB, Excel's Power Query — with every column's type declared from
// the registry. Without it, those tools guess: region codes such as
// "11.10" become the number 11.1, and joins to wilayah.kode then fail
// silently (docs/interface.md, "Reading the files").
type snippet struct {
	Tool string
	Code string
}

// toolTypes are one tool's names for the registry's column types.
type toolTypes struct{ str, integer, number, boolean string }

func (tt toolTypes) of(c dataset.Column) string {
	switch c.Type {
	case dataset.TypeInteger:
		return tt.integer
	case dataset.TypeNumber:
		return tt.number
	case dataset.TypeBoolean:
		return tt.boolean
	}
	return tt.str
}

var (
	// pandas' nullable types: a withheld measure is empty, read as <NA>.
	pandasTypes = toolTypes{str: `"string"`, integer: `"Int64"`, number: `"Float64"`, boolean: `"boolean"`}
	// readr's col_integer is 32-bit; rupiah sums exceed it.
	readrTypes  = toolTypes{str: "col_character()", integer: "col_double()", number: "col_double()", boolean: "col_logical()"}
	duckdbTypes = toolTypes{str: "'VARCHAR'", integer: "'BIGINT'", number: "'DOUBLE'", boolean: "'BOOLEAN'"}
	// Power Query reads only "true"/"false" as logical; the CSV writes
	// a boolean as 1 or 0.
	mTypes = toolTypes{str: "type text", integer: "Int64.Type", number: "type number", boolean: "Int64.Type"}
)

// snippets are the copy-ready readers of the CSV at url.
func snippets(ds *dataset.Dataset, url string) []snippet {
	cols := ds.Columns
	decl := func(tt toolTypes, f func(name, typ string) string, sep string) string {
		parts := make([]string, len(cols))
		for i, c := range cols {
			parts[i] = f(c.Name, tt.of(c))
		}
		return strings.Join(parts, sep)
	}
	pandas := "import pandas as pd\n\ndf = pd.read_csv(\n    \"" + url + "\",\n    dtype={\n        " +
		decl(pandasTypes, func(n, t string) string { return `"` + n + `": ` + t }, ",\n        ") +
		",\n    },\n    keep_default_na=False,\n    na_values=[\"\"],\n)"
	readr := "library(readr)\n\ndf <- read_csv(\n  \"" + url + "\",\n  col_types = cols(\n    " +
		decl(readrTypes, func(n, t string) string { return n + " = " + t }, ",\n    ") +
		"\n  ),\n  na = \"\"\n)"
	duck := "INSTALL httpfs; LOAD httpfs;\nCREATE TABLE " + strings.ReplaceAll(ds.Slug, "-", "_") + " AS\nSELECT * FROM read_csv(\n  '" + url + "',\n  header = true,\n  columns = {\n    " +
		decl(duckdbTypes, func(n, t string) string { return "'" + n + "': " + t }, ",\n    ") +
		"\n  }\n);"
	m := "let\n    Source = Csv.Document(Web.Contents(\"" + url + "\"), [Delimiter = \",\", Encoding = 65001, QuoteStyle = QuoteStyle.Csv]),\n" +
		"    Headers = Table.PromoteHeaders(Source, [PromoteAllScalars = true]),\n    Typed = Table.TransformColumnTypes(Headers, {\n        " +
		decl(mTypes, func(n, t string) string { return `{"` + n + `", ` + t + `}` }, ",\n        ") +
		"\n    }, \"en-US\")\nin\n    Typed"
	return []snippet{{"pandas", pandas}, {"R (readr)", readr}, {"DuckDB", duck}, {"Excel (Power Query)", m}}
}
