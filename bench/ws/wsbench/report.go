package main

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/tornago/tornago/bench/internal/procfs"
)

// echoCase is one echo row: a server with plain or compressed frames.
type echoCase struct {
	server  int
	deflate bool
}

func (e echoCase) framing() string {
	if e.deflate {
		return "permessage-deflate"
	}
	return "plain"
}

// table gathers every run's figures, one slice entry per round.
type table struct {
	c       *config
	echo    map[echoCase][]echoResult
	idle    map[int][]idleResult
	skipped map[string]string
	notes   []string
}

func newTable(c *config) *table {
	return &table{c: c, echo: map[echoCase][]echoResult{}, idle: map[int][]idleResult{}, skipped: map[string]string{}}
}

// echoCases lists the rows: every server plain, then every server with
// permessage-deflate when asked.
func (t *table) echoCases() []echoCase {
	var cases []echoCase
	for _, d := range []bool{false, true} {
		if d && !t.c.deflate {
			continue
		}
		for i := range t.c.servers {
			cases = append(cases, echoCase{i, d})
		}
	}
	return cases
}

func (t *table) addEcho(e echoCase, r echoResult) { t.echo[e] = append(t.echo[e], r) }
func (t *table) addIdle(i int, r idleResult)      { t.idle[i] = append(t.idle[i], r) }
func (t *table) skip(name, why string)            { t.skipped[name] = why }
func (t *table) notef(format string, args ...any) {
	t.notes = append(t.notes, fmt.Sprintf(format, args...))
}

// median of the figures; 0 for none. An even count takes the mean of the
// middle two.
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianOf[T any](rs []T, f func(T) float64) float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	return median(v)
}

// env describes the machine for the report.
type env struct {
	date, cpuModel, kernel, goVersion string
	nproc                             int
}

func gatherEnv() env {
	e := env{date: time.Now().UTC().Format("2006-01-02 15:04 MST"), nproc: onlineCPUs(), goVersion: runtime.Version()}
	e.cpuModel = procfs.CPUModel()
	e.kernel = procfs.KernelRelease()
	return e
}

