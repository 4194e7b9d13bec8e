# Portal Data Bansos — the two commands a new user needs are `make run` and
# `make test`. Everything else is here for maintainers.

GO        ?= go
NPM       ?= npm
NPM_STAMP := node_modules/.installed
VENDOR    := public/static/vendor
ECHARTS   := $(VENDOR)/echarts/echarts.min.js
# Spectral lints the OpenAPI document in the tests (portal/api/spectral_test.go);
# pinned apart from the site's libraries, so that `make run` does not fetch it.
SPECTRAL  := tools/openapi/node_modules/.installed
# DuckDB reads the Parquet downloads back in the tests (portal/parquet_test.go).
DUCKDB    := tools/duckdb/node_modules/.installed
# axe-core checks the pages' accessibility in Chromium (portal/browser_axe_test.go).
AXE       := tools/axe/node_modules/.installed

.PHONY: run test build assets vet fmt check-fmt reference bench clean fuzz race

## run: install what is missing, then serve the portal (demo data on first start) at http://localhost:8080
run: assets
	$(GO) run ./cmd/portal serve

## test: go vet, gofmt check and the whole test suite (every fuzz target's seed corpus runs as a test; `make fuzz` fuzzes)
test: assets $(SPECTRAL) $(DUCKDB) $(AXE) vet check-fmt
	$(GO) test -count=1 ./...

## race: the aggregator's tests under the race detector (its ingestion and protection run goroutines); about a minute, more on a fresh clone (a second cgo build of SQLite)
race:
	$(GO) test -count=1 -race ./aggregator

# Fuzz targets run by `make fuzz`, as package:FuzzName. Seeds in each
# package's testdata/fuzz/ run with the ordinary tests too; add a new
# target with one line here.
FUZZ_TARGETS := \
	./internal/dataset:FuzzParseQuery \
	./portal:FuzzRequest \
	./internal/csvread:FuzzReader \
	./aggregator:FuzzValidate \
	./aggregator:FuzzNIK \
	./aggregator:FuzzParseDate \
	./internal/region:FuzzNormalize \
	./internal/press:FuzzRenderMarkdown \
	./internal/press:FuzzParseLinks \
	./portal/news:FuzzFeeds \
	./aggregator:FuzzReadLists \
	./internal/kip:FuzzParseHolidays \
	./internal/press:FuzzAskNormalize \
	./portal:FuzzTanyaForm
# How long each target is fuzzed by `make fuzz` (0 skips fuzzing). CI runs
# `make test`, then `make fuzz` at this setting; longer runs: make fuzz
# FUZZTIME=10m.
FUZZTIME ?= 5s

## fuzz: fuzz each target in FUZZ_TARGETS for FUZZTIME (new failing inputs land in testdata/fuzz/)
fuzz: assets
	@if [ "$(FUZZTIME)" = "0" ]; then echo "fuzz: skipped (FUZZTIME=0)"; exit 0; fi; \
	for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name for $(FUZZTIME)"; \
		log=$$(mktemp); corpus=$$pkg/testdata/fuzz/$$name; \
		before=$$(ls $$corpus 2>/dev/null | wc -l); \
		if ! $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg >$$log 2>&1; then \
			if [ "$$(ls $$corpus 2>/dev/null | wc -l)" = "$$before" ] && grep -q 'context deadline exceeded' $$log; then \
				echo "  $$name: stopped by Go's fuzz-deadline race (golang/go#75804, fixed in Go 1.27), no failing input: ignored"; \
			else cat $$log; rm -f $$log; exit 1; fi; \
		else tail -n 1 $$log; fi; \
		rm -f $$log; \
	done

## build: the portal binary in bin/
build: assets
	CGO_ENABLED=1 $(GO) build -trimpath -o bin/portal ./cmd/portal

## assets: front-end libraries from npm (pinned in package-lock.json) into public/static/vendor
assets: $(ECHARTS)

$(NPM_STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

$(SPECTRAL): tools/openapi/package.json tools/openapi/package-lock.json
	$(NPM) ci --prefix tools/openapi --no-audit --no-fund --ignore-scripts
	@touch $@

$(DUCKDB): tools/duckdb/package.json tools/duckdb/package-lock.json
	$(NPM) ci --prefix tools/duckdb --no-audit --no-fund --ignore-scripts
	@touch $@

$(AXE): tools/axe/package.json tools/axe/package-lock.json
	$(NPM) ci --prefix tools/axe --no-audit --no-fund --ignore-scripts
	@touch $@

$(ECHARTS): $(NPM_STAMP)
	mkdir -p $(VENDOR)/echarts
	cp node_modules/echarts/dist/echarts.min.js $(ECHARTS)
	cp node_modules/echarts/LICENSE $(VENDOR)/echarts/LICENSE.txt

vet:
	$(GO) vet ./...

check-fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

fmt:
	gofmt -w $$(git ls-files '*.go')

## reference: regenerate data/reference from the idn-area-data npm package
reference: $(NPM_STAMP)
	$(GO) run ./scripts/genreference -src node_modules/idn-area-data/data -out data/reference

clean:
	rm -rf bin $(VENDOR) $(NPM_STAMP)
