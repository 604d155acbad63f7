package main

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	}
	for _, tt := range tests {
		if got := median(tt.in); got != tt.want {
			t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestThousands(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 1234567.4: "1,234,567", -12345: "-12,345"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestRenderReport(t *testing.T) {
	c := &config{servers: []serverSpec{{name: "tornago"}, {name: "gorilla"}}, baseline: "gorilla",
		conns: 100, window: 16, size: 32, deflate: true, duration: 10 * time.Second, warmup: time.Second,
		rounds: 3, idle: 10000, settle: 2 * time.Second, serverCPU: "0", notes: []string{"a given note"}}
	tb := newTable(c)
	for _, rate := range []float64{100, 300, 200} {
		tb.addEcho(echoCase{0, false}, echoResult{msgs: int64(rate * 1000), elapsed: time.Second, serverCPU: 1, clientCPU: 0.5})
		tb.addEcho(echoCase{1, false}, echoResult{msgs: int64(rate * 500), elapsed: time.Second, serverCPU: 1, clientCPU: 0.5})
	}
	tb.addEcho(echoCase{1, true}, echoResult{msgs: 1000, elapsed: time.Second, serverCPU: 0.5, compressedOut: 0.5})
	tb.addEcho(echoCase{1, true}, echoResult{msgs: 1000, elapsed: time.Second, serverCPU: 0.5, compressedOut: 0.5})
	tb.addIdle(0, idleResult{beforeKiB: 1000, afterKiB: 1000 + 10000*2, heapBefore: 1 << 20, heapAfter: 1<<20 + 10000*1536})
	tb.addIdle(1, idleResult{beforeKiB: 1000, afterKiB: 1000 + 10000*20, heapErr: errors.New("GET /heap: 404 Not Found")})
	out := renderReport(c, env{date: "D", cpuModel: "CPU", nproc: 2, kernel: "K", goVersion: "go"}, tb)
	for _, want := range []string{
		"| tornago | plain | 200,000 | 2.00× | 200,000 | 100% | 50% | 0% |",
		"| gorilla | plain | 100,000 | 1.00× |",
		"| gorilla | permessage-deflate | 1,000 | 1.00× | 2,000 | 50% |",
		"| tornago | permessage-deflate | no run completed",
		"| tornago | 1,000 KiB | 21,000 KiB | 2.0 KiB | 0.10× | 1.5 KiB |",
		"| gorilla | 1,000 KiB | 201,000 KiB | 20.0 KiB | 1.00× | – |",
		"gorilla: no heap figure: GET /heap: 404 Not Found",
		"- a given note",
		"only 50% of the echoes came back compressed",
		"the server used only 50% of its CPU",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestConfigCheck(t *testing.T) {
	good := func() config {
		return config{servers: []serverSpec{{name: "a", cmd: []string{"x"}}, {name: "b", cmd: []string{"y"}}},
			conns: 1, window: 1, size: 32, rounds: 1, duration: time.Second}
	}
	c := good()
	if err := c.check(); err != nil || c.baseline != "b" {
		t.Fatalf("good config: %v, baseline %q", err, c.baseline)
	}
	for name, edit := range map[string]func(*config){
		"no servers":       func(c *config) { c.servers = nil },
		"duplicate names":  func(c *config) { c.servers[1].name = "a" },
		"unknown baseline": func(c *config) { c.baseline = "z" },
		"tiny messages":    func(c *config) { c.size = 10 },
		"no window":        func(c *config) { c.window = 0 },
		"no rounds":        func(c *config) { c.rounds = 0 },
		"too many sources": func(c *config) { c.sources = 251 },
		"negative idle":    func(c *config) { c.idle = -1 },
		"no duration":      func(c *config) { c.duration = 0 },
		"no connections":   func(c *config) { c.conns = 0 },
	} {
		c := good()
		edit(&c)
		if err := c.check(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestParseServerSpec(t *testing.T) {
	s, err := parseServerSpec("gorilla/websocket=bin/gorillaws -port {port} -compress")
	if err != nil || s.name != "gorilla/websocket" || len(s.cmd) != 4 || s.cmd[2] != "{port}" {
		t.Errorf("got %+v, %v", s, err)
	}
	for _, bad := range []string{"", "name", "=bin", "name=  "} {
		if _, err := parseServerSpec(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestParseHeap(t *testing.T) {
	if n, err := parseHeap("1000 24\n"); err != nil || n != 1024 {
		t.Errorf("got %d, %v", n, err)
	}
	for _, bad := range []string{"", "12", "a b", "1 2 3", "-1 5"} {
		if _, err := parseHeap(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
