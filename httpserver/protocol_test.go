package httpserver

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// keepAliveTests: one request, then whether the connection stays open and
// the Connection field the response carries (as net/http reports it:
// Close for "close", the raw field otherwise).
var keepAliveTests = []struct {
	name  string
	opts  Options
	raw   string
	open  bool
	field string // the response's Connection field ("" none)
}{
	{"1.1 default keep-alive", Options{}, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", true, ""},
	{"1.1 Connection: close", Options{}, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false, "close"},
	{"1.1 close in a list", Options{}, "GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, Close\r\n\r\n", false, "close"},
	{"1.0 default close", Options{}, "GET / HTTP/1.0\r\n\r\n", false, ""},
	{"1.0 keep-alive GET", Options{}, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true, "Keep-Alive"},
	{"1.0 keep-alive HEAD", Options{}, "HEAD / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true, "Keep-Alive"},
	{"1.0 keep-alive POST with length", Options{}, "POST / HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx", true, "Keep-Alive"},
	{"1.0 keep-alive POST without length", Options{}, "POST / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", false, ""},
	{"NoKeepAlive on 1.1", Options{NoKeepAlive: true}, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", false, "close"},
}

func TestKeepAlive(t *testing.T) {
	for _, tt := range keepAliveTests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, HandlerFunc(echo), tt.opts)
			method := strings.Fields(tt.raw)[0]
			resp, br, conn := roundTrip(t, srv, tt.raw, method)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			field := resp.Header.Get("Connection")
			if resp.Close && field == "" && strings.HasPrefix(resp.Proto, "HTTP/1.1") && tt.field == "close" {
				field = "close"
			}
			if field != tt.field {
				t.Errorf("Connection field %q, want %q", field, tt.field)
			}
			if !tt.open {
				expectClosed(t, br)
				return
			}
			// Still open: a second request is answered.
			fmt.Fprintf(conn, "GET /again HTTP/1.1\r\nHost: a\r\n\r\n")
			r2, err := readResponse(br, "GET")
			if err != nil || r2.body != "GET /again 0 " {
				t.Fatalf("second request: %v %v", r2, err)
			}
		})
	}
}

// TestPipelining sends 10,000 requests in one write and checks that every
// answer comes, in order.
func TestPipelining(t *testing.T) {
	srv := startServer(t, HandlerFunc(echo), Options{})
	c := dial(t, srv)
	const n = 10000
	var b strings.Builder
	for i := range n {
		if i%3 == 0 {
			fmt.Fprintf(&b, "POST /%d HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi", i)
		} else if i%3 == 1 {
			fmt.Fprintf(&b, "POST /%d HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n", i)
		} else {
			fmt.Fprintf(&b, "GET /%d HTTP/1.1\r\nHost: a\r\n\r\n", i)
		}
	}
	go io.WriteString(c, b.String())
	br := bufio.NewReader(c)
	for i := range n {
		resp, err := readResponse(br, "GET")
		if err != nil {
			t.Fatalf("response %d: %v", i, err)
		}
		want := fmt.Sprintf("GET /%d 0 ", i)
		if i%3 != 2 {
			want = fmt.Sprintf("POST /%d 2 hi", i)
		}
		if resp.body != want {
			t.Fatalf("response %d: %q, want %q", i, resp.body, want)
		}
	}
}

// TestSplitByteByByte sends a pipelined sequence one byte per write: the
// answers must be those of the whole sequence sent at once.
func TestSplitByteByByte(t *testing.T) {
	raw := "\r\nGET /a?x=1 HTTP/1.1\r\nHost: a\r\nX-Long: " + strings.Repeat("v", 300) + "\r\n\r\n" +
		"POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello" +
		"POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;e=1\r\nabc\r\n1\r\nd\r\n0\r\nT: 1\r\n\r\n" +
		"GET /d HTTP/1.0\r\n\r\n"
	want := []string{"GET /a?x=1 0 ", "POST /b 5 hello", "POST /c 4 abcd", "GET /d 0 "}
	srv := startServer(t, HandlerFunc(echo), Options{})
	c := dial(t, srv)
	go func() {
		for i := 0; i < len(raw); i++ {
			if _, err := c.Write([]byte{raw[i]}); err != nil {
				return
			}
			if i%16 == 0 {
				time.Sleep(100 * time.Microsecond) // let reads split
			}
		}
	}()
	br := bufio.NewReader(c)
	for i, w := range want {
		resp, err := readResponse(br, "GET")
		if err != nil {
			t.Fatalf("response %d: %v", i, err)
		}
		if resp.body != w {
			t.Fatalf("response %d: %q, want %q", i, resp.body, w)
		}
	}
	expectClosed(t, br)
}

