package web_test

import (
	"bufio"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/web"
)

// uploadHandler streams its body: it counts and checksums the pieces, in
// order, and its Post reports what arrived.
type uploadHandler struct {
	web.RequestHandler
	Limit   int64         // SetMaxBodySize in Prepare, if set
	FailAt  int64         // DataReceived fails once this many bytes arrived
	Refuse  bool          // Prepare answers 403
	Pieces  *atomic.Int64 // if set, the number of pieces is stored here
	got     int64
	crc     uint32
	pieces  int64
	prepped bool
}

func (h *uploadHandler) Prepare() error {
	h.prepped = true
	if h.Refuse {
		return web.NewHTTPError(403)
	}
	if h.Limit > 0 {
		return h.SetMaxBodySize(h.Limit)
	}
	return nil
}

func (h *uploadHandler) DataReceived(chunk []byte) error {
	if !h.prepped {
		return errors.New("DataReceived before Prepare")
	}
	h.got += int64(len(chunk))
	h.crc = crc32.Update(h.crc, crc32.IEEETable, chunk)
	h.pieces++
	if h.FailAt > 0 && h.got >= h.FailAt {
		return web.NewHTTPError(422, "refused after %d bytes", h.got)
	}
	return nil
}

func (h *uploadHandler) Post() error {
	if h.Request.Body != nil {
		return errors.New("a streamed request has a Body")
	}
	if h.Pieces != nil {
		h.Pieces.Store(h.pieces)
	}
	return h.Write(fmt.Sprintf("%d %08x", h.got, h.crc))
}

func (h *uploadHandler) Put() error { return h.Post() }

// plainHandler reads its body whole.
type plainHandler struct{ web.RequestHandler }

func (h *plainHandler) Post() error { return h.Write(fmt.Sprint(len(h.Request.Body))) }

// rawResponse sends raw on a new connection and reads one response.
func rawResponse(t *testing.T, addr, raw string) (status int, body string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func listen(t *testing.T, app *web.Application, o httpserver.Options) string {
	t.Helper()
	srv, err := app.Listen(0, "127.0.0.1", o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv.Addr().String()
}

func post(path, headers, body string) string {
	return "POST " + path + " HTTP/1.1\r\nHost: a\r\n" + headers + "\r\n" + body
}

func length(body string) string { return fmt.Sprintf("Content-Length: %d\r\n", len(body)) }

func chunked(pieces ...string) string {
	var b strings.Builder
	for _, p := range pieces {
		fmt.Fprintf(&b, "%x\r\n%s\r\n", len(p), p)
	}
	b.WriteString("0\r\n\r\n")
	return b.String()
}

func sum(body string) string {
	return fmt.Sprintf("%d %08x", len(body), crc32.ChecksumIEEE([]byte(body)))
}

// TestBodyLimits: the limits of routes (Rule.MaxBodySize) and streaming
// handlers (SetMaxBodySize in Prepare) against the server's 100 bytes. A
// declared length over the limit is refused from the head alone (no body
// is sent in those rows); a chunked body as it passes the limit.
func TestBodyLimits(t *testing.T) {
	app := newApp(t, []web.Rule{
		{Pattern: "/limited", Handler: &plainHandler{}, MaxBodySize: 10},
		{Pattern: "/plain", Handler: &plainHandler{}},
		{Pattern: "/stream10", Handler: &uploadHandler{Limit: 10}},
		{Pattern: "/stream1000", Handler: &uploadHandler{Limit: 1000}},
		{Pattern: "/streamroute", Handler: &uploadHandler{}, MaxBodySize: 20},
		{Pattern: "/stream", Handler: &uploadHandler{}},
	}, web.Settings{})
	addr := listen(t, app, httpserver.Options{MaxBodySize: 100})
	ten, eleven, big := "0123456789", "0123456789x", strings.Repeat("y", 500)
	for _, tt := range []struct {
		name   string
		raw    string
		status int
		body   string
	}{
		{"route limit, length under", post("/limited", length(ten), ten), 200, "10"},
		{"route limit, length over, refused before the body", post("/limited", length(eleven), ""), 413, ""},
		{"route limit, chunked over", post("/limited", "Transfer-Encoding: chunked\r\n", chunked("012345", "678901")), 413, ""},
		{"no route limit: the server's", post("/plain", length(strings.Repeat("z", 101)), ""), 413, ""},
		{"streaming limit, length under", post("/stream10", length(ten), ten), 200, sum(ten)},
		{"streaming limit, length over, refused before the body", post("/stream10", length(eleven), ""), 413, ""},
		{"streaming limit, chunked over", post("/stream10", "Transfer-Encoding: chunked\r\n", chunked("012345", "678901")), 413, ""},
		{"streaming limit above the server's", post("/stream1000", length(big), big), 200, sum(big)},
		{"streaming limit above the server's, chunked", post("/stream1000", "Transfer-Encoding: chunked\r\n", chunked(big[:250], big[250:])), 200, sum(big)},
		{"streaming, route limit", post("/streamroute", length(big[:21]), ""), 413, ""},
		{"streaming, no limit: the server's", post("/stream", length(big), ""), 413, ""},
		{"streaming, empty body", post("/stream", length(""), ""), 200, sum("")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, body := rawResponse(t, addr, tt.raw)
			if status != tt.status || (tt.body != "" && body != tt.body) {
				t.Fatalf("= %d %q; want %d %q", status, body, tt.status, tt.body)
			}
		})
	}
}

// TestStreamedBodyInOrder: a body sent in many writes, with a length or
// chunked, reaches DataReceived whole and in order; the verb method sees
// the total and runs once; keep-alive goes on after it.
func TestStreamedBodyInOrder(t *testing.T) {
	var pieces atomic.Int64
	app := newApp(t, []web.Rule{
		{Pattern: "/up", Handler: &uploadHandler{Limit: 1 << 20, Pieces: &pieces}},
	}, web.Settings{})
	addr := listen(t, app, httpserver.Options{})
	body := strings.Repeat("0123456789abcdef", 20000) // 320 KB
	for _, framing := range []string{"length", "chunked"} {
		t.Run(framing, func(t *testing.T) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(20 * time.Second))
			br := bufio.NewReader(c)
			for round := 0; round < 2; round++ { // keep-alive
				head := "Content-Length: " + fmt.Sprint(len(body)) + "\r\n"
				payload := body
				if framing == "chunked" {
					head = "Transfer-Encoding: chunked\r\n"
					var parts []string
					for i := 0; i < len(body); i += 7000 {
						parts = append(parts, body[i:min(i+7000, len(body))])
					}
					payload = chunked(parts...)
				}
				go func() {
					io.WriteString(c, post("/up", head, ""))
					for i := 0; i < len(payload); i += 10000 {
						io.WriteString(c, payload[i:min(i+10000, len(payload))])
						time.Sleep(time.Millisecond)
					}
				}()
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != 200 || string(got) != sum(body) {
					t.Fatalf("round %d: %d %q; want %q", round, resp.StatusCode, got, sum(body))
				}
			}
			if pieces.Load() < 2 {
				t.Errorf("the body came in %d piece(s); want it streamed in several", pieces.Load())
			}
		})
	}
}

