package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/portal-data-bansos/portal/internal/synth"
)

// runGenerate is `portal generate --rows N [--seed S] [--year Y] [--provinces P,…] [--monthly] --out DIR`:
// it writes synthetic input files (see package synth) and prints a one-line
// summary.
func runGenerate(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("portal generate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var opt synth.Options
	var out, provinces string
	fs.IntVar(&opt.Rows, "rows", 0, "number of data rows of "+synth.DistributionFile+", injected problems included (required)")
	fs.Uint64Var(&opt.Seed, "seed", 1, "random seed: the same seed writes the same files")
	fs.IntVar(&opt.Year, "year", 2025, "year of the distribution periods")
	fs.StringVar(&provinces, "provinces", "", "comma-separated province codes (\"32,35\") to place every family in; default all, by population")
	fs.StringVar(&out, "out", "", "folder to write the files into, created if missing (required)")
	monthly := fs.Bool("monthly", false, "deliver "+synth.DistributionFile+" as one file per month (penyaluran-YYYY-MM.csv), as the ministry's monthly exports arrive")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: portal generate --rows N [--seed S] [--year Y] [--provinces P,…] [--monthly] --out DIR\n\n"+
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
	if fs.NArg() > 0 {
		problems = append(problems, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if len(problems) > 0 {
		fmt.Fprintf(e.stderr, "portal generate: %s\n", strings.Join(problems, "; "))
		fs.Usage()
		return exitUsage
	}
	start := time.Now()
	sum, err := synth.Generate(ctx, out, opt)
	if err != nil {
		fmt.Fprintf(e.stderr, "portal generate: %v\n", err)
		return exitFailure
	}
	if *monthly {
		whole := filepath.Join(out, synth.DistributionFile)
		parts, err := synth.SplitMonthly(whole, out, strings.TrimSuffix(synth.DistributionFile, ".csv"))
		if err == nil {
			err = os.Remove(whole)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "portal generate: %v\n", err)
			return exitFailure
		}
		files := parts
		for _, f := range sum.Files {
			if f != whole {
				files = append(files, f)
			}
		}
		sum.Files = files
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

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
