//go:build !race

package httputil

import (
	"testing"
	"time"
)

func TestHeadersZeroAllocReuse(t *testing.T) {
	var h Headers
	h.Add("Content-Type", "x") // grow capacity once
	h.Add("Content-Type", "x")
	h.Add("Content-Type", "x")
	h.Add("Content-Type", "x")
	h.Reset()
	allocs := testing.AllocsPerRun(1000, func() {
		h.Add("Host", "example.com")
		h.Add("content-length", "3") // lower-case common name: no alloc either
		h.Add("X-Custom", "1")
		if h.Get("host") != "example.com" || h.Get("Content-Length") != "3" || !h.Has("x-custom") {
			t.Fatal("lookup failed")
		}
		h.Reset()
	})
	if allocs != 0 {
		t.Fatalf("Add/Get/Has/Reset allocate %.1f times per run", allocs)
	}
}

func TestCanonicalNameZeroAlloc(t *testing.T) {
	allocs := testing.AllocsPerRun(1000, func() {
		_ = CanonicalName("X-Already-Canonical")
		_ = CanonicalName("user-agent")
		_ = CanonicalName("ACCEPT-ENCODING")
	})
	if allocs != 0 {
		t.Fatalf("CanonicalName allocates %.1f times", allocs)
	}
}

func TestParseRequestLineZeroAlloc(t *testing.T) {
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := ParseRequestLine("GET /index.html?x=1 HTTP/1.1"); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("ParseRequestLine allocates %.1f times", allocs)
	}
}

func TestAppendTimestampZeroAlloc(t *testing.T) {
	buf := make([]byte, 0, 64)
	now := time.Now()
	allocs := testing.AllocsPerRun(1000, func() {
		buf = AppendTimestamp(buf[:0], now)
	})
	if allocs != 0 {
		t.Fatalf("AppendTimestamp allocates %.1f times", allocs)
	}
}
