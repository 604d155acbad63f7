package httpserver

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// TestTimeouts: a slow head and a slow body get 408 and a close; an idle
// keep-alive connection is closed silently.
func TestTimeouts(t *testing.T) {
	opts := Options{HeaderTimeout: 150 * time.Millisecond, BodyTimeout: 150 * time.Millisecond, IdleConnectionTimeout: 150 * time.Millisecond}
	srv := startServer(t, HandlerFunc(echo), opts)
	tests := []struct {
		name, raw string
		status    int // 0: closed without a response
	}{
		{"slow head", "GET / HTTP/1.1\r\nHost: a\r\n", 408},
		{"slow body", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc", 408},
		{"slow chunked body", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", 408},
		{"idle", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, srv)
			start := time.Now()
			io.WriteString(c, tt.raw)
			br := bufio.NewReader(c)
			if tt.status != 0 {
				resp, err := readResponse(br, "GET")
				if err != nil || resp.StatusCode != tt.status || !resp.Close {
					t.Fatalf("response %v %v", resp, err)
				}
			}
			expectClosed(t, br)
			if d := time.Since(start); d < 100*time.Millisecond || d > 3*time.Second {
				t.Fatalf("closed after %v", d)
			}
		})
	}
}

// TestHeaderTimeoutNotExtended: bytes trickling in do not extend the
// header timeout (slowloris): the 408 comes while they still trickle.
func TestHeaderTimeoutNotExtended(t *testing.T) {
	srv := startServer(t, HandlerFunc(echo), Options{HeaderTimeout: 300 * time.Millisecond})
	c := dial(t, srv)
	done := make(chan struct{})
	io.WriteString(c, "GET / HTTP/1.1\r\n")
	go func() {
		defer close(done)
		for i := 0; i < 200; i++ {
			const line = "X-A: b\r\n"
			if _, err := io.WriteString(c, line[i%len(line):i%len(line)+1]); err != nil {
				return
			}
			time.Sleep(30 * time.Millisecond)
		}
	}()
	resp, err := readResponse(bufio.NewReader(c), "GET")
	if err != nil || resp.StatusCode != 408 {
		t.Fatalf("response %v %v", resp, err)
	}
	select {
	case <-done:
		t.Fatal("the header timeout waited for the trickle to end")
	default:
	}
	c.Close()
	<-done
}

// TestShutdown: in-flight requests finish (with Connection: close), idle
// connections close, new connections are refused, Shutdown returns.
func TestShutdown(t *testing.T) {
	started := make(chan struct{}, 1)
	h := HandlerFunc(func(w *ResponseWriter, r *Request) {
		if r.Path != "/slow" {
			echo(w, r)
			return
		}
		started <- struct{}{}
		go func() {
			time.Sleep(300 * time.Millisecond)
			w.Loop().AddCallback(func() { w.WriteString("done"); w.Finish() })
		}()
	})
	srv := New(h, Options{Logger: quietLogger})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr().String()
	idle := dial(t, srv)
	io.WriteString(idle, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	idleBR := bufio.NewReader(idle)
	if _, err := readResponse(idleBR, "GET"); err != nil {
		t.Fatal(err)
	}
	busy := dial(t, srv)
	io.WriteString(busy, "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
	<-started

	errc := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		errc <- srv.Shutdown(ctx)
	}()
	expectClosed(t, idleBR)
	resp, err := readResponse(bufio.NewReader(busy), "GET")
	if err != nil || resp.body != "done" || !resp.Close {
		t.Fatalf("in-flight response %v %v", resp, err)
	}
	if err := <-errc; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("new connection accepted after Shutdown")
	}
}

// TestShutdownDeadline: Shutdown gives up when ctx ends first.
func TestShutdownDeadline(t *testing.T) {
	srv := startServer(t, HandlerFunc(func(w *ResponseWriter, r *Request) {}), Options{})
	c := dial(t, srv)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	time.Sleep(20 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown: %v", err)
	}
}

