package download

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strconv"

	"github.com/parquet-go/parquet-go"

	"github.com/portal-data-bansos/portal/internal/dataset"
)

// Parquet downloads (docs/interface.md, "Datasets"), written with
// github.com/parquet-go/parquet-go: a pure-Go writer (no cgo beside
// SQLite's), maintained, streaming row groups to any io.Writer, so a
// download's memory is one row group however large the answer. Codes and
// names are strings (never numbers: "11.10" stays "11.10"), counts and
// rupiah int64, percentages double, flags boolean; a withheld measure is
// null. The data dictionary travels in the file's key-value metadata.

// parquetRowGroup bounds the rows a writer holds before it flushes.
const parquetRowGroup = 64 << 10

// parquetLayout is a dataset's row type for the writer: a struct built
// from the registry, in its column order (parquet-go orders a map schema
// by name; a struct keeps ours). Measures are pointers (optional: null
// when withheld); strings are values ("" is a value of a dimension, the
// nation's kode_wilayah).
type parquetLayout struct {
	typ    reflect.Type
	schema *parquet.Schema
}

func parquetLayoutOf(ds *dataset.Dataset) parquetLayout {
	fields := make([]reflect.StructField, len(ds.Columns))
	for i, c := range ds.Columns {
		var t reflect.Type
		switch c.Type {
		case dataset.TypeInteger:
			t = reflect.TypeFor[*int64]()
		case dataset.TypeNumber:
			t = reflect.TypeFor[*float64]()
		case dataset.TypeBoolean:
			t = reflect.TypeFor[*bool]()
		default:
			t = reflect.TypeFor[string]()
		}
		tag := c.Name
		if t.Kind() == reflect.Pointer {
			tag += ",optional"
		}
		fields[i] = reflect.StructField{Name: "F" + strconv.Itoa(i), Type: t, Tag: reflect.StructTag(`parquet:"` + tag + `"`)}
	}
	typ := reflect.StructOf(fields)
	return parquetLayout{typ: typ, schema: parquet.SchemaOf(reflect.New(typ).Interface())}
}

// writeParquet writes the rows with the dataset's dictionary and the
// download's metadata in the file's key-value metadata.
func writeParquet(out io.Writer, ds *dataset.Dataset, rows *dataset.Rows, meta downloadMetadata) error {
	lay := parquetLayoutOf(ds)
	opts := []parquet.WriterOption{lay.schema, parquet.MaxRowsPerRowGroup(parquetRowGroup), parquet.CreatedBy("Portal Data Bansos", "", ""),
		parquet.Compression(&parquet.Zstd)}
	m, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	opts = append(opts, parquet.KeyValueMetadata("portal_data_bansos", string(m)))
	for _, c := range ds.Columns {
		d, err := json.Marshal(struct {
			Type  string `json:"type"`
			Unit  any    `json:"unit,omitempty"`
			Title any    `json:"title"`
			Desc  any    `json:"description"`
		}{c.Type, nilIfEmpty(c.Unit.ID, c.Unit), c.Title, c.Desc})
		if err != nil {
			return err
		}
		opts = append(opts, parquet.KeyValueMetadata("column:"+c.Name, string(d)))
	}
	w := parquet.NewWriter(out, opts...)
	row := reflect.New(lay.typ).Elem()
	for rows.Next() {
		for i, v := range rows.Values() {
			f := row.Field(i)
			switch x := v.(type) {
			case nil:
				f.SetZero()
			case int64:
				f.Set(reflect.ValueOf(&x))
			case float64:
				f.Set(reflect.ValueOf(&x))
			case bool:
				f.Set(reflect.ValueOf(&x))
			case string:
				if f.Kind() != reflect.String {
					return fmt.Errorf("parquet: %s.%s: text %q in a %s column", ds.Slug, ds.Columns[i].Name, x, ds.Columns[i].Type)
				}
				f.SetString(x)
			default:
				return fmt.Errorf("parquet: %s.%s: unexpected %T", ds.Slug, ds.Columns[i].Name, v)
			}
		}
		if err := w.Write(row.Addr().Interface()); err != nil {
			return fmt.Errorf("parquet: %s: %w", ds.Slug, err)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return w.Close()
}

func nilIfEmpty(s string, v any) any {
	if s == "" {
		return nil
	}
	return v
}
