package httpserver

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// quietLogger drops the malformed-request reports the tests provoke.
var quietLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

// echo answers "METHOD URI len(body) body" and obeys a few paths:
// /status/N sets the status, /flush flushes before finishing.
func echo(w *ResponseWriter, r *Request) {
	w.Header().Set("Content-Type", "text/plain")
	switch {
	case strings.HasPrefix(r.Path, "/status/"):
		code, _ := strconv.Atoi(r.Path[len("/status/"):])
		w.SetStatus(code, "")
	case r.Path == "/flush":
		w.WriteString("part1,")
		w.Flush(nil)
		w.WriteString("part2")
		w.Finish()
		return
	}
	fmt.Fprintf(w, "%s %s %d %s", r.Method, r.URI, len(r.Body), r.Body)
	w.Finish()
}

// startServer runs h on one loop on a free port of 127.0.0.1.
func startServer(t testing.TB, h Handler, opts Options) *HTTPServer {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = quietLogger
	}
	srv := New(h, opts)
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// dial connects to srv with a deadline that bounds the whole test.
func dial(t testing.TB, srv *HTTPServer) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}

// response is a parsed response with its body read.
type response struct {
	*http.Response
	body string
}

// readResponse reads one response from br (to a request with method).
func readResponse(br *bufio.Reader, method string) (*response, error) {
	resp, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	return &response{resp, string(b)}, nil
}

// expectClosed checks that the server closes c (EOF, or a reset) with no
// further bytes.
func expectClosed(t *testing.T, br *bufio.Reader) {
	t.Helper()
	b, err := br.ReadByte()
	if err == nil {
		rest, _ := br.Peek(br.Buffered())
		t.Fatalf("connection not closed: read %q", append([]byte{b}, rest...))
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("connection not closed (timeout)")
	}
}

// roundTrip sends raw on a new connection and reads one response.
func roundTrip(t *testing.T, srv *HTTPServer, raw, method string) (*response, *bufio.Reader, net.Conn) {
	t.Helper()
	c := dial(t, srv)
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := readResponse(br, method)
	if err != nil {
		t.Fatalf("reading response: %v", err)
	}
	return resp, br, c
}

var helloBody = []byte("Hello, world")

func helloHandler(w *ResponseWriter, r *Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.Write(helloBody)
	w.Finish()
}
