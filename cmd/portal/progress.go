package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
)

// progress shows a run's progress on stderr: a live bar on a terminal,
// a log line every few seconds otherwise.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	log      *slog.Logger
	tty      bool
	total    int64
	start    time.Time
	last     time.Time
	every    time.Duration
	read     int64
	rows     int64
	finished bool
}

func newProgress(w io.Writer, log *slog.Logger) *progress {
	p := &progress{w: w, log: log, every: 5 * time.Second}
	if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		p.tty, p.every = true, 200*time.Millisecond
	}
	return p
}

func (p *progress) Start(total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.start, p.last = total, time.Now(), time.Now()
}

func (p *progress) Update(read, rows int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.read, p.rows = read, rows
	if time.Since(p.last) < p.every {
		return
	}
	p.last = time.Now()
	p.show()
}

func (p *progress) show() {
	pct := 0.0
	if p.total > 0 {
		pct = 100 * float64(p.read) / float64(p.total)
	}
	rate := float64(p.rows) / max(time.Since(p.start).Seconds(), 1e-9)
	if p.tty {
		const width = 30
		n := int(pct / 100 * width)
		n = min(max(n, 0), width)
		fmt.Fprintf(p.w, "\r[%s%s] %5.1f%%  %d rows  %.0f rows/s ", strings.Repeat("#", n), strings.Repeat(" ", width-n), pct, p.rows, rate)
		return
	}
	p.log.Info("progress", "percent", fmt.Sprintf("%.1f", pct), "rows", p.rows, "rows_per_s", int64(rate))
}

func (p *progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return
	}
	p.finished = true
	p.read = p.total
	if p.tty {
		p.show()
		fmt.Fprintln(p.w)
	}
}