// TestBodyFraming checks HEAD, 1xx-less 204 and 304 framing, and that the
// connection stays usable after each.
func TestBodyFraming(t *testing.T) {
	srv := startServer(t, HandlerFunc(echo), Options{})
	c := dial(t, srv)
	br := bufio.NewReader(c)
	steps := []struct {
		raw, method string
		status      int
		length      string // Content-Length field, "" none
		body        string
	}{
		{"HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n", "HEAD", 200, "10", ""},
		{"GET /status/204 HTTP/1.1\r\nHost: a\r\n\r\n", "GET", 204, "", ""},
		{"GET /status/304 HTTP/1.1\r\nHost: a\r\n\r\n", "GET", 304, "", ""},
		{"GET /status/404 HTTP/1.1\r\nHost: a\r\n\r\n", "GET", 404, "18", "GET /status/404 0 "},
		{"GET /y HTTP/1.1\r\nHost: a\r\n\r\n", "GET", 200, "9", "GET /y 0 "},
	}
	for _, s := range steps {
		io.WriteString(c, s.raw)
		raw := readRawHead(t, br)
		if !strings.HasPrefix(raw, fmt.Sprintf("HTTP/1.1 %d ", s.status)) {
			t.Fatalf("%q: head %q", s.raw, raw)
		}
		cl := headerValue(raw, "Content-Length")
		if cl != s.length {
			t.Fatalf("%q: Content-Length %q, want %q", s.raw, cl, s.length)
		}
		if strings.Contains(raw, "Transfer-Encoding") {
			t.Fatalf("%q: unexpected chunking: %q", s.raw, raw)
		}
		body := make([]byte, len(s.body))
		if _, err := io.ReadFull(br, body); err != nil || string(body) != s.body {
			t.Fatalf("%q: body %q %v", s.raw, body, err)
		}
	}
	if br.Buffered() != 0 {
		t.Fatalf("extra bytes after responses")
	}
}

// readRawHead reads a response head as text, through its blank line.
func readRawHead(t *testing.T, br *bufio.Reader) string {
	t.Helper()
	var b strings.Builder
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("reading head: %v (%q)", err, b.String())
		}
		b.WriteString(line)
		if line == "\r\n" {
			return b.String()
		}
	}
}

func headerValue(head, name string) string {
	for _, line := range strings.Split(head, "\r\n") {
		if k, v, ok := strings.Cut(line, ": "); ok && k == name {
			return v
		}
	}
	return ""
}

// TestChunkedResponse: a handler that flushes before finishing gets a
// chunked response on HTTP/1.1 and a close-delimited one on HTTP/1.0.
func TestChunkedResponse(t *testing.T) {
	srv := startServer(t, HandlerFunc(echo), Options{})
	resp, _, _ := roundTrip(t, srv, "GET /flush HTTP/1.1\r\nHost: a\r\n\r\n", "GET")
	if resp.body != "part1,part2" || len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
		t.Fatalf("1.1 flush: %q %v", resp.body, resp.TransferEncoding)
	}
	c := dial(t, srv)
	io.WriteString(c, "GET /flush HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
	all, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	s := string(all)
	if strings.Contains(s, "chunked") || strings.Contains(s, "Keep-Alive") || !strings.HasSuffix(s, "\r\n\r\npart1,part2") {
		t.Fatalf("1.0 flush: %q", s)
	}
}

// TestExpectContinue: "100 Continue" comes before the body is sent, and
// not when the body is already there.
func TestExpectContinue(t *testing.T) {
	srv := startServer(t, HandlerFunc(echo), Options{MaxBodySize: 100})
	c := dial(t, srv)
	br := bufio.NewReader(c)
	io.WriteString(c, "POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
	if head := readRawHead(t, br); head != "HTTP/1.1 100 Continue\r\n\r\n" {
		t.Fatalf("interim response %q", head)
	}
	io.WriteString(c, "hello")
	resp, err := readResponse(br, "POST")
	if err != nil || resp.body != "POST /e 5 hello" {
		t.Fatalf("final response %v %v", resp, err)
	}
	// Chunked, expecting.
	io.WriteString(c, "POST /f HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: 100-Continue\r\n\r\n")
	if head := readRawHead(t, br); head != "HTTP/1.1 100 Continue\r\n\r\n" {
		t.Fatalf("interim response %q", head)
	}
	io.WriteString(c, "2\r\nok\r\n0\r\n\r\n")
	if resp, err := readResponse(br, "POST"); err != nil || resp.body != "POST /f 2 ok" {
		t.Fatalf("final response %v %v", resp, err)
	}
	// Body already sent: no interim response.
	io.WriteString(c, "POST /g HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\nx")
	if resp, err := readResponse(br, "POST"); err != nil || resp.StatusCode != 200 || resp.body != "POST /g 1 x" {
		t.Fatalf("response %v %v", resp, err)
	}
	// Too large: 413 at once, never 100.
	io.WriteString(c, "POST /h HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\nExpect: 100-continue\r\n\r\n")
	if resp, err := readResponse(br, "POST"); err != nil || resp.StatusCode != 413 {
		t.Fatalf("response %v %v", resp, err)
	}
	expectClosed(t, br)
}

// TestPipelinedLargeResponses: a client that pipelines requests for large
// responses without reading them holds the server to its write cap.
func TestPipelinedLargeResponses(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	h := HandlerFunc(func(w *ResponseWriter, r *Request) {
		w.WriteString(big)
		w.Finish()
	})
	srv := startServer(t, h, Options{})
	c := dial(t, srv)
	const n = 40
	io.WriteString(c, strings.Repeat("GET / HTTP/1.1\r\nHost: a\r\n\r\n", n))
	time.Sleep(300 * time.Millisecond)
	l := srv.Loops()[0]
	pending := make(chan int)
	l.AddCallback(func() { pending <- srv.lookup(l).conns[0].s.PendingWrite() })
	if p := <-pending; p > 6<<20 {
		t.Fatalf("%d bytes queued for a client that does not read", p)
	}
	br := bufio.NewReader(c)
	for i := range n {
		resp, err := readResponse(br, "GET")
		if err != nil || len(resp.body) != len(big) {
			t.Fatalf("response %d: %v", i, err)
		}
	}
}
