package news

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/press"
)

// FuzzFeeds: whatever an author types, the three feeds stay well-formed
// XML and valid JSON.
func FuzzFeeds(f *testing.F) {
	f.Add("Judul", "Ringkasan", "**Isi** [tautan](https://example.org)", "PKH", "laporan.pdf")
	f.Add("<script>alert(1)</script>", "]]>", "\x00\x0b\ufffe", "a&b", `"><x>.png`)
	f.Fuzz(func(t *testing.T, title, summary, body, tag, name string) {
		now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
		m := FeedMeta{Title: title, Description: summary, Lang: "id", Home: "https://x.example/berita?program=" + tag,
			Self: "https://x.example/feed.atom", Hub: "https://hub.example/", Author: tag, Updated: now}
		items := []FeedItem{{ID: "tag:x.example,2026-03-02:berita/1", URL: "https://x.example/berita/" + press.Slugify(title),
			Title: title, Summary: summary, Content: string(press.RenderMarkdown(body)), Published: now, Updated: now.Add(time.Hour),
			Categories: []string{tag, title}, Enclosures: []feedEnclosure{{URL: "https://x.example/lampiran/1/" + name, Type: "image/png", Title: name, Length: 3}}}}
		for name, build := range map[string]func(FeedMeta, []FeedItem) ([]byte, error){"atom": AtomFeed, "rss": rssFeed} {
			out, err := build(m, items)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if err := wellFormed(out); err != nil {
				t.Fatalf("%s is not well-formed XML: %v\n%s", name, err, out)
			}
		}
		out, err := jsonFeed(m, items)
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(out) {
			t.Fatalf("JSON feed is not valid JSON:\n%s", out)
		}
	})
}

func wellFormed(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