// renderReport writes the markdown section: the echo table, the idle
// table and the notes.
func renderReport(c *config, e env, t *table) string {
	var b strings.Builder
	title := "## WebSocket: echo and idle sockets"
	if c.quick {
		title += " (QUICK smoke run: not figures to quote)"
	}
	fmt.Fprintf(&b, "%s\n\n", title)
	fmt.Fprintf(&b, "Measured %s on %s (%d CPUs, Linux %s), %s", e.date, e.cpuModel, e.nproc, e.kernel, e.goVersion)
	if c.command != "" {
		fmt.Fprintf(&b, ", with `%s`", c.command)
	}
	fmt.Fprintf(&b, ". Servers pinned to CPU %s, the client (`bench/ws/wsbench`) to the other CPU, on 127.0.0.1.\n\n", c.serverCPU)

	baseIdx := 0
	for i, s := range c.servers {
		if s.name == c.baseline {
			baseIdx = i
		}
	}
	fmt.Fprintf(&b, "### Echo: messages per second on one core\n\n")
	fmt.Fprintf(&b, "%d connections, each with %d text messages of %d bytes in flight, every echo checked against its message; "+
		"%v per run after a %v warm-up, median of %d alternating round(s).\n\n", c.conns, c.window, c.size, c.duration, c.warmup, c.rounds)
	b.WriteString("*per server CPU-second* is messages/s divided by the share of a CPU the server got: the steadier figure on a shared machine.\n\n")
	fmt.Fprintf(&b, "| server | frames | messages/s | vs %s | per server CPU-second | server CPU | client CPU | other load |\n", c.baseline)
	b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|\n")
	for _, ec := range t.echoCases() {
		name := c.servers[ec.server].name
		rs := t.echo[ec]
		if len(rs) == 0 {
			fmt.Fprintf(&b, "| %s | %s | no run completed (see notes) | | | | | |\n", name, ec.framing())
			continue
		}
		rate := medianOf(rs, echoResult.rate)
		ratio := "1.00×"
		if ec.server != baseIdx {
			ratio = "–"
			if base := t.echo[echoCase{baseIdx, ec.deflate}]; len(base) > 0 {
				ratio = fmt.Sprintf("%.2f×", rate/medianOf(base, echoResult.rate))
			}
		}
		server := medianOf(rs, func(r echoResult) float64 { return r.serverCPU })
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %.0f%% | %.0f%% | %.0f%% |\n", name, ec.framing(), thousands(rate), ratio,
			thousands(medianOf(rs, echoResult.perCPU)), server*100, medianOf(rs, func(r echoResult) float64 { return r.clientCPU })*100,
			medianOf(rs, func(r echoResult) float64 { return r.foreign })*100)
		if server < 0.9 {
			foreign := medianOf(rs, func(r echoResult) float64 { return r.foreign })
			if foreign >= 0.1 {
				t.notef("%s, %s: the server got %.0f%% of a CPU while other work took %.0f%% of the machine: a noisy row.", name, ec.framing(), server*100, foreign*100)
			} else {
				t.notef("%s, %s: the server used only %.0f%% of its CPU, so the client or the loopback limited this row.", name, ec.framing(), server*100)
			}
		}
		if ec.deflate {
			if share := medianOf(rs, func(r echoResult) float64 { return r.compressedOut }); share < 0.999 {
				t.notef("%s, permessage-deflate: only %.0f%% of the echoes came back compressed.", name, share*100)
			}
		}
	}
	b.WriteString("\n")

	if c.idle > 0 {
		fmt.Fprintf(&b, "### Idle sockets: resident memory\n\n")
		fmt.Fprintf(&b, "%s WebSocket connections, each after its handshake and one echo, idle for %v; the server's VmRSS "+
			"(`/proc/<pid>/status`) before and after, a fresh server per round, median of %d round(s).\n\n", thousands(float64(c.idle)), c.settle, c.rounds)
		b.WriteString("*Go heap + stacks* is HeapInuse + StackInuse from the server's `/heap` (after a collection), per socket.\n\n")
		fmt.Fprintf(&b, "| server | VmRSS before | VmRSS after | per idle socket | vs %s | Go heap + stacks per socket |\n", c.baseline)
		b.WriteString("|---|--:|--:|--:|--:|--:|\n")
		per := func(r idleResult) float64 { return r.perSocket(c.idle) }
		for i, s := range c.servers {
			rs := t.idle[i]
			if len(rs) == 0 {
				fmt.Fprintf(&b, "| %s | no run completed (see notes) | | | | |\n", s.name)
				continue
			}
			bytes := medianOf(rs, per)
			ratio := "1.00×"
			if i != baseIdx {
				ratio = "–"
				if base := t.idle[baseIdx]; len(base) > 0 {
					ratio = fmt.Sprintf("%.2f×", bytes/medianOf(base, per))
				}
			}
			heap := "–"
			var withHeap []idleResult
			for _, r := range rs {
				if r.heapErr == nil {
					withHeap = append(withHeap, r)
				} else {
					t.notef("%s: no heap figure: %v", s.name, r.heapErr)
				}
			}
			if len(withHeap) > 0 {
				heap = kib(medianOf(withHeap, func(r idleResult) float64 { return r.heapPerSocket(c.idle) }))
			}
			fmt.Fprintf(&b, "| %s | %s KiB | %s KiB | %s | %s | %s |\n", s.name,
				thousands(medianOf(rs, func(r idleResult) float64 { return float64(r.beforeKiB) })),
				thousands(medianOf(rs, func(r idleResult) float64 { return float64(r.afterKiB) })),
				kib(bytes), ratio, heap)
		}
		b.WriteString("\n")
	}

	notes := slices.Clone(c.notes)
	for _, s := range c.servers {
		if why, ok := t.skipped[s.name]; ok {
			notes = append(notes, fmt.Sprintf("%s skipped: %s", s.name, why))
		}
	}
	notes = append(notes, t.notes...)
	if len(notes) > 0 {
		b.WriteString("Notes:\n\n")
		for _, n := range notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// thousands formats a rounded figure with comma separators.
func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// kib formats bytes as KiB with one decimal.
func kib(bytes float64) string { return fmt.Sprintf("%.1f KiB", bytes/1024) }

// onlineCPUs counts the machine's CPUs from /proc/stat (runtime.NumCPU
// counts only those this pinned process may use).
func onlineCPUs() int {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return runtime.NumCPU()
	}
	n := 0
	for line := range strings.Lines(string(data)) {
		if len(line) > 3 && line[:3] == "cpu" && line[3] >= '0' && line[3] <= '9' {
			n++
		}
	}
	return n
}