// events is a log of what happened, in order, on the loop.
type events struct {
	mu  sync.Mutex
	log []string
}

func (e *events) add(s string) {
	e.mu.Lock()
	e.log = append(e.log, s)
	e.mu.Unlock()
}

func (e *events) all() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.log...)
}

// flowHandler holds each piece: its Future completes 5 ms later.
type flowHandler struct {
	web.RequestHandler
	Events *events
	n      int
	total  int
}

func (h *flowHandler) DataReceived(chunk []byte) *ioloop.Future {
	h.n++
	h.total += len(chunk)
	n := h.n
	h.Events.add(fmt.Sprintf("data %d", n))
	f := ioloop.NewFuture()
	go func() {
		time.Sleep(5 * time.Millisecond)
		h.RunOnLoop(func() {
			h.Events.add(fmt.Sprintf("done %d", n))
			f.SetResult(nil)
		})
	}()
	return f
}

func (h *flowHandler) Post() error {
	h.Events.add("post")
	return h.Write(fmt.Sprint(h.total))
}

// TestStreamFlowControl: while a DataReceived Future is pending the server
// reads no more of the body: every "data n" is followed by its "done n"
// before the next piece, and the verb method comes after the last.
func TestStreamFlowControl(t *testing.T) {
	ev := &events{}
	app := newApp(t, []web.Rule{{Pattern: "/flow", Handler: &flowHandler{Events: ev}}}, web.Settings{})
	addr := listen(t, app, httpserver.Options{})
	body := strings.Repeat("x", 1<<20)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	go io.WriteString(c, post("/flow", length(body), body))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(got) != fmt.Sprint(len(body)) {
		t.Fatalf("%d %q", resp.StatusCode, got)
	}
	log := ev.all()
	if len(log) < 5 || log[len(log)-1] != "post" {
		t.Fatalf("events %v: want several pieces, then post", log)
	}
	for i := 0; i+1 < len(log)-1; i += 2 {
		var a, b int
		if _, err := fmt.Sscanf(log[i], "data %d", &a); err != nil {
			t.Fatalf("event %d is %q; want data: %v", i, log[i], log)
		}
		if _, err := fmt.Sscanf(log[i+1], "done %d", &b); err != nil || a != b {
			t.Fatalf("event %d is %q; want done %d (reading went on while a piece was held): %v", i+1, log[i+1], a, log)
		}
	}
}

