package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// target is a figure an issue asks of a tornago row, against a peer or
// absolutely (peer "").
type target struct {
	row, peer, metric string
	atLeast           bool // ratio (or value) must be ≥ want; otherwise ≤
	want              float64
	issue             string
}

// targets are the "Done when" figures of the issues, for the rows they name:
// tornago-server is the bare HTTPServer (examples/serverhello), tornago-web
// Tornado's helloworld on web.Application (examples/hello).
var targets = []target{
	{"tornago-server", "fasthttp", "keep-alive", true, 1.05, "issue 2"},
	{"tornago-server", "net/http", "keep-alive", true, 1.8, "issue 2"},
	{"tornago-server", "floor", "keep-alive", true, 0.9, "issue 2"},
	{"tornago-server", "fasthttp", "pipelined", true, 1.0, "issue 2"},
	{"tornago-server", "", "idle bytes", false, 512, "issue 2"},
	{"tornago-web", "fasthttp", "keep-alive", true, 1.0, "issue 4"},
}

// templateTargets are issue 3's: tornago's time at most a tenth of
// html/template's and below jet's.
var templateTargets = []struct {
	peer   string
	atMost float64
	strict bool
}{
	{"html/template", 0.1, false},
	{"jet", 1.0, true},
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}

// metric returns a server's median for a metric name.
func (s *server) metric(name string) float64 {
	switch name {
	case "keep-alive":
		return median(s.keepAlive)
	case "pipelined":
		return median(s.pipelined)
	case "p99":
		return median(s.p99)
	case "cpu":
		return median(s.cpu)
	case "idle bytes":
		return median(s.idleBytes)
	case "other load":
		return median(s.foreign)
	case "wrk busy":
		return median(s.wrkBusy)
	}
	return math.NaN()
}

func fmtRate(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmtThousands(int64(math.Round(v)))
}

func fmtThousands(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	s := fmt.Sprint(n)
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func fmtMicros(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	if v >= 1000 {
		return fmt.Sprintf("%.2f ms", v/1000)
	}
	return fmt.Sprintf("%.0f µs", v)
}

func fmtCPU(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%.1f µs", v)
}

func fmtBytes(v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case math.Abs(v) >= 1024:
		return fmt.Sprintf("%.1f KiB", v/1024)
	default:
		return fmt.Sprintf("%.0f B", v)
	}
}

func fmtPercent(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", v*100)
}

