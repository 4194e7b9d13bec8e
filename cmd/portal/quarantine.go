package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"

	"github.com/portal-data-bansos/portal/aggregator"
	"github.com/portal-data-bansos/portal/internal/store"
)

// runQuarantine lets the data steward read the quarantined rows:
//
//	portal quarantine list [--run ID] [--reason CODE] [--file NAME] [--limit N]
//	portal quarantine export [--run ID] [--reason CODE] [--file NAME] FILE|-
//
// The rows may contain personal data; they are shown only here, never by
// the site.
func runQuarantine(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || (args[0] != "list" && args[0] != "export") {
		fmt.Fprintln(e.stderr, "usage: portal quarantine list|export [--run ID] [--reason CODE] [--file NAME] [--limit N] [FILE]")
		return exitUsage
	}
	sub := args[0]
	var f aggregator.QuarantineFilter
	limit := 50
	if sub == "export" {
		limit = 0
	}
	cfg, fs, code := parseFlags(e, "quarantine "+sub, args[1:], (*Config).registerData, func(fs *flag.FlagSet) {
		fs.StringVar(&f.RunID, "run", "", "only this run")
		fs.StringVar(&f.Reason, "reason", "", "only this reason code, e.g. BAD_NIK")
		fs.StringVar(&f.File, "file", "", "only rows of this input file")
		fs.IntVar(&f.Limit, "limit", limit, "at most this many rows (0: all)")
	})
	if code >= 0 {
		return code
	}
	priv, err := store.Open(ctx, cfg.Data, store.Private, store.Options{})
	if err != nil {
		fmt.Fprintf(e.stderr, "portal quarantine: %v\n", err)
		return exitFailure
	}
	defer priv.Close()
	if sub == "list" {
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RUN\tFILE\tLINE\tREASON\tROW")
		err = aggregator.EachQuarantined(ctx, priv.R, f, func(r aggregator.QuarantinedRow) error {
			_, err := fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", r.RunID, r.File, r.Line, r.Reason, strconv.Quote(r.Raw))
			return err
		})
		tw.Flush()
	} else {
		if fs.NArg() != 1 {
			fmt.Fprintln(e.stderr, "portal quarantine export: give one output FILE (or - for stdout)")
			return exitUsage
		}
		var w io.Writer = e.stdout
		if name := fs.Arg(0); name != "-" {
			out, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
			if err != nil {
				fmt.Fprintf(e.stderr, "portal quarantine export: %v\n", err)
				return exitFailure
			}
			defer out.Close()
			w = out
		}
		cw := csv.NewWriter(w)
		cw.Write([]string{"run_id", "file", "line", "reason", "raw"})
		err = aggregator.EachQuarantined(ctx, priv.R, f, func(r aggregator.QuarantinedRow) error {
			return cw.Write([]string{r.RunID, r.File, strconv.FormatInt(r.Line, 10), r.Reason, r.Raw})
		})
		cw.Flush()
		if err == nil {
			err = cw.Error()
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "portal quarantine: %v\n", err)
		return exitFailure
	}
	return exitOK
}
