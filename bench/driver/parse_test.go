package main

import (
	"math"
	"testing"
	"time"
)

const wrkKeepAlive = `Running 3s test @ http://127.0.0.1:18081/
  1 threads and 100 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms  350.12us   9.87ms   80.00%
    Req/Sec    47.80k     1.20k   49.90k    72.00%
  Latency Distribution
     50%    2.05ms
     75%    2.20ms
     90%    2.48ms
     99%    3.51ms
  142563 requests in 3.00s, 17.40MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  47512.33
Transfer/sec:      5.80MB
`

func TestParseWrk(t *testing.T) {
	r, err := parseWrk(wrkKeepAlive)
	if err != nil {
		t.Fatal(err)
	}
	want := wrkResult{reqPerSec: 47512.33, requests: 142563, p99: 3510 * time.Microsecond, socketErrors: 3, non2xx: 4}
	if r != want {
		t.Errorf("parseWrk = %+v, want %+v", r, want)
	}
}

func TestParseWrkUnits(t *testing.T) {
	tests := []struct {
		line string
		want time.Duration
	}{
		{"     99%  812.00us\n", 812 * time.Microsecond},
		{"     99%    1.50s \n", 1500 * time.Millisecond},
		{"     99%    2.00m\n", 2 * time.Minute},
	}
	for _, tt := range tests {
		r, err := parseWrk(tt.line + "Requests/sec: 1.0\n")
		if err != nil {
			t.Fatal(err)
		}
		if r.p99 != tt.want {
			t.Errorf("p99 of %q = %v, want %v", tt.line, r.p99, tt.want)
		}
	}
	if _, err := parseWrk("unable to connect to 127.0.0.1:1 Connection refused\n"); err == nil {
		t.Error("parseWrk accepted output without Requests/sec")
	}
}

func TestParseServer(t *testing.T) {
	s, err := parseServer("name=tornago json;role=tornago;path=/json;vs=fasthttp-json, fasthttp;cmd=bin/json -port {port} -x a;b")
	if err != nil {
		t.Fatal(err)
	}
	if s.name != "tornago json" || s.role != "tornago" || s.path != "/json" ||
		len(s.vs) != 2 || s.vs[1] != "fasthttp" || len(s.cmd) != 5 || s.cmd[4] != "a;b" {
		t.Errorf("parseServer = %+v", s)
	}
	for _, bad := range []string{
		"cmd=bin/x",                   // no name
		"name=x",                      // no cmd
		"name=x;role=boss;cmd=bin/x",  // unknown role
		"name=x;path=json;cmd=bin/x",  // relative path
		"name=x;colour=red;cmd=bin/x", // unknown field
		"name=x;justtext;cmd=bin/x",   // not key=value
	} {
		if _, err := parseServer(bad); err == nil {
			t.Errorf("parseServer(%q) accepted", bad)
		}
	}
}

func TestParseGoBench(t *testing.T) {
	out := `goos: linux
BenchmarkBigtableHTMLTemplate 	     144	   8000000 ns/op	 1960547 B/op	   72845 allocs/op
BenchmarkBigtableHTMLTemplate 	     144	   9000000 ns/op	 1960547 B/op	   72845 allocs/op
BenchmarkBigtableHTMLTemplate 	     144	   7000000 ns/op	 1960547 B/op	   72845 allocs/op
BenchmarkBigtableJet-2        	     442	   2638136 ns/op	  911343 B/op	   25768 allocs/op
BenchmarkBigtableTornagoExecute 	     442	   500000 ns/op	  0 B/op	   0 allocs/op
PASS
`
	rows := parseGoBench(out)
	if len(rows) != 3 {
		t.Fatalf("parseGoBench gave %d rows, want 3: %+v", len(rows), rows)
	}
	if rows[0].name != "html/template" || rows[0].nsPerOp != 8000000 || rows[0].samples != 3 || rows[0].allocs != 72845 {
		t.Errorf("html/template row = %+v", rows[0])
	}
	if rows[1].name != "jet" || rows[1].nsPerOp != 2638136 {
		t.Errorf("jet row = %+v", rows[1])
	}
	if rows[2].name != "tornago (Execute)" || !rows[2].hasMem || rows[2].allocs != 0 {
		t.Errorf("tornago row = %+v", rows[2])
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{7}, 7},
	}
	for _, tt := range tests {
		if got := median(tt.in); got != tt.want {
			t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median(nil) is not NaN")
	}
}

func TestFmtThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234", -123: "-123", -123456: "-123,456"} {
		if got := fmtThousands(n); got != want {
			t.Errorf("fmtThousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestFmtDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{3 * time.Second: "3s", 10 * time.Second: "10s", time.Minute: "1m", 90 * time.Second: "1m30s"} {
		if got := fmtDuration(d); got != want {
			t.Errorf("fmtDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
