// Package memstat reads a process's own memory figures for the hardening
// tools: its resident set, and the Go runtime's memory classes, which tell
// where that resident memory sits (heap, runtime metadata, stacks).
package memstat

import (
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
)

// RSSKiB returns VmRSS from /proc/self/status, or -1 when it cannot be
// read (not Linux).
func RSSKiB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				n, _ := strconv.Atoi(f[0])
				return n
			}
		}
	}
	return -1
}

// ClassesKiB reads runtime/metrics' /memory/classes/* counters, in KiB,
// keyed by the name without its prefix and unit ("metadata/other").
func ClassesKiB() map[string]uint64 {
	const prefix = "/memory/classes/"
	var samples []metrics.Sample
	for _, d := range metrics.All() {
		if strings.HasPrefix(d.Name, prefix) && d.Kind == metrics.KindUint64 {
			samples = append(samples, metrics.Sample{Name: d.Name})
		}
	}
	metrics.Read(samples)
	out := make(map[string]uint64, len(samples))
	for _, s := range samples {
		out[strings.TrimSuffix(strings.TrimPrefix(s.Name, prefix), ":bytes")] = s.Value.Uint64() >> 10
	}
	return out
}
