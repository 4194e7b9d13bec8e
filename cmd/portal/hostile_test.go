package main

import (
	"bufio"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const header = "id_transaksi,periode,program,komponen,NIK,no_kk,nama,jenis_kelamin,tanggal_lahir,Kode_Wilayah,desil,nominal,status,tanggal_salur,penyalur,keterangan\n"
const goodRow = "TRX-2025-S8-000000001,2025-Q1,PKH,SMP,3205365407000001,3205362802080001,ENOK LESTARI,P,2000-07-14,32.05.36.2003,3,375000,SALUR,2025-04-04,BRI,\n"

// writeFile writes name in dir through fn, gzipped when name ends in .gz.
func writeFile(t *testing.T, dir, name string, fn func(w *bufio.Writer)) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var gz *gzip.Writer
	bw := bufio.NewWriterSize(f, 1<<20)
	w := bw
	if strings.HasSuffix(name, ".gz") {
		gz, _ = gzip.NewWriterLevel(bw, gzip.BestCompression)
		w = bufio.NewWriterSize(gz, 1<<20)
	}
	fn(w)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if gz != nil {
		gz.Close()
		bw.Flush()
	}
	return path
}

func repeat(w *bufio.Writer, s string, total int) {
	chunk := strings.Repeat(s, max(1, (1<<20)/len(s)))
	for n := 0; n < total; n += len(chunk) {
		w.WriteString(chunk)
	}
}

// TestHostileFilesAreRefused: a gzip bomb and a file of one 100 MB line
// are refused whole, with an error that names the file and the line.
// (Time and peak memory are measured by bench/fault.sh.)
func TestHostileFilesAreRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100 MB")
	}
	dir := t.TempDir()
	tests := []struct {
		name  string
		file  func() string
		wants []string
	}{
		{"gzip bomb of zeros", func() string {
			return writeFile(t, dir, "bom-nol.csv.gz", func(w *bufio.Writer) { w.WriteString(header); repeat(w, "\x00", 1<<30) })
		}, []string{"bom-nol.csv.gz", "line 2"}},
		{"gzip bomb of rows", func() string {
			return writeFile(t, dir, "bom-baris.csv.gz", func(w *bufio.Writer) { w.WriteString(header); repeat(w, goodRow, 1<<30) })
		}, []string{"bom-baris.csv.gz", "line"}},
		{"one line of 100 MB", func() string {
			return writeFile(t, dir, "satu-baris.csv", func(w *bufio.Writer) { w.WriteString(header); repeat(w, "x", 100<<20) })
		}, []string{"satu-baris.csv", "line 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.file()
			defer os.Remove(path)
			data := t.TempDir()
			code, out, errs := runCmd(t, "aggregate", "--data", data, "--log-level", "error", path)
			if code != exitFailure {
				t.Fatalf("exit %d, want %d\n%s%s", code, exitFailure, out, errs)
			}
			for _, want := range tt.wants {
				if !strings.Contains(errs, want) {
					t.Errorf("the error does not say %q:\n%s", want, errs)
				}
			}
			t.Logf("%s", strings.TrimSpace(errs))
		})
	}
}
