package httpserver

import (
	"bufio"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tornago/tornago/ioloop"
)

// streamer is a test BodyStreamer: it limits and streams the bodies of
// requests to /stream, and answers with the size and CRC of what it got.
type streamer struct {
	limit  int64
	stream bool
	hold   bool // return a pending Future for every piece, resolved later
	got    int64
	crc    uint32
	pieces int
}

func (s *streamer) HeadersReceived(r *Request) BodyOptions {
	s.got, s.crc, s.pieces = 0, 0, 0
	return BodyOptions{MaxBodySize: s.limit, Stream: s.stream && r.Path == "/stream"}
}

func (s *streamer) DataReceived(r *Request, chunk []byte) *ioloop.Future {
	s.got += int64(len(chunk))
	s.crc = crc32.Update(s.crc, crc32.IEEETable, chunk)
	s.pieces++
	if !s.hold || s.pieces%4 != 0 {
		return nil
	}
	f := ioloop.NewFuture()
	l := r.Loop()
	go func() {
		time.Sleep(time.Millisecond)
		l.AddCallback(func() { f.SetResult(nil) })
	}()
	return f
}

func (s *streamer) ServeHTTP(w *ResponseWriter, r *Request) {
	if r.Path == "/stream" && s.stream && r.Body != nil {
		w.SetStatus(500, "")
	}
	if r.Body != nil {
		s.got, s.crc = int64(len(r.Body)), crc32.ChecksumIEEE(r.Body)
	}
	fmt.Fprintf(w, "%d %08x", s.got, s.crc)
	w.Finish()
}

// TestPerRequestBodyLimit: HeadersReceived sets the body limit of each
// request, lower or higher than the server's.
func TestPerRequestBodyLimit(t *testing.T) {
	for _, tt := range []struct {
		name   string
		limit  int64
		raw    string
		status int
	}{
		{"length under", 10, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789", 200},
		{"length over", 10, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n0123456789x", 413},
		{"chunked over", 10, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n6\r\n678901\r\n0\r\n\r\n", 413},
		{"above the server's", 1000, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 500\r\n\r\n" + strings.Repeat("x", 500), 200},
		{"server's when 0", 0, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n" + strings.Repeat("x", 101), 413},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, &streamer{limit: tt.limit}, Options{MaxBodySize: 100})
			resp, _, _ := roundTrip(t, srv, tt.raw, "POST")
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
}

// TestStreamedBody: a streamed body reaches DataReceived whole, in
// order, whatever its framing, and ServeHTTP runs after it with no Body;
// keep-alive goes on after it.
func TestStreamedBody(t *testing.T) {
	body := strings.Repeat("0123456789abcdef", 20000) // 320 KB
	want := fmt.Sprintf("%d %08x", len(body), crc32.ChecksumIEEE([]byte(body)))
	var chunked strings.Builder
	for i := 0; i < len(body); i += 7000 {
		piece := body[i:min(i+7000, len(body))]
		fmt.Fprintf(&chunked, "%x\r\n%s\r\n", len(piece), piece)
	}
	chunked.WriteString("0\r\n\r\n")
	for _, hold := range []bool{false, true} {
		for _, framing := range []string{"length", "chunked"} {
			t.Run(fmt.Sprintf("%s/hold=%v", framing, hold), func(t *testing.T) {
				srv := startServer(t, &streamer{stream: true, hold: hold}, Options{})
				c := dial(t, srv)
				br := bufio.NewReader(c)
				raw := "POST /stream HTTP/1.1\r\nHost: a\r\nContent-Length: " + fmt.Sprint(len(body)) + "\r\n\r\n" + body
				if framing == "chunked" {
					raw = "POST /stream HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked.String()
				}
				go io.WriteString(c, raw+"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
				for i, w := range []string{want, "0 00000000"} {
					resp, err := readResponse(br, "POST")
					if err != nil {
						t.Fatal(err)
					}
					if resp.StatusCode != 200 || string(resp.body) != w {
						t.Fatalf("response %d: %d %q, want %q", i, resp.StatusCode, resp.body, w)
					}
				}
			})
		}
	}
}

// TestStreamedUploadBoundedMemory: a 256 MiB chunked upload to a
// streaming handler that pauses reading now and then runs in bounded
// memory: the server's heap never grows by more than a few MiB.
func TestStreamedUploadBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("256 MiB upload")
	}
	const total = 256 << 20
	s := &streamer{stream: true, hold: true, limit: 1 << 30}
	srv := startServer(t, s, Options{})
	c := dial(t, srv)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
		}
	}()
	go func() {
		w := bufio.NewWriterSize(c, 64<<10)
		io.WriteString(w, "POST /stream HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
		piece := []byte(strings.Repeat("z", 1<<20))
		for sent := 0; sent < total; sent += len(piece) {
			fmt.Fprintf(w, "%x\r\n", len(piece))
			w.Write(piece)
			io.WriteString(w, "\r\n")
		}
		io.WriteString(w, "0\r\n\r\n")
		w.Flush()
	}()
	c.SetReadDeadline(time.Now().Add(200 * time.Second))
	resp, err := readResponse(bufio.NewReader(c), "POST")
	close(stop)
	<-sampled
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%d ", total)
	if resp.StatusCode != 200 || !strings.HasPrefix(string(resp.body), want) {
		t.Fatalf("response %d %q, want %q...", resp.StatusCode, resp.body, want)
	}
	grew := int64(peak.Load()) - int64(base)
	t.Logf("256 MiB streamed; heap in use grew at most %d KiB over %d KiB", grew>>10, base>>10)
	if grew > 16<<20 {
		t.Fatalf("heap grew by %d MiB during a streamed upload", grew>>20)
	}
}

// panickyStreamer is a streamer whose ServeHTTP panics on requests that
// carry "X-Boom", after their whole body went through DataReceived.
type panickyStreamer struct{ streamer }

func (s *panickyStreamer) ServeHTTP(w *ResponseWriter, r *Request) {
	if r.Header.Get("X-Boom") != "" {
		panic("boom")
	}
	s.streamer.ServeHTTP(w, r)
}

// TestPanicAfterBodyKeepsFraming: a handler that panics after a chunked
// body with trailers, or after a streamed body delivered piece by piece
// with reading paused in between, gets a 500 and the request pipelined
// behind it is read from the right byte.
func TestPanicAfterBodyKeepsFraming(t *testing.T) {
	body := strings.Repeat("x", 200<<10) // several reads, so several pieces
	for _, tt := range []struct {
		name string
		h    Handler
		raw  string
	}{
		{"chunked with trailers", HandlerFunc(func(w *ResponseWriter, r *Request) {
			if r.Header.Get("X-Boom") != "" {
				panic("boom")
			}
			echo(w, r)
		}), "POST /stream HTTP/1.1\r\nHost: a\r\nX-Boom: 1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n"},
		{"streamed, paused", &panickyStreamer{streamer{stream: true, hold: true}},
			fmt.Sprintf("POST /stream HTTP/1.1\r\nHost: a\r\nX-Boom: 1\r\nContent-Length: %d\r\n\r\n%s", len(body), body)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, tt.h, Options{})
			c := dial(t, srv)
			io.WriteString(c, tt.raw+"POST /after HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi")
			br := bufio.NewReader(c)
			for i, want := range []int{500, 200} {
				resp, err := readResponse(br, "POST")
				if err != nil {
					t.Fatalf("response %d: %v", i, err)
				}
				if resp.StatusCode != want || resp.Close {
					t.Fatalf("response %d: %d close %v %q, want %d kept alive", i, resp.StatusCode, resp.Close, resp.body, want)
				}
			}
		})
	}
}
