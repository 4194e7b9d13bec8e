package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
	"time"

	"github.com/portal-data-bansos/portal/aggregator"
	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/store"
)

func runAggregate(ctx context.Context, e *env, args []string) int {
	var asn, deceased, kuota, dtsen, cpuProfile, memProfile, asOf string
	var asJSON bool
	cfg, fs, code := parseFlags(e, "aggregate", args, (*Config).registerAggregateCommand, func(fs *flag.FlagSet) {
		fs.StringVar(&asn, "asn", "", "civil servant list (CSV with a nik column) to match against")
		fs.StringVar(&deceased, "deceased", "", "deceased list (CSV with nik, tanggal_meninggal) to match against")
		fs.StringVar(&kuota, "kuota", "", "target list (CSV: program, periode, kode_wilayah, kuota_kpm, pagu); replaces the one in force")
		fs.StringVar(&dtsen, "dtsen", "", "DTSEN families by regency and decile (CSV: kode_wilayah, desil, keluarga); replaces the one in force")
		fs.BoolVar(&asJSON, "json", false, "print the run report as JSON on stdout")
		fs.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file (for maintainers: go tool pprof)")
		fs.StringVar(&memProfile, "memprofile", "", "write a heap profile taken near the run's highest live heap to this file (for maintainers: go tool pprof -sample_index=inuse_space)")
		fs.StringVar(&asOf, "as-of", "", "judge which quarters are due as of this day (YYYY-MM-DD, not after today), for loading archived monthly exports in the order they arrived")
	})
	if code >= 0 {
		return code
	}
	var asOfDay time.Time
	if asOf != "" {
		d, err := time.ParseInLocation(time.DateOnly, asOf, bansos.WIB)
		if err != nil || d.After(time.Now()) {
			fmt.Fprintf(e.stderr, "portal aggregate: --as-of %q is not a day (YYYY-MM-DD) on or before today\n", asOf)
			return exitUsage
		}
		asOfDay = d
	}
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			fmt.Fprintf(e.stderr, "portal aggregate: %v\n", err)
			return exitUsage
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(e.stderr, "portal aggregate: %v\n", err)
			return exitFailure
		}
		defer pprof.StopCPUProfile()
	}
	if memProfile != "" {
		stop, err := peakHeapProfile(ctx, memProfile, 250*time.Millisecond)
		if err != nil {
			fmt.Fprintf(e.stderr, "portal aggregate: %v\n", err)
			return exitUsage
		}
		defer func() {
			if err := stop(); err != nil {
				fmt.Fprintf(e.stderr, "portal aggregate: %v\n", err)
			}
		}()
	}
	var inputs []aggregator.Input
	for _, l := range []struct {
		path string
		kind aggregator.ListKind
	}{{asn, aggregator.ListASN}, {deceased, aggregator.ListDeceased}, {kuota, aggregator.ListKuota}, {dtsen, aggregator.ListDTSEN}} {
		if l.path != "" {
			inputs = append(inputs, aggregator.Input{Path: l.path, Kind: l.kind})
		}
	}
	for _, p := range fs.Args() {
		inputs = append(inputs, aggregator.Input{Path: p, Kind: aggregator.ClassifyFile(p)})
	}
	if len(inputs) == 0 {
		fmt.Fprintln(e.stderr, "portal aggregate: no files given\nusage: portal aggregate [--asn FILE] [--deceased FILE] [--kuota FILE] [--dtsen FILE] [--as-of DAY] [--synthetic] [--json] FILE...")
		return exitUsage
	}
	for _, in := range inputs {
		if _, err := os.Stat(in.Path); err != nil {
			fmt.Fprintf(e.stderr, "portal aggregate: %v\n", err)
			return exitUsage
		}
	}
	log := newLogger(cfg, e.stderr)
	res, err := aggregate(ctx, cfg, log, e, inputs, asOfDay)
	if res != nil && asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(res.Report); jerr != nil {
			fmt.Fprintf(e.stderr, "portal aggregate: %v\n", jerr)
			return exitFailure
		}
	}
	if err != nil {
		if errors.Is(err, aggregator.ErrRefused) {
			for _, f := range res.Files {
				if f.Refused {
					fmt.Fprintf(e.stderr, "refused: %s\n", f.Reason)
				}
			}
		} else {
			fmt.Fprintf(e.stderr, "portal aggregate: %v\n", store.Explain(err))
		}
		return exitFailure
	}
	if !asJSON {
		r := res.Report
		fmt.Fprintf(e.stdout, "release %s: %d rows, %d accepted, %d rejected, %d quarantined, %d replayed\n",
			r.Release, r.Rows, r.Accepted, sum(r.Rejected), sum(r.Quarantined), r.Replayed)
	}
	return exitOK
}

func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// aggregate opens the stores and the key, takes the data folder's lock and
// runs the aggregator on inputs, judging due quarters as of asOf (zero:
// today).
func aggregate(ctx context.Context, cfg *Config, log *slog.Logger, e *env, inputs []aggregator.Input, asOf time.Time) (*aggregator.Result, error) {
	st, err := openStores(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer st.close()
	lock, err := datadir.TryLock(cfg.Data)
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	key, err := datadir.LoadOrCreateKey(cfg.KeyFile)
	if err != nil {
		return nil, err
	}
	return aggregator.Run(ctx, aggregator.Options{
		Published: st.published, Private: st.private, Regions: region.Default(),
		Key: key, K: cfg.K, PublishAfterDays: cfg.PublishAfterDays, AsOf: asOf, Log: log, Trigger: "command", Progress: newProgress(e.stderr, log),
		Synthetic: cfg.Synthetic, DataDir: cfg.Data, RetainQuarters: cfg.RetainQuarters,
	}, inputs)
}
