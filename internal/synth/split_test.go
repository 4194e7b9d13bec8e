package synth

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSplitMonthlyStream: records go to their delivery month, a record
// whose period cannot be read goes with the one before it, keep drops
// months, and a stream cut short leaves no file behind.
func TestSplitMonthlyStream(t *testing.T) {
	const head = "id_transaksi,periode,tanggal_salur\n"
	in := head +
		"a,2025-01,2025-01-10\n" +
		"b,2025-Q1,2025-02-03\n" + // tahap paid in February
		"c,2025-Q1,2024-12-30\n" + // date outside the quarter: its last month
		"d,0000-01,\n" + // unreadable period: with the record before
		"e,2025-04,2025-04-01\n"
	dir := t.TempDir()
	files, err := SplitMonthlyStream(strings.NewReader(in), "in.csv", dir, "p", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"p-2025-01.csv": head + "a,2025-01,2025-01-10\n",
		"p-2025-02.csv": head + "b,2025-Q1,2025-02-03\n",
		"p-2025-03.csv": head + "c,2025-Q1,2024-12-30\nd,0000-01,\n",
		"p-2025-04.csv": head + "e,2025-04,2025-04-01\n",
	}
	if len(files) != len(want) {
		t.Fatalf("files %v", files)
	}
	for name, w := range want {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != w {
			t.Errorf("%s = %q, %v; want %q", name, b, err, w)
		}
	}

	some := t.TempDir()
	files, err = SplitMonthlyStream(strings.NewReader(in), "in.csv", some, "p", func(m string) bool { return m == "2025-03" })
	if err != nil || len(files) != 1 || filepath.Base(files[0]) != "p-2025-03.csv" {
		t.Fatalf("keep March: %v, %v", files, err)
	}

	cut := t.TempDir()
	r := io.MultiReader(strings.NewReader(in), &failing{})
	if _, err := SplitMonthlyStream(r, "in.csv", cut, "p", nil); err == nil || !strings.Contains(err.Error(), "in.csv") {
		t.Fatalf("cut stream: %v", err)
	}
	if left, _ := os.ReadDir(cut); len(left) != 0 {
		t.Errorf("a cut stream left %d files", len(left))
	}
}

type failing struct{}

func (*failing) Read([]byte) (int, error) { return 0, errors.New("disk gone") }
