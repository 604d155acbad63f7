package conformance

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestExpectContinueWaits sends a head with "Expect: 100-continue" alone,
// waits for "100 Continue", and only then sends the body (RFC 9110
// §10.1.1), on tornago and on net/http.
func TestExpectContinueWaits(t *testing.T) {
	srv := startServers(t)
	for _, tc := range []struct{ name, addr string }{{"tornago", srv.tornago}, {"net/http", srv.netHTTP}} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := dial(tc.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(exchangeTimeout))
			io.WriteString(c, post("Content-Length: 5\r\nExpect: 100-continue\r\n", ""))
			br := bufio.NewReader(c)
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusContinue {
				t.Fatalf("got %d before the body, want 100", resp.StatusCode)
			}
			io.WriteString(c, "hello")
			resp, err = http.ReadResponse(br, nil)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || !strings.HasPrefix(string(b), "POST\n/\n5\n") {
				t.Fatalf("got %d %q", resp.StatusCode, b)
			}
		})
	}
}

// TestRowCount keeps the table at its promised size.
func TestRowCount(t *testing.T) {
	if len(table) < 100 {
		t.Fatalf("table has %d rows, want at least 100", len(table))
	}
	t.Logf("%d rows", len(table))
}