// TestStreamErrors: what the client sees when a streaming handler fails
// before or during its body.
func TestStreamErrors(t *testing.T) {
	app := newApp(t, []web.Rule{
		{Pattern: "/fail", Handler: &uploadHandler{Limit: 1 << 20, FailAt: 100}},
		{Pattern: "/refuse", Handler: &uploadHandler{Refuse: true}},
	}, web.Settings{})
	addr := listen(t, app, httpserver.Options{})
	small, large := strings.Repeat("s", 1000), strings.Repeat("L", 100<<10)
	for _, tt := range []struct {
		name   string
		raw    string
		status int
	}{
		{"DataReceived error: the handler's error page after the body", post("/fail", length(large), large), 422},
		{"DataReceived error, chunked", post("/fail", "Transfer-Encoding: chunked\r\n", chunked(small, small)), 422},
		{"Prepare refuses, small body drained", post("/refuse", length(small), small), 403},
		{"Prepare refuses, no body", post("/refuse", "", ""), 403},
		{"Prepare refuses, large body refused before it", post("/refuse", length(large), ""), 413},
		{"method without verb", "GET /fail HTTP/1.1\r\nHost: a\r\n\r\n", 405},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if status, body := rawResponse(t, addr, tt.raw); status != tt.status {
				t.Fatalf("= %d %q; want %d", status, body, tt.status)
			}
		})
	}
	// The connection lives on after an error answered after the body.
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	for _, want := range []int{422, 403, 422} {
		path := "/fail"
		if want == 403 {
			path = "/refuse"
		}
		io.WriteString(c, post(path, length(small), small))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("%s = %d; want %d", path, resp.StatusCode, want)
		}
	}
}

// TestStreamInProcess: webtest's client and the net/http bridge deliver
// the whole body as one piece, with the same limits.
func TestStreamInProcess(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/up", Handler: &uploadHandler{Limit: 100}},
		{Pattern: "/flow", Handler: &flowHandler{Events: &events{}}},
	}, web.Settings{})
	body := strings.Repeat("b", 100)
	expect(t, "POST /up", c.Fetch("POST", "/up", []byte(body)), 200, sum(body))
	expectStatus(t, "POST /up over", c.Fetch("POST", "/up", []byte(body+"!")), 413)
	expect(t, "POST /flow", c.Fetch("POST", "/flow", []byte(body)), 200, "100")
}

// TestSetMaxBodySizeAfterBody: in a handler that reads its body whole,
// SetMaxBodySize can only refuse a body already read.
func TestSetMaxBodySizeAfterBody(t *testing.T) {
	c := client(t, []web.Rule{{Pattern: "/", Handler: &limitAfter{}}}, web.Settings{})
	expect(t, "under", c.Fetch("POST", "/", []byte("12345")), 200, "5")
	expectStatus(t, "over", c.Fetch("POST", "/", []byte("123456")), 413)
}

type limitAfter struct{ web.RequestHandler }

func (h *limitAfter) Prepare() error { return h.SetMaxBodySize(5) }
func (h *limitAfter) Post() error    { return h.Write(fmt.Sprint(len(h.Request.Body))) }

type badStreamer struct{ web.RequestHandler }

func (h *badStreamer) DataReceived(chunk []byte) int { return 0 }

type blockingStreamer struct {
	web.RequestHandler
	web.Blocking
}

func (h *blockingStreamer) DataReceived(chunk []byte) error { return nil }

// TestStreamingRegistration: a DataReceived of the wrong type, or on a
// blocking handler, is refused when the route is made.
func TestStreamingRegistration(t *testing.T) {
	for _, h := range []web.Handler{&badStreamer{}, &blockingStreamer{}} {
		if _, err := web.NewApplication([]web.Rule{{Pattern: "/", Handler: h}}, web.Settings{}); err == nil {
			t.Errorf("%T accepted", h)
		}
	}
	if _, err := web.NewApplication([]web.Rule{{Pattern: "/", Handler: &plainHandler{}, MaxBodySize: -1}}, web.Settings{}); err == nil {
		t.Error("a negative MaxBodySize accepted")
	}
}
