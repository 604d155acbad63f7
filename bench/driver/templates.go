package main

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// engineResult is one row of the template table.
type engineResult struct {
	name                   string
	nsPerOp, bytes, allocs float64
	hasMem                 bool
	samples                int // benchmark runs (go test -count) or timeit repeats
	renders                int // renders per timeit timing (Tornado only)
}

// engineNames maps the benchmark functions of bench/template to the
// engines' names, in the table's order.
var engineNames = []struct{ bench, name string }{
	{"HTMLTemplate", "html/template"},
	{"Pongo2", "pongo2"},
	{"Jet", "jet"},
	{"Tornago", "tornago (Generate)"},
	{"TornagoExecute", "tornago (Execute)"},
}

var (
	goBenchLine = regexp.MustCompile(`^BenchmarkBigtable(\w+?)(?:-\d+)?\s+\d+\s+([0-9.]+) ns/op(?:\s+([0-9.]+) B/op\s+([0-9.]+) allocs/op)?`)
	pyBenchLine = regexp.MustCompile(`tornado=(\S+) renders=(\d+) repeat=(\d+) .*ns_per_op=([0-9.]+)`)
)

// templateResults reads the go test -bench output and the Tornado timing,
// taking the median of repeated benchmark lines (go test -count).
func templateResults(goBench, pyBench string) ([]engineResult, error) {
	var rows []engineResult
	if goBench != "" {
		data, err := os.ReadFile(goBench)
		if err != nil {
			return nil, fmt.Errorf("reading go benchmark output: %w", err)
		}
		rows = parseGoBench(string(data))
	}
	if pyBench != "" {
		data, err := os.ReadFile(pyBench)
		if err != nil {
			return nil, fmt.Errorf("reading Tornado timing: %w", err)
		}
		if m := pyBenchLine.FindStringSubmatch(string(data)); m != nil {
			ns, _ := strconv.ParseFloat(m[4], 64)
			renders, _ := strconv.Atoi(m[2])
			repeat, _ := strconv.Atoi(m[3])
			rows = append(rows, engineResult{name: "Tornado " + m[1] + " (CPython)", nsPerOp: ns, samples: repeat, renders: renders})
		}
	}
	return rows, nil
}

func parseGoBench(out string) []engineResult {
	type samples struct{ ns, bytes, allocs []float64 }
	byName := map[string]*samples{}
	for line := range strings.Lines(out) {
		m := goBenchLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		s := byName[m[1]]
		if s == nil {
			s = &samples{}
			byName[m[1]] = s
		}
		ns, _ := strconv.ParseFloat(m[2], 64)
		s.ns = append(s.ns, ns)
		if m[3] != "" {
			b, _ := strconv.ParseFloat(m[3], 64)
			a, _ := strconv.ParseFloat(m[4], 64)
			s.bytes = append(s.bytes, b)
			s.allocs = append(s.allocs, a)
		}
	}
	var rows []engineResult
	for _, e := range engineNames {
		s := byName[e.bench]
		if s == nil {
			continue
		}
		r := engineResult{name: e.name, nsPerOp: median(s.ns), samples: len(s.ns)}
		if len(s.allocs) > 0 {
			r.hasMem, r.bytes, r.allocs = true, median(s.bytes), median(s.allocs)
		}
		rows = append(rows, r)
	}
	return rows
}
