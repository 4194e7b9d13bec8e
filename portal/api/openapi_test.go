package api

import (
	"net/url"
	"regexp"
	"testing"

	"github.com/portal-data-bansos/portal/internal/dataset"
)

// TestOpenAPIPatterns checks the patterns the document gives periods and
// region codes against what the query engine accepts, both ways.
func TestOpenAPIPatterns(t *testing.T) {
	periods := []string{"-", "2025-Q1", "2025-q4", "2025-Q5", "2025Q1", "25-Q1", "2025-Q1x", "abc"}
	codes := []string{"-", "32", "32.04", "32.04.11", "32.04.11.2001", "3204", "320411", "3204112001", "32.0411", "32.X", "3", "320", "32.04.1", "abc"}
	for _, c := range []struct {
		ds     *dataset.Dataset
		col    string
		values []string
	}{
		{dataset.Penyaluran, "periode", periods},
		{dataset.Penyaluran, "kode_wilayah", codes},
		{dataset.Wilayah, "kode", codes},
		{dataset.Wilayah, "kode_induk", codes},
	} {
		col, ok := c.ds.Column(c.col)
		if !ok {
			t.Fatalf("%s has no column %s", c.ds.Slug, c.col)
		}
		re := regexp.MustCompile(oaFilterParam(col)["schema"].(oaObj)["items"].(oaObj)["pattern"].(string))
		for _, v := range c.values {
			_, err := dataset.ParseQuery(c.ds, url.Values{c.col: {v}}, false)
			if doc, api := re.MatchString(v), err == nil; doc != api {
				t.Errorf("%s %q: the document allows it: %v, the API: %v (%v)", c.col, v, doc, api, err)
			}
		}
	}
}