func TestDecompress(t *testing.T) {
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(strings.Repeat("hello ", 100)))
	zw.Close()
	h := HandlerFunc(func(w *ResponseWriter, r *Request) {
		fmt.Fprintf(w, "%d %q %q", len(r.Body), r.Header.Get("Content-Encoding"), r.Header.Get("X-Consumed-Content-Encoding"))
		w.Finish()
	})
	srv := startServer(t, h, Options{Decompress: true, MaxBodySize: 500})
	raw := fmt.Sprintf("POST / HTTP/1.1\r\nHost: a\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s", zipped.Len(), zipped.String())
	// Over the limit once decompressed: 413.
	resp, _, _ := roundTrip(t, srv, raw, "POST")
	if resp.StatusCode != 413 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	srv2 := startServer(t, h, Options{Decompress: true})
	resp, _, _ = roundTrip(t, srv2, raw, "POST")
	if resp.body != `600 "" "gzip"` {
		t.Fatalf("body %q", resp.body)
	}
	resp, _, _ = roundTrip(t, srv2, "POST / HTTP/1.1\r\nHost: a\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc", "POST")
	if resp.StatusCode != 400 {
		t.Fatalf("bad gzip: status %d", resp.StatusCode)
	}
	srv3 := startServer(t, h, Options{})
	resp, _, _ = roundTrip(t, srv3, raw, "POST")
	if !strings.HasPrefix(resp.body, fmt.Sprint(zipped.Len())) {
		t.Fatalf("without Decompress: %q", resp.body)
	}
}

// TestBodyAcrossReads: a large body arriving in pieces is assembled.
func TestBodyAcrossReads(t *testing.T) {
	h := HandlerFunc(func(w *ResponseWriter, r *Request) {
		fmt.Fprintf(w, "%d %s %x", len(r.Body), r.Header.Get("X-A"), sum(r.Body))
		w.Finish()
	})
	srv := startServer(t, h, Options{})
	body := bytes.Repeat([]byte("0123456789abcdef"), 40000) // 640 KB
	c := dial(t, srv)
	go func() {
		fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: a\r\nX-A: b\r\nContent-Length: %d\r\n\r\n", len(body))
		for p := body; len(p) > 0; {
			n := min(len(p), 70000)
			c.Write(p[:n])
			p = p[n:]
			time.Sleep(time.Millisecond)
		}
	}()
	resp, err := readResponse(bufio.NewReader(c), "POST")
	if err != nil || resp.body != fmt.Sprintf("%d b %x", len(body), sum(body)) {
		t.Fatalf("%v %v", resp, err)
	}
}

func sum(b []byte) uint32 {
	var s uint32
	for _, c := range b {
		s = s*31 + uint32(c)
	}
	return s
}

// TestLargeResponse: a body bigger than the socket buffer reaches a slow
// reader whole, and the connection stays usable.
func TestLargeResponse(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 4<<20)
	h := HandlerFunc(func(w *ResponseWriter, r *Request) {
		w.Write(big)
		w.Finish()
	})
	srv := startServer(t, h, Options{})
	c := dial(t, srv)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
	time.Sleep(50 * time.Millisecond)
	br := bufio.NewReader(c)
	for i := 0; i < 2; i++ {
		resp, err := readResponse(br, "GET")
		if err != nil || len(resp.body) != len(big) {
			t.Fatalf("response %d: %v", i, err)
		}
	}
}

// TestMaxConnections: past the limit, connections wait in the backlog.
func TestMaxConnections(t *testing.T) {
	srv := startServer(t, HandlerFunc(echo), Options{MaxConnections: 1})
	a := dial(t, srv)
	io.WriteString(a, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	if _, err := readResponse(bufio.NewReader(a), "GET"); err != nil {
		t.Fatal(err)
	}
	b := dial(t, srv)
	io.WriteString(b, "GET /b HTTP/1.1\r\nHost: a\r\n\r\n")
	b.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	br := bufio.NewReader(b)
	if _, err := br.Peek(1); err == nil {
		t.Fatal("second connection served while the first is open")
	}
	a.Close()
	b.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := readResponse(br, "GET")
	if err != nil || resp.body != "GET /b 0 " {
		t.Fatalf("%v %v", resp, err)
	}
}
