package conformance

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// pipelineFlood is the number of requests of TestPipelineFlood: enough
// for the server to pause reading while responses queue, small enough for
// a second of test time.
const pipelineFlood = 5000

// TestPipelineFlood writes pipelineFlood requests in one write (from a
// goroutine, since the server pauses reading while its output queues) and
// checks every answer arrives, in order, on tornago and on net/http.
func TestPipelineFlood(t *testing.T) {
	srv := startServers(t)
	var b strings.Builder
	for i := range pipelineFlood {
		fmt.Fprintf(&b, "GET /%d HTTP/1.1\r\nHost: a\r\n\r\n", i)
	}
	raw := b.String()
	for _, tc := range []struct{ name, addr string }{{"tornago", srv.tornago}, {"net/http", srv.netHTTP}} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := dial(tc.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(20 * time.Second))
			go io.WriteString(c, raw)
			br := bufio.NewReader(c)
			for i := range pipelineFlood {
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					t.Fatalf("response %d: %v", i, err)
				}
				body, err := io.ReadAll(resp.Body)
				if err != nil {
					t.Fatalf("response %d body: %v", i, err)
				}
				if want := fmt.Sprintf("GET\n/%d\n0\n", i); resp.StatusCode != 200 || !strings.HasPrefix(string(body), want) {
					t.Fatalf("response %d: %d %q, want %q", i, resp.StatusCode, body, want)
				}
			}
		})
	}
}

// TestErrorReachesSendingClient sends a head announcing 8 MiB to the
// small-limit server and keeps sending the body: the 413 must reach the
// client, not be destroyed by a reset because unread input was left
// behind (reliability anchors §3.14, lingering close).
func TestErrorReachesSendingClient(t *testing.T) {
	srv := startServers(t)
	for _, tc := range []struct{ name, addr string }{{"tornago", srv.tornagoSmall}, {"net/http", srv.netHTTPSmall}} {
		t.Run(tc.name, func(t *testing.T) {
			const size = 8 << 20
			c, err := dial(tc.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(10 * time.Second))
			done := make(chan struct{})
			go func() {
				defer close(done)
				io.WriteString(c, post(fmt.Sprintf("Content-Length: %d\r\n", size), ""))
				chunk := []byte(strings.Repeat("x", 64<<10))
				for sent := 0; sent < size; sent += len(chunk) {
					if _, err := c.Write(chunk); err != nil {
						return
					}
				}
			}()
			// Read late, when the server has long decided and its input
			// holds unread body bytes.
			time.Sleep(200 * time.Millisecond)
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatalf("no answer while the body was still coming: %v", err)
			}
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("got %d, want 413", resp.StatusCode)
			}
			c.Close()
			<-done
		})
	}
}
