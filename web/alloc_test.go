//go:build !race

package web

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"testing"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/iostream"
)

// nopSink is a sink that keeps nothing, to measure the web layer alone.
type nopSink struct{ hdr httputil.Headers }

func (s *nopSink) Header() *httputil.Headers   { return &s.hdr }
func (s *nopSink) SetStatus(int, string)       {}
func (s *nopSink) Write(p []byte) (int, error) { return len(p), nil }
func (s *nopSink) Flush(cb func(error))        { cb(nil) }
func (s *nopSink) Finish() error               { s.hdr.Reset(); return nil }
func (s *nopSink) SetCloseCallback(func())     {}
func (s *nopSink) post(fn func())              { fn() }
func (s *nopSink) detach() (*iostream.IOStream, error) {
	return nil, ErrDetachUnsupported
}

type allocHello struct{ RequestHandler }

func (h *allocHello) Get() error {
	h.Write("Hello, world")
	return nil
}

type allocJSON struct{ RequestHandler }

func (h *allocJSON) Get() error { return h.Write(map[string]string{"message": "Hello, World!"}) }

func silentLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(nil, &slog.HandlerOptions{Level: slog.Level(1 << 20)}))
}

// TestHelloAllocations holds the web layer to its budget: one allocation
// per request for a hello handler (the handler copied from its prototype),
// with the access log off as in the benchmarks.
func TestHelloAllocations(t *testing.T) {
	app, err := NewApplication([]Rule{
		{Pattern: "/", Handler: &allocHello{}},
		{Pattern: "/json", Handler: &allocJSON{}},
	}, Settings{Logger: silentLogger()})
	if err != nil {
		t.Fatal(err)
	}
	s := &nopSink{}
	r := httpserver.NewRequest("GET", "/", nil)
	r.Header.Add("Host", "127.0.0.1")
	app.serve(s, r) // warm the pools
	if allocs := testing.AllocsPerRun(1000, func() { app.serve(s, r) }); allocs > 1 {
		t.Errorf("a hello request allocates %.1f times; want at most 1", allocs)
	}
	rj := httpserver.NewRequest("GET", "/json", nil)
	app.serve(s, rj)
	allocs := testing.AllocsPerRun(1000, func() { app.serve(s, rj) })
	t.Logf("a JSON request allocates %.1f times", allocs)
}

func BenchmarkHello(b *testing.B) {
	app, err := NewApplication([]Rule{{Pattern: "/", Handler: &allocHello{}}}, Settings{Logger: silentLogger()})
	if err != nil {
		b.Fatal(err)
	}
	s := &nopSink{}
	r := httpserver.NewRequest("GET", "/", nil)
	b.ReportAllocs()
	for b.Loop() {
		app.serve(s, r)
	}
}

// TestHelloAllocationsOverTheLoop measures a whole keep-alive request on
// the real loop server, client included (a raw socket reading into a fixed
// buffer): parse, route, handler, response.
func TestHelloAllocationsOverTheLoop(t *testing.T) {
	app, err := NewApplication([]Rule{{Pattern: "/", Handler: &allocHello{}}}, Settings{Logger: silentLogger()})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := app.Listen(0, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	defer app.Shutdown(context.Background())
	conn, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	req := []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	buf := make([]byte, 4096)
	roundTrip := func() {
		if _, err := conn.Write(req); err != nil {
			t.Fatal(err)
		}
		n := 0
		for !bytes.HasSuffix(buf[:n], []byte("Hello, world")) {
			k, err := conn.Read(buf[n:])
			if err != nil {
				t.Fatal(err)
			}
			n += k
		}
	}
	roundTrip()
	if !bytes.HasPrefix(buf, []byte("HTTP/1.1 200 OK\r\n")) {
		t.Fatalf("response: %q", buf[:64])
	}
	allocs := testing.AllocsPerRun(500, roundTrip)
	t.Logf("a hello request over the loop allocates %.2f times (server and client)", allocs)
	if allocs > 1.5 {
		t.Errorf("a hello request over the loop allocates %.2f times; want at most 1", allocs)
	}
}
