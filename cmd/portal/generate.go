package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/portal-data-bansos/portal/internal/synth"
)

// runGenerate is `portal generate --rows N [--seed S] [--year Y] [--provinces P,…] [--monthly [--months A-B]] --out DIR`:
// it writes synthetic input files (see package synth) and prints a one-line
// summary.
func runGenerate(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("portal generate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var opt synth.Options
	var out, provinces, months string
	fs.IntVar(&opt.Rows, "rows", 0, "number of data rows of "+synth.DistributionFile+", injected problems included (required)")
	fs.Uint64Var(&opt.Seed, "seed", 1, "random seed: the same seed writes the same files")
	fs.IntVar(&opt.Year, "year", 2025, "year of the distribution periods")
	fs.StringVar(&provinces, "provinces", "", "comma-separated province codes (\"32,35\") to place every family in; default all, by population")
	fs.StringVar(&out, "out", "", "folder to write the files into, created if missing (required)")
	monthly := fs.Bool("monthly", false, "deliver "+synth.DistributionFile+" as one file per month (penyaluran-YYYY-MM.csv), as the ministry's monthly exports arrive")
	fs.StringVar(&months, "months", "", "with --monthly, write only these months (\"1-4\", \"7\"); the year is still generated whole, so they are the same months as in a whole year")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: portal generate --rows N [--seed S] [--year Y] [--provinces P,…] [--monthly [--months A-B]] --out DIR\n\n"+
			"Writes %s, %s, %s, %s and %s: synthetic, realistic input for the\n"+
			"aggregator, with a known share of problems injected.\n\nFlags:\n",
			synth.DistributionFile, synth.ASNFile, synth.DeceasedFile, synth.KuotaFile, synth.DTSENFile)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	var problems []string
	if opt.Rows <= 0 {
		problems = append(problems, "--rows must be a positive number")
	}
	if strings.TrimSpace(out) == "" {
		problems = append(problems, "--out is required")
	}
	if opt.Year < 2000 || opt.Year > 2098 {
		problems = append(problems, fmt.Sprintf("--year %d is outside 2000–2098", opt.Year))
	}
	if provinces != "" {
		for _, c := range strings.Split(provinces, ",") {
			opt.Provinces = append(opt.Provinces, strings.TrimSpace(c))
		}
	}
	var keep func(string) bool
	if months != "" {
		lo, hi, err := monthRange(months)
		switch {
		case !*monthly:
			problems = append(problems, "--months needs --monthly")
		case err != nil:
			problems = append(problems, err.Error())
		default:
			keep = func(m string) bool { // "YYYY-MM" or "unknown"
				n, err := strconv.Atoi(strings.TrimPrefix(m, fmt.Sprintf("%04d-", opt.Year)))
				return err == nil && n >= lo && n <= hi
			}
		}
	}
	if fs.NArg() > 0 {
		problems = append(problems, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if len(problems) > 0 {
		fmt.Fprintf(e.stderr, "portal generate: %s\n", strings.Join(problems, "; "))
		fs.Usage()
		return exitUsage
	}
	start := time.Now()
	var sum synth.Summary
	var err error
	if *monthly {
		// The distribution file is split into months as it is written,
		// so a national year never lies on disk whole beside its months.
		if err = os.MkdirAll(out, 0o755); err == nil {
			pr, pw := io.Pipe()
			split := make(chan error, 1)
			var parts []string
			go func() {
				var err error
				parts, err = synth.SplitMonthlyStream(pr, synth.DistributionFile, out, strings.TrimSuffix(synth.DistributionFile, ".csv"), keep)
				pr.CloseWithError(err) // a failed split stops the generator's writes
				split <- err
			}()
			opt.DistributionTo = pw
			sum, err = synth.Generate(ctx, out, opt)
			pw.CloseWithError(err) // io.EOF to the split when err is nil
			if serr := <-split; err == nil {
				err = serr
			}
			sum.Files = append(parts, sum.Files...)
		}
	} else {
		sum, err = synth.Generate(ctx, out, opt)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "portal generate: %v\n", err)
		return exitFailure
	}
	names := make([]string, len(sum.Files))
	for i, f := range sum.Files {
		names[i] = filepath.Base(f)
	}
	x := sum.Expected
	fmt.Fprintf(e.stdout, "portal generate: %d rows, %d families, seed %d, in %s to %s (%s); expect accepted %d, rejected %d, quarantined %d, replayed %d\n",
		sum.Rows, sum.Families, opt.Seed, time.Since(start).Round(time.Millisecond), out, strings.Join(names, ", "),
		x.Accepted, total(x.Rejected), total(x.Quarantined), x.Replayed)
	return exitOK
}

// monthRange reads --months: "4" or "1-4", months 1–12.
func monthRange(s string) (lo, hi int, err error) {
	a, b, isRange := strings.Cut(strings.TrimSpace(s), "-")
	if !isRange {
		b = a
	}
	lo, err1 := strconv.Atoi(strings.TrimSpace(a))
	hi, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || lo < 1 || hi > 12 || lo > hi {
		return 0, 0, fmt.Errorf("--months %q is not a month or a range of months within 1–12, such as 1-4", s)
	}
	return lo, hi, nil
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