func fmtRatio(a, b float64) string {
	if math.IsNaN(a) || math.IsNaN(b) || b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// fmtDuration writes whole minutes as "1m" rather than "1m0s".
func fmtDuration(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

func renderReport(c *config, e env, tmpl []engineResult) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	w("# tornago benchmarks\n\n")
	if c.quick {
		w("**QUICK mode: a smoke run (short runs, one round). Not the figures the issues ask for; run `bench/run.sh` without QUICK for those.**\n\n")
	}
	w("Written by `bench/run.sh` on %s.\n\n", e.date)
	w("- Machine: %d CPUs (`nproc`), %s, Linux %s\n", e.nproc, orDash(e.cpuModel), orDash(e.kernel))
	w("- Tools: %s; %s", orDash(e.goVersion), orDash(e.wrkVersion))
	if e.python != "" {
		w("; %s", e.python)
	}
	w("\n")
	if c.command != "" {
		w("- Command: `%s`\n", c.command)
	}
	if len(c.servers) > 0 {
		w("- Method: each server pinned to CPU %s (taskset), wrk and idleconns to CPU %s; all on 127.0.0.1. "+
			"Keep-alive: `wrk -t1 -c%d -d%s --latency`; pipelined: the same with %d requests per write (`pipeline.lua`). "+
			"CPU per request: the server's utime+stime (`/proc/<pid>/stat`) over the keep-alive run ÷ its requests. "+
			"Idle memory: VmRSS growth of a fresh server instance holding %s keep-alive connections that each made one request, ÷ connections (`idleconns`). "+
			"Each figure is the median of %d alternating round(s) (every server once per round). "+
			"Before each run the driver waits (up to %s) for the machine to be at most %.0f%% busy; "+
			"*other load* is the median share of both CPUs' time, during the runs, used by neither the server nor wrk "+
			"(other people's work, and kernel time charged to neither): above a few percent, the row is disturbed. "+
			"*wrk busy* is wrk's own utime+stime over the keep-alive run ÷ its length: near 100%% the client, not the server, "+
			"sets that row's req/s, and rows that all reach it cannot be told apart by req/s (CPU per request still can).\n",
			c.serverCPU, c.clientCPU, c.connsKeep, fmtDuration(c.duration), c.depth, fmtThousands(int64(c.idle)), c.rounds,
			fmtDuration(c.quietWait), quietBusy*100)
	}
	for _, n := range c.notes {
		w("- %s\n", n)
	}

	if len(c.servers) > 0 {
		w("\n## HTTP: hello world and friends, one core each\n\n")
		w("| server | path | keep-alive req/s | pipelined req/s | p99 latency | CPU per request | memory per idle connection | wrk busy | other load |\n")
		w("|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, s := range c.servers {
			if s.skipped != "" {
				w("| %s | `%s` | skipped: %s | | | | | | |\n", s.name, s.path, s.skipped)
				continue
			}
			w("| %s | `%s` | %s | %s | %s | %s | %s | %s | %s |\n", s.name, s.path,
				fmtRate(s.metric("keep-alive")), fmtRate(s.metric("pipelined")),
				fmtMicros(s.metric("p99")), fmtCPU(s.metric("cpu")), fmtBytes(s.metric("idle bytes")),
				fmtPercent(s.metric("wrk busy")), fmtPercent(s.metric("other load")))
		}
		writeRatios(&b, c.servers)
		writeTargets(&b, c.servers)
		for _, s := range c.servers {
			for _, n := range s.notes {
				w("\nNote, %s: %s\n", s.name, n)
			}
		}
	}
	if len(tmpl) > 0 {
		writeTemplates(&b, tmpl)
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func byName(servers []*server) map[string]*server {
	m := map[string]*server{}
	for _, s := range servers {
		if s.skipped == "" {
			m[s.name] = s
		}
	}
	return m
}

func writeRatios(b *strings.Builder, servers []*server) {
	all := byName(servers)
	var rows []string
	for _, t := range servers {
		if t.role != "tornago" || t.skipped != "" {
			continue
		}
		for _, name := range t.vs {
			p := all[name]
			if p == nil {
				continue
			}
			rows = append(rows, fmt.Sprintf("| %s ÷ %s | %s | %s | %s | %s | %s |\n", t.name, p.name,
				fmtRatio(t.metric("keep-alive"), p.metric("keep-alive")),
				fmtRatio(t.metric("pipelined"), p.metric("pipelined")),
				fmtRatio(t.metric("p99"), p.metric("p99")),
				fmtRatio(t.metric("cpu"), p.metric("cpu")),
				fmtRatio(t.metric("idle bytes"), p.metric("idle bytes"))))
		}
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("\n## Ratios: tornago ÷ each peer\n\nreq/s: above 1 is better; latency, CPU and memory: below 1 is better.\n\n")
	b.WriteString("| ratio | keep-alive req/s | pipelined req/s | p99 latency | CPU per request | memory per idle connection |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		b.WriteString(r)
	}
}

func writeTargets(b *strings.Builder, servers []*server) {
	all := byName(servers)
	var rows []string
	for _, t := range targets {
		row := all[t.row]
		if row == nil {
			continue
		}
		got := row.metric(t.metric)
		what := fmt.Sprintf("%s %s", t.row, t.metric)
		if t.peer != "" {
			p := all[t.peer]
			if p == nil {
				continue
			}
			got /= p.metric(t.metric)
			what = fmt.Sprintf("%s %s ÷ %s", t.row, t.metric, t.peer)
		}
		op, ok := "≤", got <= t.want
		if t.atLeast {
			op, ok = "≥", got >= t.want
		}
		verdict := "met"
		switch {
		case math.IsNaN(got):
			verdict = "not measured"
		case !ok:
			verdict = "**not met**"
		}
		gotText, wantText := fmt.Sprintf("%.2f×", got), fmt.Sprintf("%.2f×", t.want)
		if t.peer == "" {
			gotText, wantText = fmtBytes(got), fmtBytes(t.want)
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | %s %s | %s |\n", what, gotText, op, wantText, verdict+" ("+t.issue+")"))
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("\n## Targets of the issues\n\n| figure | measured | wanted | verdict |\n|---|---:|---:|---|\n")
	for _, r := range rows {
		b.WriteString(r)
	}
	b.WriteString("\nZero allocations per request on the server path is checked by the httpserver's AllocsPerRun test, not here.\n")
}

func writeTemplates(b *strings.Builder, rows []engineResult) {
	find := func(name string) *engineResult {
		for i := range rows {
			if rows[i].name == name {
				return &rows[i]
			}
		}
		return nil
	}
	html, jet := find("html/template"), find("jet")
	b.WriteString("\n## Templates: Tornado's bigtable page (1000 rows × 10 columns of maps, 343,471 bytes)\n\n")
	goRuns, py := 0, (*engineResult)(nil)
	for i := range rows {
		if rows[i].renders > 0 {
			py = &rows[i]
		} else {
			goRuns = max(goRuns, rows[i].samples)
		}
	}
	fmt.Fprintf(b, "Go engines: `go test -bench Bigtable -benchmem` in `bench/template`, pinned to CPU 0, median of %d run(s) (`-count`).", goRuns)
	if py != nil {
		fmt.Fprintf(b, " Tornado: `tornado_bigtable.py` pinned to CPU 0, timeit, median of %d timing(s) of %d renders.", py.samples, py.renders)
	}
	b.WriteString(" All engines write the same page (checked by the `WritesThePage` tests; jet's cells come in Go's map order)." +
		" The Go rows write into a reused buffer, as does tornago's Execute, the like-for-like row; Generate also allocates the page it returns.\n\n")
	b.WriteString("| engine | time per page | ns/op | B/op | allocs/op | ÷ html/template | ÷ jet |\n|---|---:|---:|---:|---:|---:|---:|\n")
	ratio := func(r engineResult, peer *engineResult) string {
		if peer == nil {
			return "–"
		}
		return fmtRatio(r.nsPerOp, peer.nsPerOp)
	}
	for _, r := range rows {
		bytes, allocs := "–", "–"
		if r.hasMem {
			bytes, allocs = fmtThousands(int64(r.bytes)), fmtThousands(int64(r.allocs))
		}
		fmt.Fprintf(b, "| %s | %.2f ms | %s | %s | %s | %s | %s |\n", r.name, r.nsPerOp/1e6,
			fmtThousands(int64(r.nsPerOp)), bytes, allocs, ratio(r, html), ratio(r, jet))
	}
	for _, name := range []string{"tornago (Generate)", "tornago (Execute)"} {
		r := find(name)
		if r == nil {
			continue
		}
		for _, t := range templateTargets {
			peer := find(t.peer)
			if peer == nil {
				continue
			}
			got := r.nsPerOp / peer.nsPerOp
			ok := got <= t.atMost
			op := "≤"
			if t.strict {
				ok, op = got < t.atMost, "<"
			}
			verdict := "met"
			if !ok {
				verdict = "**not met**"
			}
			fmt.Fprintf(b, "\nTarget (issue 3): %s time ÷ %s %s %.2f×: %.2f×, %s.\n", name, t.peer, op, t.atMost, got, verdict)
		}
	}
	if find("tornago (Generate)") == nil {
		b.WriteString("\ntornago's template package is not in this run (it did not build, or is not there yet).\n")
	}
}
